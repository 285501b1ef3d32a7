using System.Globalization;
using System.Text;
using Imc.Formats.Mapi;
using MimeKit;

namespace Imc.Formats.Mime;

/// <summary>
/// Turns a MAPI message (e.g. read from a winmail.dat) into a standard Internet message: envelope from the MAPI
/// properties, other headers from PR_TRANSPORT_MESSAGE_HEADERS and PS_INTERNET_HEADERS, plain and HTML bodies as
/// multipart/alternative, RTF-only bodies as a body.rtf attachment, attachments streamed from their
/// <see cref="BinaryContent"/>, embedded messages as message/rfc822. Keep the MapiMessage's content readable until
/// the MimeMessage has been written: attachment streams are opened here and read when it is written.
/// </summary>
public static class MapiToMime
{
    /// <summary>Headers this converter writes from MAPI properties; original copies of them are not re-emitted.</summary>
    private static readonly HashSet<string> Generated = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Sender", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
        "Reply-To", "Importance", "Sensitivity", "Disposition-Notification-To",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-ID",
        "Content-Description", "Content-Language", "Content-Location", "Content-Base",
    };

    static MapiToMime() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static MimeMessage Convert(MapiMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var p = message.Properties;
        var mime = new MimeMessage();
        mime.Headers.Clear();

        // Original headers first (Received, Return-Path, X-…), as they came, then the envelope from the properties.
        var emitted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (p.GetString(PropTags.TransportMessageHeaders) is { Length: > 0 } block)
        {
            foreach (var h in ParseHeaderBlock(block))
            {
                if (Generated.Contains(h.Field)) continue;
                mime.Headers.Add(h);
                emitted.Add(h.Field);
            }
        }
        foreach (var prop in p)
        {
            if (prop.Name is not { IsString: true } name || name.PropertySet != PropertySets.InternetHeaders) continue;
            if (prop.Value is not string value || emitted.Contains(name.Name!) || Generated.Contains(name.Name!)) continue;
            mime.Headers.Add(CanonicalFieldName(name.Name!), value);
            emitted.Add(name.Name!);
        }

        if (Mailbox(p, PropTags.SentRepresentingName, PropTags.SentRepresentingAddrType, PropTags.SentRepresentingEmailAddress) is { } from)
            mime.From.Add(from);
        var sender = Mailbox(p, PropTags.SenderName, PropTags.SenderAddrType, PropTags.SenderEmailAddress);
        if (sender is not null && (mime.From.Count == 0 || !mime.From.Mailboxes.Any(m => m.Address.Equals(sender.Address, StringComparison.OrdinalIgnoreCase))))
        {
            if (mime.From.Count == 0) mime.From.Add(sender);
            else mime.Sender = sender;
        }
        if (p.GetBinary(PropTags.ReplyRecipientEntries) is { } replyEntries)
            foreach (var id in OneOffEntryId.ParseFlatEntryList(replyEntries))
                if (OneOffEntryId.TryParse(id, out var oneOff) && oneOff is not null)
                    mime.ReplyTo.Add(MakeMailbox(oneOff.DisplayName, oneOff.AddressType, oneOff.Address));

        foreach (var r in message.Recipients)
        {
            var box = RecipientMailbox(r);
            if (box is null) continue;
            (r.Type switch { RecipientType.Cc => mime.Cc, RecipientType.Bcc => mime.Bcc, _ => mime.To }).Add(box);
        }

        mime.Subject = p.GetString(PropTags.Subject)
            ?? (p.GetString(PropTags.SubjectPrefix) ?? "") + (p.GetString(PropTags.NormalizedSubject) ?? "");
        if ((p.GetDateTime(PropTags.ClientSubmitTime) ?? p.GetDateTime(PropTags.MessageDeliveryTime)) is { } date)
            mime.Date = new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc));
        if (StripAngles(p.GetString(PropTags.InternetMessageId)) is { Length: > 0 } messageId) mime.MessageId = messageId;
        if (StripAngles(p.GetString(PropTags.InReplyToId)) is { Length: > 0 } inReplyTo) mime.InReplyTo = inReplyTo;
        if (p.GetString(PropTags.InternetReferences) is { Length: > 0 } references)
            foreach (var id in MimeKit.Utils.MimeUtils.EnumerateReferences(references)) mime.References.Add(id);
        switch (p.GetInt32(PropTags.Importance))
        {
            case 0: mime.Importance = MessageImportance.Low; break;
            case 2: mime.Importance = MessageImportance.High; break;
        }
        switch (p.GetInt32(PropTags.Sensitivity))
        {
            case 1: mime.Headers.Add(HeaderId.Sensitivity, "Personal"); break;
            case 2: mime.Headers.Add(HeaderId.Sensitivity, "Private"); break;
            case 3: mime.Headers.Add(HeaderId.Sensitivity, "Company-Confidential"); break;
        }
        if (p.GetBoolean(PropTags.ReadReceiptRequested) == true && mime.From.Mailboxes.FirstOrDefault() is { } notify)
            mime.Headers.Add(HeaderId.DispositionNotificationTo, notify.ToString(FormatOptions.Default, encode: true));
        mime.Headers.Add(HeaderId.MimeVersion, "1.0");

        mime.Body = BuildBody(message);
        return mime;
    }

    private static MimeEntity BuildBody(MapiMessage message)
    {
        var p = message.Properties;
        var parts = new List<MimeEntity>();
        var text = p.GetString(PropTags.Body) ?? p.GetString(PropTags.Body.WithType(PropType.String8));
        if (text is not null)
        {
            var plain = new TextPart("plain");
            plain.SetText(Encoding.UTF8, text);
            plain.ContentTransferEncoding = plain.GetBestEncoding(EncodingConstraint.SevenBit);
            parts.Add(plain);
        }
        if (p.GetBinary(PropTags.Html) is { } htmlBytes)
        {
            var html = new TextPart("html") { Content = new MimeContent(new MemoryStream(htmlBytes, writable: false)) };
            var cpid = p.GetInt32(PropTags.InternetCpid);
            var charset = cpid is { } cp ? CharsetName(cp) : null;
            if (charset is not null) html.ContentType.Charset = charset;
            html.ContentTransferEncoding = html.GetBestEncoding(EncodingConstraint.SevenBit);
            parts.Add(html);
        }

        var attachments = new List<MimeEntity>();
        if (parts.Count == 0 && p.GetBinary(PropTags.RtfCompressed) is { } rtfCompressed)
        {
            // RTF is the only body: keep it as a document rather than guess at a text rendering.
            var rtf = new MimePart("application", "rtf")
            {
                Content = new MimeContent(new MemoryStream(RtfCompression.Decompress(rtfCompressed), writable: false)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.QuotedPrintable,
                FileName = "body.rtf",
            };
            attachments.Add(rtf);
        }

        var inline = new List<MimeEntity>();
        var number = 0;
        foreach (var a in message.Attachments)
        {
            number++;
            var entity = AttachmentEntity(a, number, out var isInline);
            if (entity is null) continue;
            if (isInline && parts.Count > 0 && p.GetBinary(PropTags.Html) is not null) inline.Add(entity);
            else attachments.Add(entity);
        }

        if (parts.Count == 0 && attachments.Count > 0)
        {
            // No text body at all (e.g. RTF only): the attachments alone, without an empty text part.
            var only = new Multipart("mixed");
            foreach (var a in attachments) only.Add(a);
            return only;
        }
        MimeEntity body = parts.Count switch
        {
            0 => EmptyText(),
            1 => parts[0],
            _ => new MultipartAlternative(parts.ToArray()),
        };
        if (inline.Count > 0)
        {
            var related = new MultipartRelated { body };
            foreach (var i in inline) related.Add(i);
            body = related;
        }
        if (attachments.Count == 0) return body;
        var mixed = new Multipart("mixed") { body };
        foreach (var a in attachments) mixed.Add(a);
        return mixed;
    }

    private static TextPart EmptyText()
    {
        var t = new TextPart("plain");
        t.SetText(Encoding.ASCII, "");
        return t;
    }

    private static MimeEntity? AttachmentEntity(MapiAttachment a, int number, out bool isInline)
    {
        var ap = a.Properties;
        isInline = false;
        switch (a.Method)
        {
            case AttachMethod.EmbeddedMessage when a.EmbeddedMessage is not null:
                return new MessagePart("rfc822") { Message = Convert(a.EmbeddedMessage), ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) };
            case AttachMethod.EmbeddedMessage:
                return null;
            case AttachMethod.Ole:
            {
                var baseName = a.FileName ?? ap.GetString(PropTags.DisplayName) ?? "ole-object" + number.ToString(CultureInfo.InvariantCulture);
                var oleName = Path.HasExtension(baseName) ? baseName : baseName + ".ole";
                return DataPart("application/octet-stream", oleName, a.Data, null, inline: false);
            }
            case AttachMethod.ByReference or AttachMethod.ByRefResolve or AttachMethod.ByRefOnly:
            {
                // The data lives elsewhere: say where, so nothing is silently lost.
                var path = ap.GetString(PropTags.AttachLongPathname) ?? ap.GetString(PropTags.AttachPathname) ?? "";
                var note = new TextPart("plain") { FileName = (a.FileName ?? "attachment" + number.ToString(CultureInfo.InvariantCulture)) + ".txt" };
                note.SetText(Encoding.UTF8, $"Attachment by reference: {path}\r\n");
                note.ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = note.FileName };
                return note;
            }
        }
        var name = a.FileName ?? ap.GetString(PropTags.DisplayName) ?? "attachment" + number.ToString(CultureInfo.InvariantCulture);
        var mimeTag = ap.GetString(PropTags.AttachMimeTag);
        var type = !string.IsNullOrWhiteSpace(mimeTag) && mimeTag.Contains('/', StringComparison.Ordinal) ? mimeTag : MimeTypes.GetMimeType(name);
        var contentId = ap.GetString(PropTags.AttachContentId);
        isInline = !string.IsNullOrEmpty(contentId) && (ap.GetBoolean(PropTags.AttachmentHidden) == true || ((ap.GetInt32(PropTags.AttachFlags) ?? 0) & 4) != 0);
        return DataPart(type, name, a.Data, contentId, isInline);
    }

    private static MimePart DataPart(string mimeType, string fileName, BinaryContent? data, string? contentId, bool inline)
    {
        var part = new MimePart(ContentType.TryParse(mimeType, out var ct) ? ct : new ContentType("application", "octet-stream"))
        {
            Content = new MimeContent(data?.OpenRead() ?? new MemoryStream([], writable: false)),
            ContentDisposition = new ContentDisposition(inline ? ContentDisposition.Inline : ContentDisposition.Attachment),
            FileName = fileName,
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        if (!string.IsNullOrEmpty(contentId)) part.ContentId = contentId;
        return part;
    }

    private static MailboxAddress? RecipientMailbox(MapiRecipient r)
    {
        var rp = r.Properties;
        var name = rp.GetString(PropTags.DisplayName) ?? rp.GetString(PropTags.DisplayName.WithType(PropType.String8)) ?? "";
        var smtp = rp.GetString(PropTags.SmtpAddress);
        var type = rp.GetString(PropTags.AddrType) ?? rp.GetString(PropTags.AddrType.WithType(PropType.String8)) ?? "SMTP";
        var email = rp.GetString(PropTags.EmailAddress) ?? rp.GetString(PropTags.EmailAddress.WithType(PropType.String8));
        if (!string.IsNullOrEmpty(smtp)) return MakeMailbox(name, "SMTP", smtp);
        if (string.IsNullOrEmpty(email))
        {
            if (rp.GetBinary(PropTags.EntryId) is { } id && OneOffEntryId.TryParse(id, out var oneOff) && oneOff is not null)
                return MakeMailbox(oneOff.DisplayName, oneOff.AddressType, oneOff.Address);
            return name.Length == 0 ? null : MakeMailbox(name, "SMTP", "");
        }
        return MakeMailbox(name, type, email);
    }

    private static MailboxAddress? Mailbox(PropertyBag p, PropTag name, PropTag type, PropTag email)
    {
        var n = p.GetString(name) ?? p.GetString(name.WithType(PropType.String8));
        var t = p.GetString(type) ?? p.GetString(type.WithType(PropType.String8)) ?? "SMTP";
        var e = p.GetString(email) ?? p.GetString(email.WithType(PropType.String8));
        if (string.IsNullOrEmpty(e)) return string.IsNullOrEmpty(n) ? null : MakeMailbox(n, "SMTP", "");
        return MakeMailbox(n ?? "", t, e);
    }

    /// <summary>
    /// An SMTP mailbox; any other address type (EX, X400, FAX…) is wrapped the way Exchange does it,
    /// IMCEA&lt;type&gt;-&lt;address with +XX escapes&gt;@unknown.invalid, so the address is kept and stays valid RFC 5322.
    /// </summary>
    private static MailboxAddress MakeMailbox(string name, string type, string address)
    {
        if (!type.Equals("SMTP", StringComparison.OrdinalIgnoreCase) || !address.Contains('@', StringComparison.Ordinal))
        {
            if (address.Length == 0) address = name.Length > 0 ? name : "unknown";
            var sb = new StringBuilder("IMCEA").Append(type.ToUpperInvariant()).Append('-');
            foreach (var b in Encoding.UTF8.GetBytes(address))
            {
                var c = (char)b;
                if (c == '/') sb.Append('_');
                else if (b < 128 && (char.IsLetterOrDigit(c) || "!#$%&'*-=?^`{|}~.".Contains(c, StringComparison.Ordinal))) sb.Append(c);
                else sb.Append('+').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            address = sb.Append("@unknown.invalid").ToString();
        }
        return new MailboxAddress(name == address ? "" : name, address);
    }

    private static string? StripAngles(string? id) => id?.Trim().TrimStart('<').TrimEnd('>');

    private static string? CharsetName(int codePage)
    {
        try { return Encoding.GetEncoding(codePage).WebName; }
        catch (ArgumentException) { return null; }
        catch (NotSupportedException) { return null; }
    }

    /// <summary>"x-mailer" → "X-Mailer": PS_INTERNET_HEADERS names are stored in lower case.</summary>
    internal static string CanonicalFieldName(string name) =>
        string.Join('-', name.Split('-').Select(s => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..]));

    private static List<Header> ParseHeaderBlock(string block)
    {
        var text = block.EndsWith('\n') ? block + "\r\n" : block + "\r\n\r\n";
        // Latin-1 would mangle raw UTF-8 header text; the parser reads bytes, so give it UTF-8.
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        try
        {
            return [.. HeaderList.Load(ParserOptions.Default, stream)];
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
