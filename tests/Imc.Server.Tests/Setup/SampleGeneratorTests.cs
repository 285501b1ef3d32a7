using Imc.Formats.Mapi;
using Imc.Server.Setup;

namespace Imc.Server.Tests.Setup;

public sealed class SampleGeneratorTests
{
    private static List<(string Queue, MapiMessage Message)> Generate(int seed, int count, string? queue = null, long? attachmentSize = null) =>
        new SampleGenerator(seed) { AttachmentSize = attachmentSize }.Generate(count, queue).ToList();

    private static IEnumerable<MapiMessage> WithEmbedded(MapiMessage m) =>
        m.Attachments.Where(a => a.EmbeddedMessage is not null).SelectMany(a => WithEmbedded(a.EmbeddedMessage!)).Prepend(m);

    [Fact]
    public void The_same_seed_gives_identical_messages()
    {
        var a = Generate(7, 60);
        var b = Generate(7, 60);
        Assert.Equal(a.Select(x => x.Queue), b.Select(x => x.Queue));
        Assert.Equal(a.Select(x => SampleDigest.Of(x.Message)), b.Select(x => SampleDigest.Of(x.Message)));
    }

    [Fact]
    public void A_different_seed_gives_different_messages()
    {
        var a = Generate(7, 20).Select(x => SampleDigest.Of(x.Message)).ToList();
        var b = Generate(8, 20).Select(x => SampleDigest.Of(x.Message)).ToList();
        Assert.Empty(a.Intersect(b));
        Assert.Equal(20, a.Distinct().Count());
    }

    [Fact]
    public void Message_i_does_not_depend_on_how_many_are_generated() =>
        Assert.Equal(Generate(3, 5).Select(x => SampleDigest.Of(x.Message)), Generate(3, 40).Take(5).Select(x => SampleDigest.Of(x.Message)));

