using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Imc.Formats.Mapi;
using MimeKit;

namespace Imc.Formats.Mime;

/// <summary>
/// Converts an Internet message (MimeKit) into a MAPI message the way an Exchange Internet Mail Connector does
/// (formats.md §1.5): envelope and header properties, the recipient table, bodies and attachments. Every string
/// property is PT_UNICODE.
/// </summary>
public static class MimeToMapi
{
    /// <summary>Headers that become ordinary MAPI properties; every other header is also kept as a PS_INTERNET_HEADERS named property.</summary>
    internal static readonly HashSet<string> MappedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Sender", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
        "Reply-To", "Importance", "Priority", "Sensitivity", "Disposition-Notification-To",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-ID",
        "Content-Description", "Content-Language", "Content-Location", "Content-Base",
        // Trace headers stay only in PR_TRANSPORT_MESSAGE_HEADERS: they repeat and belong to the transport.
        "Received", "Return-Path",
    };

    static MimeToMapi() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Converts <paramref name="message"/>; see <see cref="MimeToMapiOptions"/> for what can be chosen.</summary>
    public static MapiMessage Convert(MimeMessage message, MimeToMapiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Converter(options ?? new MimeToMapiOptions()).Convert(message, topLevel: true);
    }

    /// <summary>Splits a subject into prefix ("RE: ", or "") and normalized subject per PR_NORMALIZED_SUBJECT's rule.</summary>
    public static (string Prefix, string Normalized) SplitSubject(string subject)
    {
        // A prefix is 1–3 characters, none of them a digit, followed by ": ".
        var colon = subject.IndexOf(':', StringComparison.Ordinal);
        if (colon is >= 1 and <= 3 && colon + 1 < subject.Length && subject[colon + 1] == ' ')
        {
            var head = subject.AsSpan(0, colon);
            var ok = true;
            foreach (var c in head)
                if (char.IsDigit(c) || char.IsWhiteSpace(c)) ok = false;
            if (ok) return (subject[..(colon + 2)], subject[(colon + 2)..]);
        }
        return ("", subject);
    }

    /// <summary>The Windows code page of a MIME charset name, or null when .NET does not know it.</summary>
    public static int? CodePageOf(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset)) return null;
        try { return Encoding.GetEncoding(charset.Trim()).CodePage; }
        catch (ArgumentException) { return null; }
    }

    private sealed class Converter(MimeToMapiOptions options)
    {
        private MapiMessage _mapi = null!;
        private bool _haveBody;
        private bool _haveHtml;
        private bool _haveRtf;
        private int? _bodyCodePage;

        public MapiMessage Convert(MimeMessage message, bool topLevel)
        {
            _mapi = new MapiMessage();
            var p = _mapi.Properties;
            p.Set(PropTags.MessageClass, MessageClassOf(message));

            var subject = message.Subject ?? "";
            var (prefix, normalized) = SplitSubject(subject);
            p.Set(PropTags.Subject, subject);
            p.Set(PropTags.SubjectPrefix, prefix);
            p.Set(PropTags.NormalizedSubject, normalized);
            p.Set(PropTags.ConversationTopic, normalized);

            var from = message.From.Mailboxes.FirstOrDefault();
            var sender = message.Sender ?? from;
            if (from is not null)
                SetAddressGroup(p, from, PropTags.SentRepresentingName, PropTags.SentRepresentingAddrType, PropTags.SentRepresentingEmailAddress,
                    PropTags.SentRepresentingSearchKey, PropTags.SentRepresentingEntryId);
            if (sender is not null)
                SetAddressGroup(p, sender, PropTags.SenderName, PropTags.SenderAddrType, PropTags.SenderEmailAddress,
                    PropTags.SenderSearchKey, PropTags.SenderEntryId);

            AddRecipients(message.To, RecipientType.To, PropTags.DisplayTo);
            AddRecipients(message.Cc, RecipientType.Cc, PropTags.DisplayCc);
            AddRecipients(message.Bcc, RecipientType.Bcc, PropTags.DisplayBcc);

            var hasDate = message.Headers.Contains(HeaderId.Date) && message.Date != DateTimeOffset.MinValue;
            if (hasDate) p.Set(PropTags.ClientSubmitTime, message.Date.UtcDateTime);
            var received = (topLevel ? options.ReceivedTime : null) ?? (hasDate ? message.Date.UtcDateTime : null);
            if (received is { } r) p.Set(PropTags.MessageDeliveryTime, r.Kind == DateTimeKind.Local ? r.ToUniversalTime() : DateTime.SpecifyKind(r, DateTimeKind.Utc));

            if (!string.IsNullOrEmpty(message.MessageId)) p.Set(PropTags.InternetMessageId, "<" + message.MessageId + ">");
            if (!string.IsNullOrEmpty(message.InReplyTo)) p.Set(PropTags.InReplyToId, "<" + message.InReplyTo + ">");
            if (message.References.Count > 0) p.Set(PropTags.InternetReferences, string.Join(" ", message.References.Select(id => "<" + id + ">")));

            var replyTo = message.ReplyTo.Mailboxes.ToList();
            if (replyTo.Count > 0)
            {
                p.Set(PropTags.ReplyRecipientNames, string.Join("; ", replyTo.Select(NameOf)));
                p.Set(PropTags.ReplyRecipientEntries, OneOffEntryId.ToFlatEntryList(replyTo.Select(m => new OneOffEntryId(NameOf(m), "SMTP", m.Address).ToBytes())));
            }

            var (importance, priority) = ImportanceOf(message.Headers);
            p.Set(PropTags.Importance, importance);
            p.Set(PropTags.Priority, priority);
            if (message.Headers[HeaderId.Sensitivity] is { } sensitivity) p.Set(PropTags.Sensitivity, SensitivityOf(sensitivity));
            if (message.Headers.Contains(HeaderId.DispositionNotificationTo)) p.Set(PropTags.ReadReceiptRequested, true);

            p.Set(PropTags.TransportMessageHeaders, HeaderBlock(message));
            AddInternetHeaders(message.Headers);

            if (message.Body is not null) Walk(message.Body, bodyContext: true, related: false);
            var cpid = _bodyCodePage ?? 20127; // RFC 2045: no charset means us-ascii
            p.Set(PropTags.InternetCpid, cpid);
            p.Set(PropTags.MessageCodepage, cpid);

            var hasAttach = _mapi.Attachments.Count > 0;
            p.Set(PropTags.HasAttach, hasAttach);
            p.Set(PropTags.MessageFlags, hasAttach ? 0x10 : 0); // MSGFLAG_HASATTACH
            p.Set(PropTags.SearchKey, NewSearchKey(message));
            return _mapi;
        }

        private byte[] NewSearchKey(MimeMessage message)
        {
            if (options.NewSearchKey is { } make)
            {
                var key = make();
                if (key is not { Length: 16 }) throw new InvalidOperationException($"MimeToMapiOptions.NewSearchKey returned {key?.Length ?? 0} bytes; a search key is 16 bytes.");
                return key;
            }
            return string.IsNullOrEmpty(message.MessageId)
                ? Guid.NewGuid().ToByteArray()
                : MD5.HashData(Encoding.UTF8.GetBytes(message.MessageId));
        }

        private static string MessageClassOf(MimeMessage message)
        {
            if (message.Body is not MultipartReport report) return "IPM.Note";
            var type = report.ReportType?.ToLowerInvariant();
            if (type == "disposition-notification")
            {
                var disposition = report.OfType<MessageDispositionNotification>().FirstOrDefault()?.Fields["Disposition"] ?? "";
                // "displayed" is a read notification; deleted/denied/failed are not-read notifications.
                return disposition.Contains("displayed", StringComparison.OrdinalIgnoreCase) ? "REPORT.IPM.Note.IPNRN" : "REPORT.IPM.Note.IPNNRN";
            }
            if (type == "delivery-status")
            {
                // MimeKit's parsed status groups, not a text scan: real bounces (e.g. rewritten by a filtering relay)
                // encode the per-recipient fields, which a scan of the raw part would not see.
                var actions = report.OfType<MessageDeliveryStatus>().SelectMany(s => s.StatusGroups.Skip(1))
                    .Select(g => g["Action"]?.Trim().ToLowerInvariant()).ToList();
                if (actions.Contains("failed")) return "REPORT.IPM.Note.NDR";
                if (actions.Contains("delayed")) return "REPORT.IPM.Note.DelayedDSN";
                return "REPORT.IPM.Note.DR";
            }
            return "IPM.Note";
        }

        private static string NameOf(MailboxAddress m) => string.IsNullOrEmpty(m.Name) ? m.Address : m.Name;

        private static void SetAddressGroup(PropertyBag p, MailboxAddress m, PropTag name, PropTag type, PropTag email, PropTag searchKey, PropTag entryId)
        {
            p.Set(name, NameOf(m));
            p.Set(type, "SMTP");
            p.Set(email, m.Address);
            p.Set(searchKey, OneOffEntryId.SearchKey("SMTP", m.Address));
            p.Set(entryId, new OneOffEntryId(NameOf(m), "SMTP", m.Address).ToBytes());
        }

        private void AddRecipients(InternetAddressList list, RecipientType type, PropTag display)
        {
            var names = new List<string>();
            foreach (var m in list.Mailboxes)
            {
                var row = new MapiRecipient();
                var rp = row.Properties;
                rp.Set(PropTags.RowId, _mapi.Recipients.Count);
                rp.Set(PropTags.RecipientType, (int)type);
                rp.Set(PropTags.DisplayName, NameOf(m));
                rp.Set(PropTags.AddrType, "SMTP");
                rp.Set(PropTags.EmailAddress, m.Address);
                rp.Set(PropTags.SmtpAddress, m.Address);
                rp.Set(PropTags.EntryId, new OneOffEntryId(NameOf(m), "SMTP", m.Address).ToBytes());
                rp.Set(PropTags.SearchKey, OneOffEntryId.SearchKey("SMTP", m.Address));
                rp.Set(PropTags.ObjectType, 6);  // MAPI_MAILUSER
                rp.Set(PropTags.DisplayType, 0); // DT_MAILUSER
                _mapi.Recipients.Add(row);
                names.Add(NameOf(m));
            }
            if (names.Count > 0) _mapi.Properties.Set(display, string.Join("; ", names));
        }

        private static (int Importance, int Priority) ImportanceOf(HeaderList headers)
        {
            int? importance = null;
            if (headers[HeaderId.Importance] is { } imp)
                importance = imp.Trim().ToLowerInvariant() switch { "low" => 0, "high" => 2, _ => 1 };
            else if (headers[HeaderId.XPriority] is { } xp && xp.Trim() is { Length: > 0 } x)
                importance = x[0] switch { '1' or '2' => 2, '4' or '5' => 0, _ => 1 };
            int? priority = null;
            if (headers[HeaderId.Priority] is { } pr)
                priority = pr.Trim().ToLowerInvariant() switch { "urgent" => 1, "non-urgent" => -1, _ => 0 };
            var i = importance ?? 1;
            return (i, priority ?? i - 1);
        }

        private static int SensitivityOf(string value) => value.Trim().ToLowerInvariant() switch
        {
            "personal" => 1,
            "private" => 2,
            "company-confidential" => 3,
            _ => 0,
        };

        /// <summary>
        /// The header block byte for byte as parsed (folding and line ends kept), as text. MimeKit moves the Content-*
        /// headers to the body entity, so both lists are merged back into file order by their parse offsets.
        /// </summary>
        private static string HeaderBlock(MimeMessage message)
        {
            var all = message.Headers.ToList();
            if (message.Body is not null) all.AddRange(message.Body.Headers);
            if (all.All(h => h.Offset.HasValue)) all.Sort((a, b) => a.Offset!.Value.CompareTo(b.Offset!.Value));
            using var ms = new MemoryStream();
            foreach (var h in all)
            {
                ms.Write(h.RawField);
                ms.WriteByte((byte)':');
                ms.Write(h.RawValue);
            }
            return DecodeHeaderBytes(ms.ToArray());
        }

        /// <summary>Raw 8-bit headers are nearly always UTF-8; anything else is kept byte for byte as Latin-1.</summary>
        internal static string DecodeHeaderBytes(byte[] bytes)
        {
            try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
            catch (DecoderFallbackException) { return Encoding.Latin1.GetString(bytes); }
        }

        private void AddInternetHeaders(HeaderList headers)
        {
            foreach (var h in headers)
            {
                if (MappedHeaders.Contains(h.Field)) continue;
                var name = PropertyName.FromName(PropertySets.InternetHeaders, h.Field.ToLowerInvariant());
                // A repeated header keeps its first value here; all of them are in PR_TRANSPORT_MESSAGE_HEADERS.
                if (_mapi.Properties.Find(name) is not null) continue;
                _mapi.Properties.Set(name, PropType.Unicode, h.Value ?? "");
            }
        }

        /// <summary>Takes the first text (or alternative) part of each context as the body; everything else is an attachment.</summary>
        private void Walk(MimeEntity entity, bool bodyContext, bool related)
        {
            switch (entity)
            {
                case MultipartAlternative alternative when bodyContext && !IsAttachment(entity):
                    foreach (var child in alternative)
                        if (!TakeBody(child)) Walk(child, bodyContext: true, related);
                    return;
                case MultipartRelated rel when bodyContext && !IsAttachment(entity):
                    var root = rel.Root;
                    if (root is not null) Walk(root, bodyContext: true, related: true);
                    foreach (var child in rel)
                        if (!ReferenceEquals(child, root)) Walk(child, bodyContext: false, related: true);
                    return;
                case Multipart multipart:
                    var first = true;
                    foreach (var child in multipart)
                    {
                        Walk(child, bodyContext && first, related);
                        first = false;
                    }
                    return;
                case MessagePart messagePart:
                    AddEmbedded(messagePart);
                    return;
                case MimePart part:
                    if (bodyContext && !IsAttachment(part) && TakeBody(part)) return;
                    AddAttachment(part, related);
                    return;
            }
        }

        /// <summary>PR_BODY uses CR LF line ends whatever the MIME part had.</summary>
        private static string ToCrLf(string text) =>
            text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace("\n", "\r\n", StringComparison.Ordinal);

        private static bool IsAttachment(MimeEntity entity) =>
            entity.ContentDisposition?.Disposition?.Equals(ContentDisposition.Attachment, StringComparison.OrdinalIgnoreCase) == true;

        /// <summary>Takes a text/plain, text/html, text/rtf or text/enriched part as a body if that body is still free.</summary>
        private bool TakeBody(MimeEntity entity)
        {
            if (entity is not TextPart text || IsAttachment(entity)) return false;
            var p = _mapi.Properties;
            if (text.IsPlain && !_haveBody)
            {
                p.Set(PropTags.Body, ToCrLf(text.Text));
                _haveBody = true;
                _bodyCodePage ??= CodePageOf(text.ContentType.Charset);
                return true;
            }
            if (text.IsHtml && !_haveHtml)
            {
                using var ms = new MemoryStream();
                text.Content?.DecodeTo(ms);
                p.Set(PropTags.Html, ms.ToArray());
                _haveHtml = true;
                // PR_INTERNET_CPID describes PR_HTML's bytes, so the HTML part's charset wins.
                _bodyCodePage = CodePageOf(text.ContentType.Charset) ?? _bodyCodePage;
                return true;
            }
            if ((text.IsRichText || text.IsEnriched) && !_haveRtf)
            {
                byte[] rtf;
                if (text.IsRichText)
                {
                    using var ms = new MemoryStream();
                    text.Content?.DecodeTo(ms);
                    rtf = ms.ToArray();
                }
                else
                {
                    rtf = Encoding.ASCII.GetBytes(EnrichedToRtf.Convert(text.Text));
                }
                p.Set(PropTags.RtfCompressed, RtfCompression.Compress(rtf));
                p.Set(PropTags.RtfInSync, true);
                _haveRtf = true;
                return true;
            }
            return false;
        }

        private void AddAttachment(MimePart part, bool related)
        {
            var attach = new MapiAttachment { Method = AttachMethod.ByValue };
            var num = _mapi.Attachments.Count;
            var mimeType = part.ContentType.MimeType.ToLowerInvariant();
            var longName = part.FileName;
            if (string.IsNullOrWhiteSpace(longName))
            {
                var ext = MimeTypes.TryGetExtension(mimeType, out var e) ? e : ".dat";
                longName = (part.ContentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase) ? "image" : "attachment")
                    + (num + 1).ToString("000", CultureInfo.InvariantCulture) + ext;
            }
            longName = Path.GetFileName(longName.Replace('\\', '/'));

            var data = ContentOf(part);
            var ap = attach.Properties;
            ap.Set(PropTags.AttachNum, num);
            ap.Set(PropTags.AttachLongFilename, longName);
            ap.Set(PropTags.AttachFilename, ShortName(longName, _mapi.Attachments.Select(a => a.Properties.GetString(PropTags.AttachFilename))));
            ap.Set(PropTags.AttachExtension, Path.GetExtension(longName));
            ap.Set(PropTags.DisplayName, longName);
            ap.Set(PropTags.AttachMimeTag, mimeType);
            if (!string.IsNullOrEmpty(part.ContentId))
            {
                ap.Set(PropTags.AttachContentId, part.ContentId);
                if (related) ap.Set(PropTags.AttachFlags, 4); // ATT_MHTML_REF: referenced from the HTML body
            }
            if (part.ContentLocation is { } location) ap.Set(PropTags.AttachContentLocation, location.ToString());
            if (related && !string.IsNullOrEmpty(part.ContentId)) ap.Set(PropTags.AttachmentHidden, true);
            ap.Set(PropTags.AttachSize, (int)Math.Min(int.MaxValue, data.Length));
            ap.Set(PropTags.RenderingPosition, -1);
            attach.Data = data;
            _mapi.Attachments.Add(attach);
        }

        private BinaryContent ContentOf(MimePart part)
        {
            if (part.Content is null) return BinaryContent.FromBytes([]);
            var encodedLength = part.Content.Stream is { CanSeek: true } s ? s.Length : 0;
            if (encodedLength <= options.InMemoryAttachmentLimit)
            {
                using var ms = new MemoryStream();
                part.Content.DecodeTo(ms);
                return BinaryContent.FromBytes(ms.ToArray());
            }
            return new MimePartContent(part.Content);
        }

        private void AddEmbedded(MessagePart messagePart)
        {
            var attach = new MapiAttachment { Method = AttachMethod.EmbeddedMessage };
            var ap = attach.Properties;
            var num = _mapi.Attachments.Count;
            ap.Set(PropTags.AttachNum, num);
            var inner = messagePart.Message;
            var subject = inner?.Subject ?? "";
            ap.Set(PropTags.DisplayName, subject.Length > 0 ? subject : "Forwarded message");
            ap.Set(PropTags.AttachMimeTag, messagePart.ContentType.MimeType.ToLowerInvariant());
            ap.Set(PropTags.RenderingPosition, -1);
            if (inner is not null)
                attach.EmbeddedMessage = new Converter(options).Convert(inner, topLevel: false);
            ap.Set(PropTags.AttachSize, 0);
            _mapi.Attachments.Add(attach);
        }

        /// <summary>An 8.3 name for PR_ATTACH_FILENAME: upper case, safe characters, "~N" when shortened or taken.</summary>
        internal static string ShortName(string longName, IEnumerable<string?> taken)
        {
            static string Clean(string s, int max)
            {
                var sb = new StringBuilder();
                foreach (var c in s.ToUpperInvariant())
                {
                    if (sb.Length == max) break;
                    if (c < 128 && (char.IsLetterOrDigit(c) || "!#$%&'()-@^_`{}~".Contains(c, StringComparison.Ordinal))) sb.Append(c);
                    else if (c != ' ' && c != '.') sb.Append('_');
                }
                return sb.ToString();
            }
            var ext = Path.GetExtension(longName).TrimStart('.');
            var stem = Path.GetFileNameWithoutExtension(longName);
            var cleanStem = Clean(stem, 64);
            var cleanExt = Clean(ext, 3);
            var suffix = cleanExt.Length > 0 ? "." + cleanExt : "";
            var takenSet = new HashSet<string>(taken.Where(t => t is not null)!, StringComparer.OrdinalIgnoreCase);
            var exact = cleanStem.Length is > 0 and <= 8 && cleanStem.Equals(stem, StringComparison.OrdinalIgnoreCase) && cleanExt.Equals(ext, StringComparison.OrdinalIgnoreCase) && !takenSet.Contains(cleanStem + suffix);
            if (exact) return cleanStem + suffix;
            if (cleanStem.Length == 0) cleanStem = "ATTACH";
            for (var n = 1; ; n++)
            {
                var tail = "~" + n.ToString(CultureInfo.InvariantCulture);
                var candidate = cleanStem[..Math.Min(cleanStem.Length, 8 - tail.Length)] + tail + suffix;
                if (!takenSet.Contains(candidate)) return candidate;
            }
        }
    }

    /// <summary>A large attachment left in its MIME part and decoded on each read, so it never sits in memory whole.</summary>
    private sealed class MimePartContent : BinaryContent
    {
        private readonly IMimeContent _content;
        private long _length = -1;

        public MimePartContent(IMimeContent content)
        {
            _content = content;
        }

        public override long Length
        {
            get
            {
                if (_length < 0)
                {
                    using var counter = new CountingStream();
                    _content.DecodeTo(counter);
                    _length = counter.Length;
                }
                return _length;
            }
        }

        public override Stream OpenRead() => _content.Open();
    }

    /// <summary>A write-only sink that only counts.</summary>
    private sealed class CountingStream : WriteOnlyStream
    {
        protected override void WriteCore(ReadOnlySpan<byte> buffer) { }
    }
}
