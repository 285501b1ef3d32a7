using System.Text;
using Imc.Formats.Mapi;
using Imc.Formats.Mime;
using MimeKit;

namespace Imc.Formats.Tests.Mime;

public sealed class MimeToMapiTests
{
    private static DateTime Utc(int y, int mo, int d, int h, int mi, int s) => new(y, mo, d, h, mi, s, DateTimeKind.Utc);

    private static byte[] OneOff(string name, string address) =>
        [.. Convert.FromHexString("00000000812B1FA4BEA310199D6E00DD010F540200000190"),
         .. Encoding.Unicode.GetBytes(name + "\0SMTP\0" + address + "\0")];

    [Fact]
    public void Plain_message_maps_envelope_headers_and_body()
    {
        var m = EmlSamples.ToMapi("plain-qp.eml");
        var p = m.Properties;
        Assert.Equal("IPM.Note", p.GetString(PropTags.MessageClass));
        Assert.Equal("Quarterly numbers", p.GetString(PropTags.Subject));
        Assert.Equal("", p.GetString(PropTags.SubjectPrefix));
        Assert.Equal("Quarterly numbers", p.GetString(PropTags.NormalizedSubject));
        Assert.Equal("Quarterly numbers", p.GetString(PropTags.ConversationTopic));

        Assert.Equal("Alice Martin", p.GetString(PropTags.SentRepresentingName));
        Assert.Equal("SMTP", p.GetString(PropTags.SentRepresentingAddrType));
        Assert.Equal("alice@example.com", p.GetString(PropTags.SentRepresentingEmailAddress));
        Assert.Equal(Encoding.ASCII.GetBytes("SMTP:ALICE@EXAMPLE.COM\0"), p.GetBinary(PropTags.SentRepresentingSearchKey));
        Assert.Equal(OneOff("Alice Martin", "alice@example.com"), p.GetBinary(PropTags.SentRepresentingEntryId));
        Assert.Equal("Alice Martin", p.GetString(PropTags.SenderName));
        Assert.Equal("alice@example.com", p.GetString(PropTags.SenderEmailAddress));
        Assert.Equal(OneOff("Alice Martin", "alice@example.com"), p.GetBinary(PropTags.SenderEntryId));
        Assert.Equal(Encoding.ASCII.GetBytes("SMTP:ALICE@EXAMPLE.COM\0"), p.GetBinary(PropTags.SenderSearchKey));

        var r = Assert.Single(m.Recipients);
        Assert.Equal(0, r.Properties.GetInt32(PropTags.RowId));
        Assert.Equal(RecipientType.To, r.Type);
        Assert.Equal("Bob Durand", r.DisplayName);
        Assert.Equal("SMTP", r.Properties.GetString(PropTags.AddrType));
        Assert.Equal("bob@example.org", r.EmailAddress);
        Assert.Equal("bob@example.org", r.Properties.GetString(PropTags.SmtpAddress));
        Assert.Equal(OneOff("Bob Durand", "bob@example.org"), r.Properties.GetBinary(PropTags.EntryId));
        Assert.Equal(Encoding.ASCII.GetBytes("SMTP:BOB@EXAMPLE.ORG\0"), r.Properties.GetBinary(PropTags.SearchKey));
        Assert.Equal(6, r.Properties.GetInt32(PropTags.ObjectType));
        Assert.Equal(0, r.Properties.GetInt32(PropTags.DisplayType));
        Assert.Equal("Bob Durand", p.GetString(PropTags.DisplayTo));
        Assert.Null(p.Find(PropTags.DisplayCc));

        Assert.Equal(Utc(2023, 3, 14, 8, 26, 41), p.GetDateTime(PropTags.ClientSubmitTime));
        Assert.Equal(DateTimeKind.Utc, p.GetDateTime(PropTags.ClientSubmitTime)!.Value.Kind);
        Assert.Equal(Utc(2023, 3, 14, 8, 26, 41), p.GetDateTime(PropTags.MessageDeliveryTime));
        Assert.Equal("<20230314082641.GA1234@mail.example.com>", p.GetString(PropTags.InternetMessageId));
        Assert.Equal(1, p.GetInt32(PropTags.Importance));
        Assert.Equal(0, p.GetInt32(PropTags.Priority));
        Assert.Equal(1252, p.GetInt32(PropTags.InternetCpid));
        Assert.Equal(1252, p.GetInt32(PropTags.MessageCodepage));
        Assert.Equal(new byte[16], p.GetBinary(PropTags.SearchKey));
        Assert.False(p.GetBoolean(PropTags.HasAttach));
        Assert.Equal(0, p.GetInt32(PropTags.MessageFlags));

        // The header block exactly as it is in the file (everything before the blank line).
        var file = Encoding.ASCII.GetString(EmlSamples.Bytes("plain-qp.eml"));
        Assert.Equal(file[..(file.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 2)], p.GetString(PropTags.TransportMessageHeaders));

        Assert.Equal("Mutt/2.2.9", EmlSamples.Named(m, "x-mailer"));
        Assert.Null(EmlSamples.Named(m, "received"));
        Assert.Null(EmlSamples.Named(m, "subject"));

        Assert.Equal("Hi Bob,\r\n\r\nthe numbers for Q1 are in: revenue is up 4\u00a0% and the caf\u00e9 budget is\r\n" +
                     "unchanged. A very long line follows that has to be soft-wrapped by the encoder because it is longer than seventy-six characters.\r\n\r\nRegards,\r\nAlice\r\n",
                     p.GetString(PropTags.Body));
        Assert.Null(p.Find(PropTags.Html));
        Assert.Empty(m.Attachments);
    }

