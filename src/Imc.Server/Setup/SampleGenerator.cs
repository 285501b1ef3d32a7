using System.Globalization;
using System.Text;
using Imc.Formats.Mapi;

namespace Imc.Server.Setup;

/// <summary>
/// Makes realistic, varied gateway-queue messages from a seed: the same seed always gives the same messages, and
/// message <c>i</c> depends only on (seed, i), so the first k of any run are the same.
/// <para>What a sample covers: plain, HTML and RTF bodies; file attachments (text and binary, with real file
/// signatures) whose data are <see cref="GeneratedContent"/>, never arrays; embedded-message attachments, sometimes
/// nested two deep (forwards, the original inside an NDR); Unicode subjects, display names and file names (CJK,
/// Arabic, Cyrillic, emoji, accented Latin); up to 300 To/Cc/Bcc recipients; X-headers as named properties in
/// PS_INTERNET_HEADERS; named properties by id and by string, single- and multi-valued; the message classes
/// IPM.Note, REPORT.IPM.Note.NDR, REPORT.IPM.Note.DR, IPM.Appointment, IPM.Schedule.Meeting.Request, IPM.Post;
/// the full sender and sent-representing groups, dates, Message-IDs, PR_TRANSPORT_MESSAGE_HEADERS and a 16-byte
/// PR_SEARCH_KEY from the seeded generator.</para>
/// <para>Size mix: about 66% of messages are small (2–20 KB: headers and body only), 20% carry a few small
/// attachments (0–8 KB, some empty), 12% carry one (sometimes two) attachments of tens to hundreds of KB (10–300 KB),
/// and about 2% one attachment of 1–4 MB: about 80 KB a message on average. <see cref="AttachmentSize"/> overrides the mix: every message then carries
/// exactly one binary attachment of that size (the benchmarks use one message with a 1 GiB attachment).</para>
/// <para>Queues, unless one is asked for: MTS-OUT 45%, MTS-IN 35%, Bad 8%, ContentConversionFailed 6%, Work 6%.
/// MTS-IN messages come from the Internet to local (EX) recipients; the others go from local senders out.</para>
/// </summary>
public sealed class SampleGenerator(int seed)
{
    /// <summary>The five queue folders, in imcadmin's order.</summary>
    public static IReadOnlyList<string> QueueFolders { get; } = ["MTS-IN", "MTS-OUT", "Bad", "ContentConversionFailed", "Work"];

    private static readonly (string Queue, double Weight)[] QueueWeights =
        [("MTS-OUT", 0.45), ("MTS-IN", 0.35), ("Bad", 0.08), ("ContentConversionFailed", 0.06), ("Work", 0.06)];

    private static readonly Guid PsetidMeeting = new("6ED8DA90-450B-101B-98DA-00AA003F1305");
    private static readonly byte[] OneOffProvider = [0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02];
    private static readonly DateTime Epoch = new(1999, 1, 4, 8, 0, 0, DateTimeKind.Utc);

    private static readonly (string Name, string Alias)[] LocalPeople =
    [
        ("John Smith", "JSMITH"), ("Zoë Müller", "ZMUELLER"), ("山田 太郎", "TYAMADA"), ("محمد العلي", "MALALI"),
        ("José Álvarez", "JALVAREZ"), ("Åsa Lindqvist", "ALINDQVIST"), ("Anna Kowalska", "AKOWALSKA"), ("李小龙", "XLI"),
        ("Renée O'Brien", "ROBRIEN"), ("Dmitri Ivanov", "DIVANOV"), ("Priya Natarajan", "PNATARAJAN"), ("Ngozi Okafor", "NOKAFOR"),
        ("Søren Kierkegaard", "SKIERKEGAARD"), ("김민준", "MKIM"), ("Françoise Dubois", "FDUBOIS"), ("Help Desk 🛠", "HELPDESK"),
    ];

    private static readonly string[] ExternalNames =
    [
        "Alice Example", "Bob Jones", "Carol Nguyễn", "Dieter Schröder", "Élodie Martin", "Fatima Zahra", "佐藤 花子",
        "Gabriel García", "Hanna Virtanen", "Ιωάννης Παπαδόπουλος", "Jürgen Weiß", "Kofi Mensah", "Лена Смирнова",
        "Mei Chen", "Noah Williams", "Orders Department", "Pedro Gonçalves", "Quinn O'Neil", "Rahul Sharma", "Sales 📈",
    ];

