using System.Text;
using Imc.Formats.Mapi;
using Imc.Formats.Mime;
using MimeKit;

namespace Imc.Formats.Tests.Mime;

public sealed class MapiToMimeTests
{
    public static TheoryData<string> AllSamples() =>
        [.. Directory.GetFiles(Path.Combine(Imc.Testing.TestPaths.TestData, "eml"), "*.eml").Select(f => Path.GetFileName(f)!).Order()];

    /// <summary>MIME → MAPI → MIME, written out and parsed again, keeps what a reader of the mail sees.</summary>
    [Theory]
    [MemberData(nameof(AllSamples))]
    public void Round_trip_keeps_envelope_headers_bodies_and_attachments(string file)
    {
        var original = EmlSamples.Load(file);
        var back = Reparse(MapiToMime.Convert(MimeToMapi.Convert(original)));
        AssertSameMessage(original, back);
    }

    private static void AssertSameMessage(MimeMessage original, MimeMessage back)
    {
        Assert.Equal(original.Subject ?? "", back.Subject);
        Assert.Equal(Addresses(original.From), Addresses(back.From));
        Assert.Equal(Addresses(original.To), Addresses(back.To));
        Assert.Equal(Addresses(original.Cc), Addresses(back.Cc));
        Assert.Equal(Addresses(original.Bcc), Addresses(back.Bcc));
        Assert.Equal(Addresses(original.ReplyTo), Addresses(back.ReplyTo));
        if (original.Sender is not null) Assert.Equal(original.Sender.Address, back.Sender?.Address);
        if (original.Headers.Contains(HeaderId.Date)) Assert.Equal(original.Date.UtcDateTime, back.Date.UtcDateTime);
        Assert.Equal(original.MessageId, back.MessageId);
        Assert.Equal(original.InReplyTo, back.InReplyTo);
        Assert.Equal(original.References.ToArray(), back.References.ToArray());
        Assert.Equal(original.Importance, back.Importance);
        foreach (var h in original.Headers.Where(h => h.Field.StartsWith("X-", StringComparison.OrdinalIgnoreCase) || h.Id is HeaderId.Received or HeaderId.ReturnPath))
            Assert.Contains(back.Headers, b => b.Field.Equals(h.Field, StringComparison.OrdinalIgnoreCase) && b.Value == h.Value);

        Assert.Equal(Lines(original.TextBody), Lines(back.TextBody));
        Assert.Equal(Lines(original.HtmlBody), Lines(back.HtmlBody));

        var a = Attachments(original);
        var b2 = Attachments(back);
        if (original.Body is TextPart { IsRichText: true } or TextPart { IsEnriched: true })
        {
            // The RTF-only body comes back as body.rtf; enriched text as its RTF rendering.
            Assert.Equal("body.rtf", Assert.Single(b2).Name);
            return;
        }
        Assert.Equal(a.Count, b2.Count);
        for (var i = 0; i < a.Count; i++)
        {
            // Unnamed parts get a made-up name (attachment001.dat); named ones keep theirs.
            if (a[i].Name.Length > 0) Assert.Equal(a[i].Name, b2[i].Name);
            Assert.Equal(a[i].Bytes, b2[i].Bytes);
        }
    }

    [Fact]
    public void Embedded_message_comes_back_as_message_rfc822()
    {
        var back = Reparse(MapiToMime.Convert(EmlSamples.ToMapi("forwarded.eml")));
        var part = Assert.Single(back.BodyParts.OfType<MessagePart>());
        Assert.NotNull(part.Message);
        Assert.Equal("Quarterly numbers", part.Message.Subject);
        Assert.Equal("20230314082641.GA1234@mail.example.com", part.Message.MessageId);
        var inner = Assert.Single(part.Message.Attachments.OfType<MimePart>());
        Assert.Equal("q1.txt", inner.FileName);
    }