    [Fact]
    public void Received_time_option_sets_the_delivery_time()
    {
        var m = EmlSamples.ToMapi("plain-qp.eml", Utc(2024, 1, 2, 3, 4, 5));
        Assert.Equal(Utc(2024, 1, 2, 3, 4, 5), m.Properties.GetDateTime(PropTags.MessageDeliveryTime));
        Assert.Equal(Utc(2023, 3, 14, 8, 26, 41), m.Properties.GetDateTime(PropTags.ClientSubmitTime));
    }

    [Fact]
    public void Default_search_key_is_the_md5_of_the_message_id()
    {
        var m = MimeToMapi.Convert(EmlSamples.Load("plain-qp.eml"));
        Assert.Equal(System.Security.Cryptography.MD5.HashData("20230314082641.GA1234@mail.example.com"u8), m.SearchKey);
    }

    [Fact]
    public void Alternative_gives_plain_and_html_bodies_in_the_html_charset()
    {
        var m = EmlSamples.ToMapi("alternative.eml");
        var p = m.Properties;
        Assert.Equal("Hello Bob,\r\n\r\nLunch at the caf\u00e9 on Friday? \u2014 Alice\r\n", p.GetString(PropTags.Body));
        var html = Encoding.UTF8.GetString(p.GetBinary(PropTags.Html)!);
        Assert.Contains("Lunch at the caf\u00e9 on Friday? \u2014 Alice", html, StringComparison.Ordinal);
        Assert.StartsWith("<html>", html);
        Assert.Equal(65001, p.GetInt32(PropTags.InternetCpid));
        Assert.Equal(Utc(2023, 3, 15, 17, 0, 0), p.GetDateTime(PropTags.ClientSubmitTime));
        Assert.Empty(m.Attachments);
        Assert.Equal("bob@example.org", Assert.Single(m.Recipients).DisplayName);
    }

