using System.Text;
using Imc.Formats.Mapi;
using Imc.Formats.Mime;
using Imc.Testing;
using MimeKit;

namespace Imc.Formats.Tests.Mime;

/// <summary>
/// Real messages from MimeKit's test corpus (tests/TestData/eml-real, see SOURCES.md there): each is converted to
/// MAPI and checked against MimeKit's own reading of the same file, sent through TNEF and back unchanged, and turned
/// back into MIME.
/// </summary>
public sealed class RealWorldEmlTests
{
    // ISO-2022-JP header words decode only when the code-page provider is registered before parsing.
    static RealWorldEmlTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string PathOf(string name) => Path.Combine(TestPaths.TestData, "eml-real", name);

    private static MimeMessage Load(string name) => MimeMessage.Load(PathOf(name), TestContext.Current.CancellationToken);

    private static MapiMessage ToMapi(MimeMessage message) =>
        MimeToMapi.Convert(message, new MimeToMapiOptions { NewSearchKey = () => new byte[16] });

    /// <summary>File, attachments by value (files, inline images, report parts), embedded messages (message/rfc822).</summary>
    public static TheoryData<string, int, int> Files => new()
    {
        { "bounce.eml", 1, 1 },                    // message/delivery-status + the returned message
        { "delivery-status2.eml", 1, 1 },
        { "disposition-notification.eml", 1, 1 },  // message/disposition-notification + the original
        { "feedback-report.eml", 1, 1 },           // message/feedback-report + the reported message (inline)
        { "japanese.eml", 0, 0 },
        { "multipart-related-mhtml.eml", 1, 0 },   // the image referenced by Content-Location
        { "simple-embedded-message.eml", 0, 1 },
        { "simple-multipart.eml", 1, 0 },          // attachment.txt
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Converts_as_MimeKit_reads_it(string file, int byValue, int embedded)
    {
        var message = Load(file);
        var mapi = ToMapi(message);

        AssertEnvelope(message, mapi, file);

        // Attachments: every part that is not a body, message/rfc822 as an embedded message (not opened up).
        Assert.Equal(byValue, mapi.Attachments.Count(a => a.Method == AttachMethod.ByValue));
        Assert.Equal(embedded, mapi.Attachments.Count(a => a.Method == AttachMethod.EmbeddedMessage));
        Assert.Equal(byValue + embedded, mapi.Attachments.Count);
        Assert.Equal(mapi.Attachments.Count > 0, mapi.Properties.GetBoolean(PropTags.HasAttach));

        // What MimeKit calls attachments (Content-Disposition: attachment) are all among them.
        var names = mapi.Attachments.Select(a => a.Properties.GetString(PropTags.AttachLongFilename)).ToList();
        foreach (var attachment in message.Attachments.OfType<MimePart>())
            Assert.Contains(attachment.FileName, names);

        // Each message/rfc822 part of this message (outside other messages) is an embedded message, in order,
        // converted like a top-level one.
        var messageParts = MessageParts(message.Body).ToList();
        var embeddedMessages = mapi.Attachments.Where(a => a.Method == AttachMethod.EmbeddedMessage).ToList();
        Assert.Equal(messageParts.Count, embeddedMessages.Count);
        for (var i = 0; i < messageParts.Count; i++)
        {
            var inner = messageParts[i].Message;
            Assert.NotNull(inner);
            var innerMapi = embeddedMessages[i].EmbeddedMessage;
            Assert.NotNull(innerMapi);
            AssertEnvelope(inner, innerMapi, $"{file} embedded #{i}");
            Assert.Equal(string.IsNullOrEmpty(inner.Subject) ? "Forwarded message" : inner.Subject,
                embeddedMessages[i].Properties.GetString(PropTags.DisplayName));
        }

        Assert.Equal(ExpectedClass(message), mapi.MessageClass);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Survives_tnef_and_converts_back(string file, int byValue, int embedded)
    {
        _ = (byValue, embedded);
        var message = Load(file);
        var mapi = ToMapi(message);

        using var tnef = new MemoryStream();
        Imc.Formats.Tnef.TnefWriter.Write(mapi, tnef);
        tnef.Position = 0;
        var back = Imc.Formats.Tnef.TnefReader.Read(tnef);
        Assert.Empty(MapiMessageComparer.Diff(mapi, back));

        // Back to MIME, written out and parsed again as a mail client would see it.
        var mime = MapiToMime.Convert(back);
        using var eml = new MemoryStream();
        mime.WriteTo(eml, TestContext.Current.CancellationToken);
        eml.Position = 0;
        var reparsed = MimeMessage.Load(eml, TestContext.Current.CancellationToken);

        Assert.Equal(message.Subject ?? "", reparsed.Subject ?? "");
        Assert.Equal(Addresses(message.From), Addresses(reparsed.From));
        Assert.Equal(Addresses(message.To), Addresses(reparsed.To));
        Assert.Equal(Addresses(message.Cc), Addresses(reparsed.Cc));
        Assert.Equal(message.MessageId, reparsed.MessageId);
    }

    [Fact]
    public void Postfix_bounce_through_Proofpoint_is_an_NDR_with_the_returned_message()
    {
        var mapi = ToMapi(Load("bounce.eml"));
        var p = mapi.Properties;

        Assert.Equal("Undelivered Mail Returned to Sender", p.GetString(PropTags.Subject));
        Assert.Equal("MAILER-DAEMON@hmail.jitbit.com", p.GetString(PropTags.SentRepresentingEmailAddress));
        Assert.Equal("<20220126090648.12632412E9@hmail.jitbit.com>", p.GetString(PropTags.InternetMessageId));
        Assert.Equal(new DateTime(2022, 1, 26, 9, 6, 48, DateTimeKind.Utc), p.GetDateTime(PropTags.ClientSubmitTime));
        var to = Assert.Single(mapi.Recipients);
        Assert.Equal(RecipientType.To, to.Type);
        Assert.Equal("helpdesk@netecgc.com", to.EmailAddress);
        Assert.StartsWith("This is the mail system at host ", p.GetString(PropTags.Body));

        Assert.Equal(2, mapi.Attachments.Count);
        Assert.Equal("message/delivery-status", mapi.Attachments[0].Properties.GetString(PropTags.AttachMimeTag));
        var returned = mapi.Attachments[1].EmbeddedMessage;
        Assert.NotNull(returned);
        Assert.Equal("FILE-SRV | FILE-SRV | Ellern Mede | eventlog | Security - Microsoft-Windows-Security-Auditing | " +
                     "Code: '4625' - Type: 'Critical, Error, Warning, , Information, Verbose' - Desc: '' {44565655}",
            returned.Subject);
        Assert.Equal("helpdesk@netecgc.com", returned.Properties.GetString(PropTags.SentRepresentingEmailAddress));
        Assert.Equal("netec.test@netecgc.com", Assert.Single(returned.Recipients).EmailAddress);
        Assert.Equal("<44565655.JitbitHelpdesk.13439@jitbit.com>", returned.Properties.GetString(PropTags.InternetReferences));
        Assert.NotNull(returned.Properties.GetString(PropTags.Body));
        Assert.NotNull(returned.Properties.GetBinary(PropTags.Html));

        // The per-recipient group (Action: failed) is base64 inside the message/delivery-status part; MimeKit
        // decodes it (its issue #250: Proofpoint rewrites Postfix bounces this way), so this is a non-delivery report.
        Assert.Equal("REPORT.IPM.Note.NDR", p.GetString(PropTags.MessageClass));
    }

    [Fact]
    public void Japanese_subject_and_body_are_decoded_from_ISO_2022_JP()
    {
        var mapi = ToMapi(Load("japanese.eml"));
        var p = mapi.Properties;

        Assert.Equal("日本語メールテスト (testing Japanese emails)", p.GetString(PropTags.Subject));
        Assert.Equal("日本語メールテスト (testing Japanese emails)", p.GetString(PropTags.NormalizedSubject));
        Assert.Equal("Atsushi Eno", p.GetString(PropTags.SentRepresentingName));
        Assert.Equal("x@x.com", p.GetString(PropTags.SentRepresentingEmailAddress));
        Assert.Equal("Jeffrey Stedfast", Assert.Single(mapi.Recipients).DisplayName);
        Assert.Equal(new DateTime(2015, 7, 21, 16, 2, 29, DateTimeKind.Utc), p.GetDateTime(PropTags.ClientSubmitTime));
        Assert.Equal("Let's see if both subject and body works fine...\r\n\r\n日本語が\r\n正常に\r\n送れているか\r\nテスト.\r\n",
            p.GetString(PropTags.Body));
        Assert.Equal(50220, p.GetInt32(PropTags.InternetCpid)); // iso-2022-jp
        Assert.Equal("Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Gecko/20100101 Thunderbird/31.7.0",
            p.Find(PropertyName.FromName(PropertySets.InternetHeaders, "user-agent"))?.Value as string);
        Assert.Empty(mapi.Attachments);
    }

    [Fact]
    public void Read_receipt_is_IPNRN_and_Exim_bounce_is_NDR()
    {
        Assert.Equal("REPORT.IPM.Note.IPNRN", ToMapi(Load("disposition-notification.eml")).MessageClass);
        var exim = ToMapi(Load("delivery-status2.eml"));
        Assert.Equal("REPORT.IPM.Note.NDR", exim.MessageClass);
        Assert.Equal("Mail delivery failed: returning message to sender", exim.Subject);
        // No From, To, Date or Message-ID in the file: none is made up.
        Assert.Null(exim.Properties.Find(PropTags.SentRepresentingEmailAddress));
        Assert.Null(exim.Properties.Find(PropTags.ClientSubmitTime));
        Assert.Null(exim.Properties.Find(PropTags.InternetMessageId));
        Assert.Empty(exim.Recipients);
    }

    /// <summary>Subject, sender, recipients, Message-ID, date and header block against MimeKit's view.</summary>
    private static void AssertEnvelope(MimeMessage message, MapiMessage mapi, string where)
    {
        var p = mapi.Properties;
        Assert.Equal(message.Subject ?? "", p.GetString(PropTags.Subject));

        var from = message.From.Mailboxes.FirstOrDefault();
        Assert.Equal(from?.Address, p.GetString(PropTags.SentRepresentingEmailAddress));
        if (from is not null) Assert.Equal("SMTP", p.GetString(PropTags.SentRepresentingAddrType));

        var expected = message.To.Mailboxes.Select(m => (RecipientType.To, m.Address))
            .Concat(message.Cc.Mailboxes.Select(m => (RecipientType.Cc, m.Address)))
            .Concat(message.Bcc.Mailboxes.Select(m => (RecipientType.Bcc, m.Address)))
            .ToList();
        Assert.Equal(expected, mapi.Recipients.Select(r => (r.Type, r.EmailAddress ?? "(none)")).ToList());

        Assert.Equal(string.IsNullOrEmpty(message.MessageId) ? null : "<" + message.MessageId + ">",
            p.GetString(PropTags.InternetMessageId));

        if (message.Headers.Contains(HeaderId.Date))
        {
            var submit = p.GetDateTime(PropTags.ClientSubmitTime);
            Assert.Equal(message.Date.UtcDateTime, submit);
            Assert.Equal(DateTimeKind.Utc, submit!.Value.Kind);
        }
        else
        {
            Assert.Null(p.Find(PropTags.ClientSubmitTime));
        }

        // Every header line of the message (and of its top body part, where MimeKit moves Content-*) is in the block.
        var block = p.GetString(PropTags.TransportMessageHeaders);
        Assert.NotNull(block);
        var lineStarts = block.Split('\n').Select(l => l.TrimStart('\uFEFF')).ToList();
        var headers = message.Headers.Concat(message.Body?.Headers ?? []).ToList();
        Assert.NotEmpty(headers);
        foreach (var h in headers)
            Assert.True(lineStarts.Any(l => l.StartsWith(h.Field + ":", StringComparison.OrdinalIgnoreCase)),
                $"{where}: header {h.Field} missing from PR_TRANSPORT_MESSAGE_HEADERS");
    }

    /// <summary>The report class a multipart/report should get, from MimeKit's parse of its machine-readable part.</summary>
    private static string ExpectedClass(MimeMessage message)
    {
        if (message.Body is not MultipartReport report) return "IPM.Note";
        switch (report.ReportType?.ToLowerInvariant())
        {
            case "delivery-status":
                var status = report.OfType<MessageDeliveryStatus>().Single();
                var actions = status.StatusGroups.Skip(1).Select(g => g["Action"]?.Trim().ToLowerInvariant()).ToList();
                return actions.Contains("failed") ? "REPORT.IPM.Note.NDR"
                    : actions.Contains("delayed") ? "REPORT.IPM.Note.DelayedDSN"
                    : "REPORT.IPM.Note.DR";
            case "disposition-notification":
                var mdn = report.OfType<MessageDispositionNotification>().Single();
                return mdn.Fields["Disposition"]?.Contains("displayed", StringComparison.OrdinalIgnoreCase) == true
                    ? "REPORT.IPM.Note.IPNRN" : "REPORT.IPM.Note.IPNNRN";
            default:
                return "IPM.Note"; // e.g. feedback-report: no MAPI report class
        }
    }

    private static IEnumerable<MessagePart> MessageParts(MimeEntity? entity)
    {
        switch (entity)
        {
            case MessagePart part:
                yield return part;
                break;
            case Multipart multipart:
                foreach (var child in multipart)
                    foreach (var inner in MessageParts(child))
                        yield return inner;
                break;
        }
    }

    private static List<string> Addresses(InternetAddressList list) =>
        list.Mailboxes.Select(m => m.Address.ToLowerInvariant()).ToList();
}