    private static readonly string[] Domains =
        ["example.com", "example.org", "contoso.com", "fabrikam.net", "northwind.example", "müller-gmbh.example", "univ.example.edu", "mail.example.co.jp"];

    private static readonly string[] Subjects =
    [
        "Quarterly report", "Meeting agenda for Thursday", "Invoice 2019-0457", "Your order has shipped", "Lunch?",
        "Réunion de l'équipe — ordre du jour", "会議の議事録", "تقرير المبيعات الشهري", "Überprüfung der Änderungen",
        "Счёт на оплату", "Budget 2000 draft ✅", "Happy birthday 🎉🎂", "Y2K readiness checklist", "Server maintenance window",
        "Re-sending the contract", "Urgent: password expiry", "Photos from the trip 📷", "회의 일정 변경", "Προσφορά",
        "Status update", "Minutes of the board meeting", "Please review the attached proposal", "Welcome aboard!",
    ];

    private static readonly string[] Sentences =
    [
        "Please find the latest figures below.", "Let me know if you have any questions.",
        "The meeting has been moved to Thursday at 10:00 in the large conference room.",
        "We have received your order and will ship it within three business days.",
        "Merci de confirmer votre présence avant vendredi.", "Bitte prüfen Sie die Änderungen bis Montag.",
        "よろしくお願いいたします。", "شكراً لتعاونكم.", "Спасибо за быстрый ответ.", "El informe está adjunto.",
        "The Internet Mail Connector queue was drained overnight without errors.",
        "Remember to back up the server before applying the service pack.", "Thanks! 😊",
        "Totals: 1,250 units shipped, 37 returned, 12 pending.", "I'll call you tomorrow morning.",
    ];