    [Fact]
    public void Attachments_keep_names_types_and_bytes()
    {
        var m = EmlSamples.ToMapi("attachments.eml");
        var p = m.Properties;
        Assert.Equal("\u00dcbersicht M\u00e4rz / invoices", p.GetString(PropTags.Subject));
        Assert.Equal("J\u00fcrgen M\u00fcller", p.GetString(PropTags.SenderName));
        Assert.StartsWith("Hallo zusammen,\r\n\r\nanbei die Rechnung und die \u00dcbersicht f\u00fcr M\u00e4rz.", p.GetString(PropTags.Body));
        Assert.True(p.GetBoolean(PropTags.HasAttach));
        Assert.Equal(0x10, p.GetInt32(PropTags.MessageFlags));
        Assert.Equal(3, m.Attachments.Count);

        var pdf = m.Attachments[0].Properties;
        Assert.Equal(AttachMethod.ByValue, m.Attachments[0].Method);
        Assert.Equal(0, pdf.GetInt32(PropTags.AttachNum));
        Assert.Equal("invoice-2023-03.pdf", pdf.GetString(PropTags.AttachLongFilename));
        Assert.Equal("INVOIC~1.PDF", pdf.GetString(PropTags.AttachFilename));
        Assert.Equal(".pdf", pdf.GetString(PropTags.AttachExtension));
        Assert.Equal("invoice-2023-03.pdf", pdf.GetString(PropTags.DisplayName));
        Assert.Equal("application/pdf", pdf.GetString(PropTags.AttachMimeTag));
        Assert.Equal(-1, pdf.GetInt32(PropTags.RenderingPosition));
        var expectedPdf = EmlSamples.Bytes("attachments.invoice.bin");
        Assert.Equal(expectedPdf.Length, pdf.GetInt32(PropTags.AttachSize));
        Assert.Equal(expectedPdf, m.Attachments[0].Data!.ToArray());

        var csv = m.Attachments[1];
        Assert.Equal("totals.csv", csv.FileName);
        Assert.Equal("TOTALS.CSV", csv.Properties.GetString(PropTags.AttachFilename));
        Assert.Equal("text/csv", csv.Properties.GetString(PropTags.AttachMimeTag));
        Assert.Equal("name;amount\r\nCaf\u00e9;12,50\r\nM\u00fcller;7,00\r\n", Encoding.UTF8.GetString(csv.Data!.ToArray()));

        var xls = m.Attachments[2];
        Assert.Equal("\u00dcbersicht M\u00e4rz 2023.xls", xls.FileName);
        Assert.Equal("_BERSI~1.XLS", xls.Properties.GetString(PropTags.AttachFilename));
        Assert.Equal(2, xls.Properties.GetInt32(PropTags.AttachNum));
        Assert.Equal(EmlSamples.Bytes("attachments.xls.bin"), xls.Data!.ToArray());
    }

    [Fact]
    public void Large_attachments_are_decoded_on_read_not_at_conversion()
    {
        var m = MimeToMapi.Convert(EmlSamples.Load("attachments.eml"), new MimeToMapiOptions { InMemoryAttachmentLimit = 100 });
        var data = m.Attachments[0].Data!;
        var expected = EmlSamples.Bytes("attachments.invoice.bin");
        Assert.Equal(expected.Length, data.Length);
        Assert.Equal(expected, data.ToArray());
        Assert.Equal(expected, data.ToArray()); // each read starts again from the beginning
    }

    [Fact]
    public void Inline_image_is_a_hidden_attachment_with_its_content_id()
    {
        var m = EmlSamples.ToMapi("inline-image.eml");
        Assert.Equal("Here is the new logo (see the HTML version).\r\n", m.Properties.GetString(PropTags.Body));
        Assert.Contains("cid:image001.png@01D958A1.2B3C4D50", Encoding.ASCII.GetString(m.Properties.GetBinary(PropTags.Html)!), StringComparison.Ordinal);
        Assert.Equal(20127, m.Properties.GetInt32(PropTags.InternetCpid));
        var a = Assert.Single(m.Attachments);
        Assert.Equal("image001.png@01D958A1.2B3C4D50", a.Properties.GetString(PropTags.AttachContentId));
        Assert.Equal("image001.png", a.FileName);
        Assert.Equal("IMAGE001.PNG", a.Properties.GetString(PropTags.AttachFilename));
        Assert.Equal("image/png", a.Properties.GetString(PropTags.AttachMimeTag));
        Assert.True(a.Properties.GetBoolean(PropTags.AttachmentHidden));
        Assert.Equal(4, a.Properties.GetInt32(PropTags.AttachFlags));
        Assert.Equal(EmlSamples.Bytes("inline-image.png"), a.Data!.ToArray());
    }