    [Fact]
    public void Search_keys_are_16_bytes_and_unique()
    {
        var keys = Generate(11, 300).Select(x => x.Message.SearchKey!).ToList();
        Assert.All(keys, k => Assert.Equal(16, k.Length));
        Assert.Equal(300, keys.Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public void A_given_queue_gets_every_message()
    {
        Assert.All(Generate(1, 30, "Bad"), x => Assert.Equal("Bad", x.Queue));
        var ex = Assert.Throws<ArgumentException>(() => Generate(1, 1, "MTSOut"));
        Assert.StartsWith("'MTSOut' is not a queue folder; expected one of MTS-IN, MTS-OUT, Bad, ContentConversionFailed, Work.", ex.Message);
    }

    [Fact]
    public void A_forced_attachment_size_gives_exactly_one_attachment_of_that_size()
    {
        var msgs = Generate(5, 10, "MTS-OUT", attachmentSize: 123_457);
        Assert.All(msgs, x =>
        {
            var att = Assert.Single(x.Message.Attachments);
            Assert.Equal(AttachMethod.ByValue, att.Method);
            Assert.Equal(123_457, att.Data!.Length);
            Assert.Equal(123_457, att.Data.ToArray().Length);
        });
    }

    [Fact]
    public void A_one_gibibyte_attachment_is_generated_without_an_array()
    {
        var (_, m) = Generate(1, 1, "MTS-OUT", attachmentSize: 1L << 30).Single();
        var data = Assert.IsType<GeneratedContent>(m.Attachments.Single().Data);
        Assert.Equal(1L << 30, data.Length);
        using var s = data.OpenRead();
        s.Seek(-10, SeekOrigin.End);
        var tail = new byte[20];
        Assert.Equal(10, s.Read(tail));
        Assert.Equal(0, s.Read(tail));
    }

    [Fact]
    public void The_queues_are_spread_with_most_in_mts_out_and_mts_in()
    {
        var counts = Generate(2, 600).GroupBy(x => x.Queue).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(SampleGenerator.QueueFolders.Order(), counts.Keys.Order());
        Assert.True(counts["MTS-OUT"] > counts["Bad"] + counts["ContentConversionFailed"] + counts["Work"]);
        Assert.True(counts["MTS-IN"] > counts["Bad"] && counts["MTS-IN"] > counts["Work"]);
    }

    [Fact]
    public void A_few_hundred_messages_cover_every_feature()
    {
        var msgs = Generate(42, 400);
        var all = msgs.SelectMany(x => WithEmbedded(x.Message)).ToList();
        var top = msgs.Select(x => x.Message).ToList();

        // Bodies.
        Assert.All(all, m => Assert.NotNull(m.Properties.GetString(PropTags.Body)));
        Assert.Contains(all, m => m.Properties.GetBinary(PropTags.Html) is not null);
        Assert.Contains(all, m => m.Properties.GetBinary(PropTags.Html) is null && m.Properties.GetBinary(PropTags.RtfCompressed) is null);
        var rtf = all.Select(m => m.Properties.GetBinary(PropTags.RtfCompressed)).First(b => b is not null)!;
        var rtfText = System.Text.Encoding.ASCII.GetString(RtfCompression.Decompress(rtf));
        Assert.StartsWith(@"{\rtf1\ansi", rtfText);
        Assert.EndsWith("}", rtfText);
        Assert.Contains(all, m => m.Properties.GetInt32(PropTags.NativeBodyInfo) == 2);
        Assert.Contains(all, m => m.Properties.GetInt32(PropTags.NativeBodyInfo) == 3);

        // Classes.
        foreach (var klass in new[] { "IPM.Note", "REPORT.IPM.Note.NDR", "REPORT.IPM.Note.DR", "IPM.Appointment", "IPM.Schedule.Meeting.Request", "IPM.Post" })
            Assert.Contains(top, m => m.MessageClass == klass);

        // Attachments: sizes from 0 bytes to megabytes, text and binary, embedded two deep.
        var files = top.SelectMany(m => m.Attachments).Where(a => a.Data is not null).ToList();
        Assert.Contains(files, a => a.Data!.Length == 0);
        Assert.Contains(files, a => a.Data!.Length is > 10_000 and < 600_000);
        Assert.Contains(files, a => a.Data!.Length >= 1 << 20);
        Assert.Contains(files, a => a.Data is GeneratedContent { Kind: GeneratedContentKind.Text });
        Assert.Contains(files, a => a.Data is GeneratedContent { Kind: GeneratedContentKind.Binary });
        Assert.All(files, a => Assert.IsType<GeneratedContent>(a.Data));
        Assert.Contains(top, m => m.Attachments.Any(a => a.EmbeddedMessage?.Attachments.Any(b => b.EmbeddedMessage is not null) == true));
        Assert.Contains(top, m => m.MessageClass == "REPORT.IPM.Note.NDR" && m.Attachments.Any(a => a.Method == AttachMethod.EmbeddedMessage));
        var small = top.Count(m => m.Attachments.All(a => a.Method == AttachMethod.EmbeddedMessage));
        Assert.InRange(small, 200, 300);

        // Unicode everywhere.
        Assert.Contains(top, m => m.Subject!.Any(c => c is >= '\u4E00' and <= '\u9FFF'));          // CJK
        Assert.Contains(top, m => m.Subject!.Any(c => c is >= '\u0600' and <= '\u06FF'));          // Arabic
        Assert.Contains(top, m => m.Subject!.Any(char.IsSurrogate));                               // emoji
        Assert.Contains(top, m => m.Properties.GetString(PropTags.SenderName)!.Any(c => c is >= '\u00C0' and <= '\u017F'));
        Assert.Contains(files, a => a.FileName!.Any(c => c > 127));

        // Recipients: up to hundreds, every type.
        Assert.Contains(top, m => m.Recipients.Count > 100);
        Assert.All(top, m => Assert.NotEmpty(m.Recipients));
        foreach (var type in new[] { RecipientType.To, RecipientType.Cc, RecipientType.Bcc })
            Assert.Contains(top, m => m.Recipients.Any(r => r.Type == type));

        // Named properties: X-headers by string in PS_INTERNET_HEADERS, by id, multi-valued.
        var named = top.SelectMany(m => m.Properties).Where(p => p.Name is not null).ToList();
        Assert.Contains(named, p => p.Name!.PropertySet == PropertySets.InternetHeaders && p.Name.Name == "X-Mailer");
        Assert.Contains(named, p => p.Name!.PropertySet == PropertySets.Common && p.Name.Id == 0x8503);
        Assert.Contains(named, p => p.Name!.IsString && p.Tag.IsMultiValued);
        Assert.Contains(named, p => !p.Name!.IsString && p.Tag.IsMultiValued);
        foreach (var t in new[] { PropType.MvUnicode, PropType.MvLong, PropType.MvBinary, PropType.MvSysTime })
            Assert.Contains(named, p => p.Tag.Type == t);

        // Sender groups, dates, identity, headers.
        var required = new[]
        {
            PropTags.SenderName, PropTags.SenderAddrType, PropTags.SenderEmailAddress, PropTags.SenderSearchKey, PropTags.SenderEntryId,
            PropTags.SentRepresentingName, PropTags.SentRepresentingAddrType, PropTags.SentRepresentingEmailAddress,
            PropTags.SentRepresentingSearchKey, PropTags.SentRepresentingEntryId, PropTags.ClientSubmitTime, PropTags.MessageDeliveryTime,
            PropTags.InternetMessageId, PropTags.TransportMessageHeaders, PropTags.SearchKey, PropTags.MessageClass, PropTags.Subject,
        };
        Assert.All(top, m => Assert.All(required, t => Assert.NotNull(m.Properties.Find(t))));
        Assert.All(top, m => Assert.Equal(DateTimeKind.Utc, m.Properties.GetDateTime(PropTags.ClientSubmitTime)!.Value.Kind));
        Assert.All(top, m => Assert.Matches("^<[0-9a-f]{16}\\.[0-9]+@[^>]+>$", m.Properties.GetString(PropTags.InternetMessageId)!));
        Assert.All(top, m => Assert.Contains("\r\nSubject: ", m.Properties.GetString(PropTags.TransportMessageHeaders)!));
        Assert.Contains(top, m => m.Properties.GetString(PropTags.SenderAddrType) == "EX");
        Assert.Contains(top, m => m.Properties.GetString(PropTags.SenderAddrType) == "SMTP");
    }

    [Fact]
    public void Most_messages_are_small()
    {
        var sizes = Generate(9, 300).Select(x => EstimatedSize(x.Message)).ToList();
        Assert.InRange(sizes.Count(s => s < 25_000), 150, 250);
        Assert.InRange(sizes.Count(s => s > 1 << 20), 1, 20);
    }

    private static long EstimatedSize(MapiMessage m) =>
        (m.Properties.GetString(PropTags.Body)?.Length ?? 0) + (m.Properties.GetBinary(PropTags.Html)?.Length ?? 0)
        + m.Recipients.Count * 200 + m.Attachments.Sum(a => a.Data?.Length ?? (a.EmbeddedMessage is { } e ? EstimatedSize(e) : 0));
}