    private static readonly (string Name, string Mime, GeneratedContentKind Kind, byte[] Header)[] Files =
    [
        ("report.pdf", "application/pdf", GeneratedContentKind.Binary, "%PDF-1.4\n"u8.ToArray()),
        ("Präsentation Q3.ppt", "application/vnd.ms-powerpoint", GeneratedContentKind.Binary, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        ("契約書.doc", "application/msword", GeneratedContentKind.Binary, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        ("تقرير.xls", "application/vnd.ms-excel", GeneratedContentKind.Binary, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        ("photo 📷.jpg", "image/jpeg", GeneratedContentKind.Binary, [0xFF, 0xD8, 0xFF, 0xE0]),
        ("logo.png", "image/png", GeneratedContentKind.Binary, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("archive.zip", "application/zip", GeneratedContentKind.Binary, "PK\u0003\u0004"u8.ToArray()),
        ("data.bin", "application/octet-stream", GeneratedContentKind.Binary, []),
        ("notes.txt", "text/plain", GeneratedContentKind.Text, []),
        ("export 2019.csv", "text/csv", GeneratedContentKind.Text, "id,name,amount\r\n"u8.ToArray()),
        ("server.log", "text/plain", GeneratedContentKind.Text, []),
        ("Résumé – Zoë.txt", "text/plain", GeneratedContentKind.Text, []),
    ];

    private readonly int _seed = seed;

    /// <summary>When set, every message carries exactly one binary attachment of this many bytes, and no other.</summary>
    public long? AttachmentSize { get; init; }

    /// <summary>The organization and site in local senders' and recipients' EX addresses.</summary>
    public string Organization { get; init; } = "ORG";
    public string Site { get; init; } = "SITE";

    /// <summary>
    /// Yields <paramref name="count"/> messages with the queue folder each belongs in: <paramref name="queue"/> (a
    /// folder name such as MTS-OUT) for all of them, or spread over the five queues when it is null.
    /// </summary>
    public IEnumerable<(string Queue, MapiMessage Message)> Generate(int count, string? queue = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (queue is not null && !QueueFolders.Contains(queue, StringComparer.Ordinal))
            throw new ArgumentException($"'{queue}' is not a queue folder; expected one of {string.Join(", ", QueueFolders)}.", nameof(queue));
        for (var i = 0; i < count; i++)
        {
            var r = new SampleRandom(MessageSeed(i));
            var q = queue ?? PickQueue(r);
            yield return (q, Build(r, q, i, depth: 0));
        }
    }

    private ulong MessageSeed(long index)
    {
        var s = (ulong)(uint)_seed * 0xD1B54A32D192ED03UL ^ (ulong)index * 0x9E3779B97F4A7C15UL;
        return SplitMix64.Next(ref s);
    }

    private static string PickQueue(SampleRandom r)
    {
        var x = r.NextDouble();
        foreach (var (q, w) in QueueWeights)
        {
            if (x < w) return q;
            x -= w;
        }
        return QueueWeights[^1].Queue;
    }

    private sealed record Person(string Name, string AddrType, string Address, string Smtp);

    private Person Local(SampleRandom r)
    {
        var (name, alias) = r.Pick(LocalPeople);
        return new(name, "EX", $"/O={Organization}/OU={Site}/CN=RECIPIENTS/CN={alias}", alias.ToLowerInvariant() + "@" + Organization.ToLowerInvariant() + ".example");
    }

    private static Person External(SampleRandom r)
    {
        var name = r.Pick(ExternalNames);
        var local = new string(name.Normalize(NormalizationForm.FormD).Where(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or ' ').ToArray()).Trim().Replace(' ', '.').ToLowerInvariant();
        if (local.Length == 0) local = "user" + r.Between(1, 999).ToString(CultureInfo.InvariantCulture);
        var address = local + "@" + r.Pick(Domains);
        return new(name, "SMTP", address, address);
    }

    private MapiMessage Build(SampleRandom r, string queue, long index, int depth)
    {
        var m = new MapiMessage { CodePage = 1252 };
        var p = m.Properties;
        var inbound = queue == "MTS-IN";
        var klass = PickClass(r, depth);
        var sender = inbound ? External(r) : Local(r);
        var when = Epoch.AddSeconds(r.Between(0, 365 * 24 * 3600)).AddMilliseconds(r.Next(1000));

        // Subject, conversation.
        var normalized = r.Pick(Subjects) + (r.Chance(0.5) ? $" #{r.Between(1, 9999)}" : "");
        var prefix = klass switch
        {
            "REPORT.IPM.Note.NDR" => "Undeliverable: ",
            "REPORT.IPM.Note.DR" => "Delivered: ",
            "IPM.Schedule.Meeting.Request" => "",
            _ => r.Chance(0.25) ? r.Pick(["RE: ", "FW: ", "AW: ", "TR: "]) : "",
        };
        p.Set(PropTags.MessageClass, klass);
        p.Set(PropTags.Subject, prefix + normalized);
        p.Set(PropTags.SubjectPrefix, prefix);
        p.Set(PropTags.NormalizedSubject, normalized);
        p.Set(PropTags.ConversationTopic, normalized);
        p.Set(PropTags.ConversationIndex, ConversationIndex(r, when));
        p.Set(PropTags.SearchKey, r.Bytes(16));
        p.Set(PropTags.Importance, r.Pick([1, 1, 1, 1, 0, 2]));
        p.Set(PropTags.Priority, r.Pick([0, 0, 0, 1, -1]));
        p.Set(PropTags.Sensitivity, r.Pick([0, 0, 0, 0, 1, 2, 3]));
        p.Set(PropTags.MessageFlags, inbound ? 0x00 : 0x08);
        p.Set(PropTags.ClientSubmitTime, when);
        p.Set(PropTags.MessageDeliveryTime, when.AddSeconds(r.Between(1, 600)));
        p.Set(PropTags.CreationTime, when.AddSeconds(-r.Between(0, 3600)));
        p.Set(PropTags.LastModificationTime, when);
        p.Set(PropTags.InternetCpid, 65001);
        p.Set(PropTags.MessageCodepage, 1252);
        p.Set(PropTags.MessageLocaleId, r.Pick([1033, 1031, 1036, 1041, 1025, 2057]));
        if (r.Chance(0.2)) p.Set(PropTags.ReadReceiptRequested, true);
        if (r.Chance(0.1)) p.Set(PropTags.OriginatorDeliveryReportRequested, true);

        // Sender and sent-representing (a delegate sends for someone else now and then).
        SetAddressGroup(p, sender, PropTags.SenderName, PropTags.SenderAddrType, PropTags.SenderEmailAddress, PropTags.SenderSearchKey, PropTags.SenderEntryId);
        var represented = r.Chance(0.1) ? (inbound ? External(r) : Local(r)) : sender;
        SetAddressGroup(p, represented, PropTags.SentRepresentingName, PropTags.SentRepresentingAddrType, PropTags.SentRepresentingEmailAddress, PropTags.SentRepresentingSearchKey, PropTags.SentRepresentingEntryId);

        // Recipients.
        var recipients = AddRecipients(r, m, klass, inbound);
        if (inbound)
        {
            var me = recipients[0].Person;
            SetAddressGroup(p, me, PropTags.ReceivedByName, PropTags.ReceivedByAddrType, PropTags.ReceivedByEmailAddress, PropTags.ReceivedBySearchKey, PropTags.ReceivedByEntryId);
        }
        p.Set(PropTags.DisplayTo, string.Join("; ", recipients.Where(x => x.Type == RecipientType.To).Select(x => x.Person.Name)));
        p.Set(PropTags.DisplayCc, string.Join("; ", recipients.Where(x => x.Type == RecipientType.Cc).Select(x => x.Person.Name)));
        p.Set(PropTags.DisplayBcc, string.Join("; ", recipients.Where(x => x.Type == RecipientType.Bcc).Select(x => x.Person.Name)));

        // Internet identity and headers.
        var domain = sender.Smtp[(sender.Smtp.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var messageId = $"<{Convert.ToHexString(r.Bytes(8)).ToLowerInvariant()}.{index.ToString(CultureInfo.InvariantCulture)}@{domain}>";
        p.Set(PropTags.InternetMessageId, messageId);
        if (prefix is "RE: " or "AW: ")
        {
            var parent = $"<{Convert.ToHexString(r.Bytes(8)).ToLowerInvariant()}@{r.Pick(Domains)}>";
            p.Set(PropTags.InReplyToId, parent);
            p.Set(PropTags.InternetReferences, parent);
        }
        var xHeaders = XHeaders(r, sender);
        foreach (var (name, value) in xHeaders)
            p.Set(PropertyName.FromName(PropertySets.InternetHeaders, name), PropType.Unicode, value);
        p.Set(PropTags.TransportMessageHeaders, TransportHeaders(r, sender, recipients.Select(x => x.Person).ToList(), prefix + normalized, when, messageId, xHeaders));

        // Named properties by id and by string, single- and multi-valued.
        AddNamedProperties(r, m, klass, when);

        // Body.
        AddBody(r, m, recipients[0].Person, sender, depth);

        // Attachments.
        AddAttachments(r, m, queue, index, klass, depth, when);
        p.Set(PropTags.HasAttach, m.Attachments.Count > 0);
        return m;
    }

    private static string PickClass(SampleRandom r, int depth)
    {
        if (depth > 0) return r.Chance(0.8) ? "IPM.Note" : "IPM.Post";
        var x = r.Next(100);
        return x switch
        {
            < 85 => "IPM.Note",
            < 89 => "REPORT.IPM.Note.NDR",
            < 92 => "REPORT.IPM.Note.DR",
            < 95 => "IPM.Appointment",
            < 98 => "IPM.Schedule.Meeting.Request",
            _ => "IPM.Post",
        };
    }

    private List<(RecipientType Type, Person Person)> AddRecipients(SampleRandom r, MapiMessage m, string klass, bool inbound)
    {
        var x = r.Next(100);
        var count = klass.StartsWith("REPORT.", StringComparison.Ordinal) || klass == "IPM.Post" ? 1 : x switch
        {
            < 70 => r.Between(1, 3),
            < 90 => r.Between(4, 20),
            < 98 => r.Between(21, 100),
            _ => r.Between(101, 300),
        };
        var list = new List<(RecipientType, Person)>(count);
        for (var i = 0; i < count; i++)
        {
            var type = i == 0 ? RecipientType.To : r.Next(10) switch { < 6 => RecipientType.To, < 9 => RecipientType.Cc, _ => RecipientType.Bcc };
            var person = inbound && r.Chance(0.9) ? Local(r) : External(r);
            if (count > 16) person = person with { Address = Numbered(person.Address, i), Smtp = Numbered(person.Smtp, i) };
            var rcpt = new MapiRecipient(type, person.Name, person.Address, person.AddrType);
            var rp = rcpt.Properties;
            rp.Set(PropTags.RowId, i);
            rp.Set(PropTags.SmtpAddress, person.Smtp);
            rp.Set(PropTags.SearchKey, SearchKey(person));
            rp.Set(PropTags.EntryId, EntryId(person));
            rp.Set(PropTags.Responsibility, false);
            rp.Set(PropTags.SendRichInfo, person.AddrType == "EX");
            rp.Set(PropTags.DisplayType, 0);
            rp.Set(PropTags.ObjectType, 6);
            if (klass == "REPORT.IPM.Note.NDR")
            {
                rp.Set(new PropTag(0x0C040003), r.Pick([0, 1, 2]));          // PR_NDR_REASON_CODE
                rp.Set(new PropTag(0x0C050003), r.Pick([0, 1, 12, 36]));    // PR_NDR_DIAG_CODE
                rp.Set(new PropTag(0x00320040), Epoch.AddDays(r.Next(365))); // PR_REPORT_TIME
            }
            else if (klass == "REPORT.IPM.Note.DR")
            {
                rp.Set(new PropTag(0x00100040), Epoch.AddDays(r.Next(365))); // PR_DELIVER_TIME
            }
            m.Recipients.Add(rcpt);
            list.Add((type, person));
        }
        return list;

        static string Numbered(string address, int i)
        {
            var at = address.LastIndexOf('@');
            var slash = address.LastIndexOf('=');
            if (at > 0) return address[..at] + i.ToString(CultureInfo.InvariantCulture) + address[at..];
            return address + (slash >= 0 ? i.ToString(CultureInfo.InvariantCulture) : "");
        }
    }

    private static void SetAddressGroup(PropertyBag p, Person who, PropTag name, PropTag type, PropTag address, PropTag searchKey, PropTag entryId)
    {
        p.Set(name, who.Name);
        p.Set(type, who.AddrType);
        p.Set(address, who.Address);
        p.Set(searchKey, SearchKey(who));
        p.Set(entryId, EntryId(who));
    }

    /// <summary>The address-book search key MAPI computes: "ADDRTYPE:ADDRESS" upper-cased, NUL-terminated.</summary>
    private static byte[] SearchKey(Person who) => Encoding.UTF8.GetBytes($"{who.AddrType}:{who.Address}".ToUpperInvariant() + "\0");

    /// <summary>A MAPI one-off entry ID (MAPI_UNICODE): flags, the one-off provider UID, version, flags, three strings.</summary>
    private static byte[] EntryId(Person who)
    {
        using var ms = new MemoryStream();
        ms.Write([0, 0, 0, 0]);
        ms.Write(OneOffProvider);
        ms.Write([0, 0, 0x01, 0x80]); // version 0; MAPI_ONE_OFF_UNICODE | MAPI_ONE_OFF_NO_RICH_INFO
        foreach (var s in new[] { who.Name, who.AddrType, who.Address })
        {
            ms.Write(Encoding.Unicode.GetBytes(s));
            ms.Write([0, 0]);
        }
        return ms.ToArray();
    }

    private static byte[] ConversationIndex(SampleRandom r, DateTime when)
    {
        var b = new byte[22];
        b[0] = 1;
        var ft = (ulong)when.ToFileTimeUtc();
        for (var i = 0; i < 5; i++) b[1 + i] = (byte)(ft >> (56 - 8 * i));
        r.Bytes(16).CopyTo(b, 6);
        return b;
    }

    private static List<(string Name, string Value)> XHeaders(SampleRandom r, Person sender)
    {
        var list = new List<(string, string)> { ("X-Mailer", r.Pick(["Microsoft Outlook 8.5, Build 4.71.2173.0", "Internet Mail Service (5.5.2653.19)", "Mozilla 4.7 [en] (WinNT; I)", "Eudora Pro 4.2"])) };
        if (r.Chance(0.5)) list.Add(("X-MimeOLE", "Produced By Microsoft MimeOLE V5.00.2919.6600"));
        if (r.Chance(0.4)) list.Add(("X-Priority", r.Pick(["1", "3", "5"])));
        if (r.Chance(0.3)) list.Add(("X-Originating-IP", $"[192.0.2.{r.Between(1, 254)}]"));
        if (r.Chance(0.2)) list.Add(("X-MS-Has-Attach", "yes"));
        if (r.Chance(0.2)) list.Add(("X-Sender-Display", sender.Name));
        return list;
    }

    private static string TransportHeaders(SampleRandom r, Person sender, List<Person> recipients, string subject, DateTime when, string messageId, List<(string Name, string Value)> xHeaders)
    {
        var sb = new StringBuilder();
        var host = r.Pick(["mail.example.com", "mx1.contoso.com", "smtp.fabrikam.net"]);
        sb.Append(CultureInfo.InvariantCulture, $"Received: from {host} ([192.0.2.{r.Between(1, 254)}]) by EXCH1 with SMTP (Microsoft Exchange Internet Mail Service Version 5.5.2653.13)\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"\tid {Convert.ToHexString(r.Bytes(4))}; {Rfc822(when)}\r\n");
        sb.Append("Message-ID: ").Append(messageId).Append("\r\n");
        sb.Append("From: ").Append(Mailbox(sender)).Append("\r\n");
        sb.Append("To: ").Append(string.Join(",\r\n\t", recipients.Take(5).Select(Mailbox)));
        if (recipients.Count > 5) sb.Append(CultureInfo.InvariantCulture, $",\r\n\tundisclosed-recipients-{recipients.Count - 5}:;");
        sb.Append("\r\n");
        sb.Append("Subject: ").Append(EncodeWord(subject)).Append("\r\n");
        sb.Append("Date: ").Append(Rfc822(when)).Append("\r\n");
        sb.Append("MIME-Version: 1.0\r\n");
        foreach (var (name, value) in xHeaders) sb.Append(name).Append(": ").Append(EncodeWord(value)).Append("\r\n");
        sb.Append("Content-Type: text/plain; charset=\"utf-8\"\r\n\r\n");
        return sb.ToString();

        static string Mailbox(Person p) => $"{EncodeWord(p.Name)} <{p.Smtp}>";
        static string Rfc822(DateTime t) => t.ToString("ddd, d MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        static string EncodeWord(string s) => s.All(c => c is >= ' ' and < (char)127) ? s : "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) + "?=";
    }

    private static void AddNamedProperties(SampleRandom r, MapiMessage m, string klass, DateTime when)
    {
        var p = m.Properties;
        // By string, multi-valued: Outlook's categories.
        if (r.Chance(0.5))
            p.Set(PropertyName.FromName(PropertySets.PublicStrings, "Keywords"), PropType.MvUnicode,
                Enumerable.Range(0, r.Between(1, 4)).Select(_ => r.Pick(["Business", "Personal", "Важно", "重要", "Follow up", "Y2K"])).Distinct().ToArray());
        // By id, single-valued (PSETID_Common).
        p.Set(PropertyName.FromId(PropertySets.Common, 0x8503), PropType.Boolean, r.Chance(0.3));            // PidLidReminderSet
        p.Set(PropertyName.FromId(PropertySets.Common, 0x8552), PropType.Long, 0x2AF8);                       // PidLidCurrentVersion
        p.Set(PropertyName.FromId(PropertySets.Common, 0x8554), PropType.Unicode, "8.5");                      // PidLidCurrentVersionName
        if (r.Chance(0.3)) p.Set(PropertyName.FromId(PropertySets.Common, 0x8506), PropType.Boolean, true);   // PidLidPrivate
        // Other multi-valued types, by id and by string.
        if (r.Chance(0.3))
            p.Set(PropertyName.FromId(PropertySets.Common, 0x853A), PropType.MvUnicode, new[] { "John Smith", "Zoë Müller" }); // PidLidContacts
        if (r.Chance(0.3))
            p.Set(PropertyName.FromName(PropertySets.PublicStrings, "x-sample-scores"), PropType.MvLong, new[] { r.Next(100), r.Next(100), r.Next(100) });
        if (r.Chance(0.2))
            p.Set(PropertyName.FromName(PropertySets.PublicStrings, "x-sample-tokens"), PropType.MvBinary, new[] { r.Bytes(8), r.Bytes(3), Array.Empty<byte>() });
        if (r.Chance(0.2))
            p.Set(PropertyName.FromName(PropertySets.PublicStrings, "x-sample-dates"), PropType.MvSysTime, new[] { when, when.AddDays(7) });
        if (r.Chance(0.2))
            p.Set(PropertyName.FromName(PropertySets.PublicStrings, "x-sample-ratio"), PropType.Double, r.NextDouble());

        if (klass is "IPM.Appointment" or "IPM.Schedule.Meeting.Request")
        {
            var start = when.Date.AddDays(r.Between(1, 30)).AddHours(r.Between(8, 17));
            var end = start.AddMinutes(r.Pick([30, 60, 90, 120]));
            p.Set(PropertyName.FromId(PropertySets.Appointment, 0x820D), PropType.SysTime, start);             // PidLidAppointmentStartWhole
            p.Set(PropertyName.FromId(PropertySets.Appointment, 0x820E), PropType.SysTime, end);               // PidLidAppointmentEndWhole
            p.Set(PropertyName.FromId(PropertySets.Appointment, 0x8208), PropType.Unicode, r.Pick(["Room 4.12", "Salle Jean Monnet", "会議室 B", "Conference bridge"])); // PidLidLocation
            p.Set(PropertyName.FromId(PropertySets.Appointment, 0x8205), PropType.Long, 2);                    // PidLidBusyStatus
            p.Set(PropertyName.FromId(PropertySets.Appointment, 0x8215), PropType.Boolean, false);             // PidLidAppointmentSubType
            p.Set(PropertyName.FromId(PropertySets.Appointment, 0x8213), PropType.Long, (int)(end - start).TotalMinutes); // PidLidAppointmentDuration
            if (klass == "IPM.Schedule.Meeting.Request")
            {
                p.Set(PropertyName.FromId(PropertySets.Appointment, 0x8217), PropType.Long, 3);                // PidLidAppointmentStateFlags
                p.Set(PropertyName.FromId(PsetidMeeting, 0x0003), PropType.Binary, r.Bytes(56));                 // PidLidGlobalObjectId
                p.Set(PropertyName.FromId(PsetidMeeting, 0x0023), PropType.Binary, r.Bytes(56));                 // PidLidCleanGlobalObjectId
            }
        }
        else if (klass == "REPORT.IPM.Note.NDR" || klass == "REPORT.IPM.Note.DR")
        {
            p.Set(PropTags.OriginalSubject, p.GetString(PropTags.NormalizedSubject)!);
            p.Set(PropTags.OriginalSubmitTime, when.AddMinutes(-r.Between(1, 600)));
            p.Set(PropTags.OrigMessageClass, "IPM.Note");
            p.Set(PropTags.ReportText, klass == "REPORT.IPM.Note.NDR"
                ? "Your message did not reach some or all of the intended recipients. The following recipient(s) could not be reached."
                : "Your message was delivered to the following recipient(s).");
        }
    }

    private void AddBody(SampleRandom r, MapiMessage m, Person to, Person from, int depth)
    {
        var target = depth > 0 ? r.Between(200, 2000) : r.Between(600, 7000);
        var paragraphs = new List<string>();
        var length = 0;
        while (length < target)
        {
            var sb = new StringBuilder();
            var n = r.Between(1, 6);
            for (var i = 0; i < n; i++) sb.Append(i > 0 ? " " : "").Append(r.Pick(Sentences));
            paragraphs.Add(sb.ToString());
            length += sb.Length + 2;
        }
        var greeting = $"Dear {to.Name},";
        var closing = $"Regards,\r\n{from.Name}";
        var text = greeting + "\r\n\r\n" + string.Join("\r\n\r\n", paragraphs) + "\r\n\r\n" + closing + "\r\n";
        m.Properties.Set(PropTags.Body, text);
        var native = 1;
        if (r.Chance(0.4))
        {
            var html = new StringBuilder("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body>");
            html.Append("<p>").Append(System.Net.WebUtility.HtmlEncode(greeting)).Append("</p>");
            foreach (var para in paragraphs) html.Append("<p>").Append(System.Net.WebUtility.HtmlEncode(para)).Append("</p>");
            html.Append("<p>Regards,<br>").Append(System.Net.WebUtility.HtmlEncode(from.Name)).Append("</p></body></html>");
            m.Properties.Set(PropTags.Html, Encoding.UTF8.GetBytes(html.ToString()));
            native = 3;
        }
        else if (r.Chance(0.4))
        {
            m.Properties.Set(PropTags.RtfCompressed, RtfCompression.Compress(Encoding.ASCII.GetBytes(Rtf(text))));
            m.Properties.Set(PropTags.RtfInSync, true);
            native = 2;
        }
        m.Properties.Set(PropTags.NativeBodyInfo, native);
    }

    /// <summary>A plain RTF document for <paramref name="text"/>: \par per line, \uN? for non-ASCII, as Outlook writes.</summary>
    private static string Rtf(string text)
    {
        var sb = new StringBuilder(@"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}\viewkind4\uc1\pard\f0\fs20 ");
        Span<char> utf16 = stackalloc char[2];
        foreach (var rune in text.Replace("\r\n", "\n", StringComparison.Ordinal).EnumerateRunes())
        {
            var c = rune.Value;
            if (c == '\n') sb.Append("\\par\r\n");
            else if (c is '\\' or '{' or '}') sb.Append('\\').Append((char)c);
            else if (c < 0x80) sb.Append((char)c);
            else
            {
                var n = rune.EncodeToUtf16(utf16);
                for (var i = 0; i < n; i++) sb.Append(CultureInfo.InvariantCulture, $"\\u{(short)utf16[i]}?");
            }
        }
        return sb.Append("\\par\r\n}").ToString();
    }

    private void AddAttachments(SampleRandom r, MapiMessage m, string queue, long index, string klass, int depth, DateTime when)
    {
        if (AttachmentSize is { } forced)
        {
            if (depth == 0)
                AddFile(r, m, when, ("big-attachment.bin", "application/octet-stream", GeneratedContentKind.Binary, []), forced);
            return;
        }
        if (depth == 0)
        {
            var x = r.NextDouble();
            if (x < 0.02) AddFile(r, m, when, PickFile(r, binary: true), r.Between(1L << 20, 4L << 20));
            else if (x < 0.14)
                for (var i = r.Chance(0.2) ? 2 : 1; i > 0; i--) AddFile(r, m, when, PickFile(r, binary: null), r.Between(10L << 10, 300L << 10));
            else if (x < 0.34)
                for (var i = r.Between(1, 3); i > 0; i--) AddFile(r, m, when, PickFile(r, binary: null), r.Chance(0.15) ? 0 : r.Between(1L, 8L << 10));
        }
        else if (r.Chance(0.3))
        {
            AddFile(r, m, when, PickFile(r, binary: null), r.Between(0L, 4L << 10));
        }

        // Embedded messages: the original inside an NDR, forwards; nested at most two deep.
        var embed = depth < 2 && (klass == "REPORT.IPM.Note.NDR" || r.Chance(depth == 0 ? 0.05 : 0.3));
        if (embed)
        {
            var inner = Build(r, queue, index, depth + 1);
            var a = new MapiAttachment { Method = AttachMethod.EmbeddedMessage, EmbeddedMessage = inner };
            a.Properties.Set(PropTags.DisplayName, inner.Subject ?? "");
            a.Properties.Set(PropTags.RenderingPosition, -1);
            a.Properties.Set(PropTags.CreationTime, when);
            a.Properties.Set(PropTags.LastModificationTime, when);
            m.Attachments.Add(a);
        }
    }

    private static (string Name, string Mime, GeneratedContentKind Kind, byte[] Header) PickFile(SampleRandom r, bool? binary)
    {
        var candidates = binary is null ? Files : Files.Where(f => (f.Kind == GeneratedContentKind.Binary) == binary).ToArray();
        return r.Pick(candidates);
    }

    private static void AddFile(SampleRandom r, MapiMessage m, DateTime when, (string Name, string Mime, GeneratedContentKind Kind, byte[] Header) file, long size)
    {
        var n = m.Attachments.Count + 1;
        var ext = Path.GetExtension(file.Name);
        var a = new MapiAttachment
        {
            Method = AttachMethod.ByValue,
            Data = new GeneratedContent(file.Kind, size, r.NextUInt64(), file.Header.AsSpan(0, (int)Math.Min(file.Header.Length, size))),
        };
        var ap = a.Properties;
        ap.Set(PropTags.DisplayName, file.Name);
        ap.Set(PropTags.AttachLongFilename, file.Name);
        ap.Set(PropTags.AttachFilename, $"ATT{n:D5}{ext.ToUpperInvariant()}");
        ap.Set(PropTags.AttachExtension, ext);
        ap.Set(PropTags.AttachMimeTag, file.Mime);
        ap.Set(PropTags.AttachSize, (int)Math.Min(int.MaxValue, size + 200));
        ap.Set(PropTags.RenderingPosition, -1);
        ap.Set(PropTags.CreationTime, when);
        ap.Set(PropTags.LastModificationTime, when);
        if (file.Mime.StartsWith("image/", StringComparison.Ordinal) && r.Chance(0.3))
            ap.Set(PropTags.AttachContentId, $"image{n:D3}@{Convert.ToHexString(r.Bytes(4)).ToLowerInvariant()}");
        m.Attachments.Add(a);
    }
}