    [Fact]
    public void Forwarded_message_becomes_an_embedded_message_attachment()
    {
        var m = EmlSamples.ToMapi("forwarded.eml");
        Assert.Equal("Fwd: ", m.Properties.GetString(PropTags.SubjectPrefix));
        Assert.Equal("Quarterly numbers", m.Properties.GetString(PropTags.NormalizedSubject));
        Assert.Equal("FYI, see below.\r\n", m.Properties.GetString(PropTags.Body));
        var a = Assert.Single(m.Attachments);
        Assert.Equal(AttachMethod.EmbeddedMessage, a.Method);
        Assert.Null(a.Data);
        Assert.Equal("Quarterly numbers", a.Properties.GetString(PropTags.DisplayName));
        Assert.Equal("message/rfc822", a.Properties.GetString(PropTags.AttachMimeTag));
        var inner = a.EmbeddedMessage!;
        Assert.Equal("Quarterly numbers", inner.Subject);
        Assert.Equal("alice@example.com", inner.Properties.GetString(PropTags.SenderEmailAddress));
        Assert.Equal(Utc(2023, 3, 14, 8, 26, 41), inner.Properties.GetDateTime(PropTags.ClientSubmitTime));
        Assert.Equal("The numbers for Q1 are in.\r\n", inner.Properties.GetString(PropTags.Body));
        var q1 = Assert.Single(inner.Attachments);
        Assert.Equal("q1.txt", q1.FileName);
        Assert.Equal("Q1 revenue: 1,234,567\r\n", Encoding.ASCII.GetString(q1.Data!.ToArray()));
    }

    [Fact]
    public void Delivery_failure_report_is_an_NDR()
    {
        var m = EmlSamples.ToMapi("ndr.eml");
        Assert.Equal("REPORT.IPM.Note.NDR", m.MessageClass);
        Assert.StartsWith("This is the mail system at host mx.example.org.", m.Properties.GetString(PropTags.Body));
        Assert.Equal(2, m.Attachments.Count);
        Assert.Equal("message/delivery-status", m.Attachments[0].Properties.GetString(PropTags.AttachMimeTag));
        Assert.Contains("Action: failed", Encoding.ASCII.GetString(m.Attachments[0].Data!.ToArray()), StringComparison.Ordinal);
        Assert.Equal("text/rfc822-headers", m.Attachments[1].Properties.GetString(PropTags.AttachMimeTag));
        Assert.Equal("auto-replied", EmlSamples.Named(m, "auto-submitted"));
    }