    [Fact]
    public void Inline_image_stays_related_to_the_html()
    {
        var back = Reparse(MapiToMime.Convert(EmlSamples.ToMapi("inline-image.eml")));
        var related = Assert.IsType<MultipartRelated>(back.Body);
        var image = Assert.Single(related.OfType<MimePart>(), p => p.ContentType.IsMimeType("image", "png"));
        Assert.Equal("image001.png@01D958A1.2B3C4D50", image.ContentId);
        Assert.True(image.IsAttachment == false);
    }

    [Fact]
    public void Rtf_only_body_becomes_body_rtf()
    {
        var back = Reparse(MapiToMime.Convert(EmlSamples.ToMapi("rtf-only.eml")));
        var rtf = Assert.Single(back.Attachments.OfType<MimePart>());
        Assert.Equal("body.rtf", rtf.FileName);
        Assert.Equal("application/rtf", rtf.ContentType.MimeType);
        using var ms = new MemoryStream();
        rtf.Content!.DecodeTo(ms, TestContext.Current.CancellationToken);
        Assert.StartsWith("{\\rtf1\\ansi\\ansicpg1252", Encoding.ASCII.GetString(ms.ToArray()));
    }

    [Fact]
    public void Exchange_addresses_are_encapsulated_and_named_headers_re_emitted()
    {
        var m = new MapiMessage();
        m.Properties.Set(PropTags.Subject, "From the directory");
        m.Properties.Set(PropTags.SentRepresentingName, "Admin");
        m.Properties.Set(PropTags.SentRepresentingAddrType, "EX");
        m.Properties.Set(PropTags.SentRepresentingEmailAddress, "/O=ORG/OU=SITE/CN=RECIPIENTS/CN=ADMIN");
        m.Properties.Set(PropTags.Body, "hi");
        m.Properties.Set(PropertyName.FromName(PropertySets.InternetHeaders, "x-original-arrival"), PropType.Unicode, "today");
        m.Recipients.Add(new MapiRecipient(RecipientType.To, "Bob", "bob@example.org"));
        var ole = new MapiAttachment { Method = AttachMethod.Ole, Data = BinaryContent.FromBytes([1, 2, 3]) };
        ole.Properties.Set(PropTags.DisplayName, "Picture");
        m.Attachments.Add(ole);

        var back = Reparse(MapiToMime.Convert(m));
        var from = Assert.Single(back.From.Mailboxes);
        Assert.Equal("Admin", from.Name);
        Assert.Equal("IMCEAEX-_O=ORG_OU=SITE_CN=RECIPIENTS_CN=ADMIN@unknown.invalid", from.Address);
        Assert.Equal("today", back.Headers["X-Original-Arrival"]);
        Assert.Equal("bob@example.org", Assert.Single(back.To.Mailboxes).Address);
        var part = Assert.Single(back.Attachments.OfType<MimePart>());
        Assert.Equal("Picture.ole", part.FileName);
        Assert.Equal("application/octet-stream", part.ContentType.MimeType);
        Assert.Equal("hi", back.TextBody);
    }

    private static MimeMessage Reparse(MimeMessage message)
    {
        var ms = new MemoryStream();
        message.WriteTo(ms, TestContext.Current.CancellationToken);
        ms.Position = 0;
        return MimeMessage.Load(ms, TestContext.Current.CancellationToken);
    }

    private static string[] Addresses(InternetAddressList list) =>
        [.. list.Mailboxes.Select(m => (m.Name ?? "") + " <" + m.Address + ">")];

    private static string? Lines(string? text) => text?.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');

    private static List<(string Name, byte[] Bytes)> Attachments(MimeMessage m)
    {
        var list = new List<(string, byte[])>();
        foreach (var e in m.BodyParts)
        {
            if (e is not MimePart p || p is TextPart { IsAttachment: false, ContentId: null }) continue;
            if (p is TextPart && !p.IsAttachment && m.Body is not Multipart) continue;
            using var ms = new MemoryStream();
            p.Content?.DecodeTo(ms);
            list.Add((p.FileName ?? "", ms.ToArray()));
        }
        return list;
    }
}