    [Theory]
    [InlineData("delivered", "REPORT.IPM.Note.DR")]
    [InlineData("delayed", "REPORT.IPM.Note.DelayedDSN")]
    public void Other_delivery_reports_get_their_class(string action, string expected)
    {
        var text = File.ReadAllText(EmlSamples.PathOf("ndr.eml")).Replace("Action: failed", "Action: " + action, StringComparison.Ordinal);
        var message = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(text)), TestContext.Current.CancellationToken);
        Assert.Equal(expected, MimeToMapi.Convert(message).MessageClass);
    }

    [Fact]
    public void Read_receipt_is_IPNRN()
    {
        var message = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(
            "From: a@example.com\r\nTo: b@example.com\r\nSubject: Read: hi\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/report; report-type=disposition-notification; boundary=b\r\n\r\n" +
            "--b\r\nContent-Type: text/plain\r\n\r\nRead.\r\n--b\r\nContent-Type: message/disposition-notification\r\n\r\n" +
            "Reporting-UA: x; y\r\nFinal-Recipient: rfc822; b@example.com\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n\r\n--b--\r\n")), TestContext.Current.CancellationToken);
        Assert.Equal("REPORT.IPM.Note.IPNRN", MimeToMapi.Convert(message).MessageClass);
    }

    [Theory]
    [InlineData("emoji-subject.eml", "\U0001F389 F\u00eate de l'\u00e9quipe \U0001F502", "Zo\u00eb Dupont", "Rendez-vous samedi \U0001F37E\r\nZo\u00eb\r\n", 65001)]
    [InlineData("iso-2022-jp.eml", "\u4f1a\u8b70\u306e\u8b70\u4e8b\u9332", "\u5c71\u7530\u592a\u90ce", "\u4f1a\u8b70\u306e\u8b70\u4e8b\u9332\u3092\u304a\u9001\u308a\u3057\u307e\u3059\u3002\r\n", 50220)]
    [InlineData("arabic-1256.eml", "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645", "Ahmed", "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645\r\n", 1256)]
    public void International_subjects_names_and_bodies_are_decoded(string file, string subject, string sender, string body, int cpid)
    {
        var m = EmlSamples.ToMapi(file);
        Assert.Equal(subject, m.Subject);
        Assert.Equal(subject, m.Properties.GetString(PropTags.NormalizedSubject));
        Assert.Equal(sender, m.Properties.GetString(PropTags.SentRepresentingName));
        Assert.Equal(body, m.Properties.GetString(PropTags.Body));
        Assert.Equal(cpid, m.Properties.GetInt32(PropTags.InternetCpid));
    }

    [Fact]
    public void Many_recipients_get_numbered_rows_and_display_lists()
    {
        var m = EmlSamples.ToMapi("many-recipients.eml");
        Assert.Equal(12 + 7 + 1, m.Recipients.Count);
        for (var i = 0; i < m.Recipients.Count; i++) Assert.Equal(i, m.Recipients[i].Properties.GetInt32(PropTags.RowId));
        Assert.Equal(12, m.Recipients.Count(r => r.Type == RecipientType.To));
        Assert.Equal(7, m.Recipients.Count(r => r.Type == RecipientType.Cc));
        Assert.Equal("hidden@example.com", Assert.Single(m.Recipients, r => r.Type == RecipientType.Bcc).EmailAddress);
        Assert.Equal(string.Join("; ", Enumerable.Range(1, 12).Select(i => $"User {i:00}")), m.Properties.GetString(PropTags.DisplayTo));
        Assert.Equal("cc1@example.net; cc2@example.net; cc3@example.net; cc4@example.net; cc5@example.net; dev1@example.org; dev2@example.org", m.Properties.GetString(PropTags.DisplayCc));
        Assert.Equal("hidden@example.com", m.Properties.GetString(PropTags.DisplayBcc));
    }

    [Fact]
    public void Reply_maps_prefix_threading_priority_and_reply_to()
    {
        var m = EmlSamples.ToMapi("reply-thread.eml");
        var p = m.Properties;
        Assert.Equal("RE: AW: Ticket #4711 printer broken", p.GetString(PropTags.Subject));
        Assert.Equal("RE: ", p.GetString(PropTags.SubjectPrefix));
        Assert.Equal("AW: Ticket #4711 printer broken", p.GetString(PropTags.NormalizedSubject));
        Assert.Equal("Frank Ocean", p.GetString(PropTags.SentRepresentingName));
        Assert.Equal("Assistant", p.GetString(PropTags.SenderName));
        Assert.Equal("assistant@example.net", p.GetString(PropTags.SenderEmailAddress));
        Assert.Equal("<reply-2@example.com>", p.GetString(PropTags.InReplyToId));
        Assert.Equal("<start-1@example.net> <reply-2@example.com>", p.GetString(PropTags.InternetReferences));
        Assert.Equal(2, p.GetInt32(PropTags.Importance));
        Assert.Equal(1, p.GetInt32(PropTags.Priority));
        Assert.Equal(3, p.GetInt32(PropTags.Sensitivity));
        Assert.True(p.GetBoolean(PropTags.ReadReceiptRequested));
        Assert.Equal("Support Desk; frank.private@example.net", p.GetString(PropTags.ReplyRecipientNames));
        var entries = OneOffEntryId.ParseFlatEntryList(p.GetBinary(PropTags.ReplyRecipientEntries)!);
        Assert.Equal(2, entries.Count);
        Assert.Equal(OneOff("Support Desk", "support@example.net"), entries[0]);
        Assert.True(OneOffEntryId.TryParse(entries[1], out var second));
        Assert.Equal(new OneOffEntryId("frank.private@example.net", "SMTP", "frank.private@example.net"), second);

        Assert.Equal("Microsoft Outlook 16.0", EmlSamples.Named(m, "x-mailer"));
        Assert.Equal("1 (Highest)", EmlSamples.Named(m, "x-priority"));
        Assert.Equal("4711", EmlSamples.Named(m, "x-ticket-id"));
        Assert.Equal("", EmlSamples.Named(m, "x-ms-has-attach"));
        Assert.Equal("Ticket #4711 printer broken", EmlSamples.Named(m, "thread-topic"));
        var named = p.Where(x => x.Name is not null).ToList();
        Assert.All(named, x => Assert.Equal(PropType.Unicode, x.Tag.Type));
        Assert.All(named, x => Assert.True(x.Tag.Id >= 0x8000));
    }

    [Fact]
    public void Bare_LF_message_without_date_is_converted()
    {
        var m = EmlSamples.ToMapi("bare-lf-no-date.eml");
        var p = m.Properties;
        Assert.Equal("status report", m.Subject);
        Assert.Null(p.Find(PropTags.ClientSubmitTime));
        Assert.Null(p.Find(PropTags.MessageDeliveryTime));
        Assert.Null(p.Find(PropTags.InternetMessageId));
        Assert.Equal("legacy@old-host.example", p.GetString(PropTags.SenderName));
        Assert.Equal("From: legacy@old-host.example\nTo: someone@example.org\nSubject: status report\nX-Script: cron.daily\n", p.GetString(PropTags.TransportMessageHeaders));
        Assert.Equal("cron.daily", EmlSamples.Named(m, "x-script"));
        Assert.Equal("Disk usage is at 81%.\r\nBackups completed.\r\n", p.GetString(PropTags.Body));
        Assert.Equal(16, m.SearchKey!.Length);
        Assert.Equal(20127, p.GetInt32(PropTags.InternetCpid));
    }

    [Fact]
    public void Rtf_and_enriched_bodies_become_compressed_rtf()
    {
        var rtf = EmlSamples.ToMapi("rtf-only.eml");
        var bytes = RtfCompression.Decompress(rtf.Properties.GetBinary(PropTags.RtfCompressed)!);
        Assert.Equal("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\\pard\\f0\\fs20 Hello from \\b RTF\\b0 .\\par}\r\n", Encoding.ASCII.GetString(bytes));
        Assert.True(rtf.Properties.GetBoolean(PropTags.RtfInSync));
        Assert.Empty(rtf.Attachments);

        var enriched = EmlSamples.ToMapi("enriched.eml");
        var text = Encoding.ASCII.GetString(RtfCompression.Decompress(enriched.Properties.GetBinary(PropTags.RtfCompressed)!));
        Assert.StartsWith("{\\rtf1", text);
        Assert.Contains("\\b Important:\\b0  the \\i meeting\\i0  moved.\\par\r\nSee you <there>.", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RE: hello", "RE: ", "hello")]
    [InlineData("Fwd: hello", "Fwd: ", "hello")]
    [InlineData("AW: x", "AW: ", "x")]
    [InlineData("Re:hello", "", "Re:hello")]
    [InlineData("Ticket: 12", "", "Ticket: 12")]
    [InlineData("42: answer", "", "42: answer")]
    [InlineData("", "", "")]
    [InlineData(": x", "", ": x")]
    public void Subject_prefix_rule(string subject, string prefix, string normalized)
    {
        Assert.Equal((prefix, normalized), MimeToMapi.SplitSubject(subject));
    }

    [Fact]
    public void Search_key_source_must_give_16_bytes()
    {
        var e = Assert.Throws<InvalidOperationException>(() => MimeToMapi.Convert(EmlSamples.Load("plain-qp.eml"), new MimeToMapiOptions { NewSearchKey = () => new byte[3] }));
        Assert.Equal("MimeToMapiOptions.NewSearchKey returned 3 bytes; a search key is 16 bytes.", e.Message);
    }
}
