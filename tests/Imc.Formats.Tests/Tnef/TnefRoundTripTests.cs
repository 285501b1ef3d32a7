using Imc.Formats.Mapi;
using Imc.Formats.Tnef;
using Imc.Testing;

namespace Imc.Formats.Tests.Tnef;

public sealed class TnefRoundTripTests
{
    [Fact]
    public void Full_message_round_trips_to_an_equal_message()
    {
        var m = TestMessages.Full();
        var bytes = TestMessages.ToBytes(m);
        var back = TestMessages.FromBytes(bytes);
        Assert.Empty(MapiMessageComparer.Diff(m, back));
        Assert.Equal(300, back.Recipients.Count);
        Assert.Equal(5, back.Attachments.Count);
        Assert.Equal("Innermost", back.Attachments[4].EmbeddedMessage!.Attachments[1].EmbeddedMessage!.Subject);
        Assert.Equal(1251, back.Attachments[4].EmbeddedMessage!.Attachments[1].EmbeddedMessage!.CodePage);
    }

    [Fact]
    public void Full_message_round_trips_through_a_file_with_data_left_in_the_file()
    {
        using var dir = new TempDirectory();
        var m = TestMessages.Full();
        var path = dir.Combine("full.tnef");
        TnefWriter.WriteFile(m, path);
        var back = TnefReader.ReadFile(path);
        Assert.Empty(MapiMessageComparer.Diff(m, back));
        Assert.Equal(3 * 1024 * 1024, back.Attachments[2].Data!.Length);
        Assert.Equal("BinaryContent", back.Attachments[2].Data!.GetType().BaseType!.Name);
        Assert.NotEqual("ArrayContent", back.Attachments[2].Data!.GetType().Name);
    }

    [Fact]
    public void Writing_twice_gives_identical_bytes_and_measure_gives_the_length()
    {
        var a = TestMessages.ToBytes(TestMessages.Full());
        var b = TestMessages.ToBytes(TestMessages.Full());
        Assert.Equal(a, b);
        Assert.Equal(a.Length, TnefWriter.MeasureLength(TestMessages.Full()));
    }

    [Fact]
    public void Writer_needs_no_seekable_output()
    {
        var m = TestMessages.Full(recipients: 3, bigBytes: 100_000);
        using var sink = new ForwardOnlyStream();
        TnefWriter.Write(m, sink);
        Assert.Equal(TestMessages.ToBytes(m), sink.Inner.ToArray());
    }

    [Fact]
    public void Stream_starts_with_signature_version_and_codepage_with_spec_checksums()
    {
        var bytes = TestMessages.ToBytes(TestMessages.Simple("x"));
        // MS-OXTNEF §3.1: attTnefVersion data 00 00 01 00 has checksum 0x0001; attOemCodepage 1252,0 has 0x00E8.
        Assert.Equal(Convert.FromHexString("789F3E220100" + "01069008000400000000000100" + "0100" + "010790060008000000E404000000000000E800"),
            bytes[..(6 + 15 + 19)]);
    }

    [Fact]
    public void Random_messages_round_trip()
    {
        for (var seed = 1; seed <= 200; seed++)
        {
            var m = new MessageGenerator(seed).Message();
            var bytes = TestMessages.ToBytes(m);
            Assert.Equal(bytes.Length, TnefWriter.MeasureLength(m));
            var back = TestMessages.FromBytes(bytes);
            var diffs = MapiMessageComparer.Diff(m, back);
            Assert.True(diffs.Count == 0, $"seed {seed}: " + string.Join("; ", diffs));
            Assert.Equal(bytes, TestMessages.ToBytes(back));
        }
    }

    [Fact]
    public void Legacy_only_stream_maps_attributes_to_properties()
    {
        // Built by hand: version, code page, class, subject, date, priority, body; one attachment with title and data.
        var w = new RawTnef();
        w.Attr(1, TnefAttribute.TnefVersion, [0, 0, 1, 0]);
        w.Attr(1, TnefAttribute.OemCodepage, [0xE3, 0x04, 0, 0, 0, 0, 0, 0]); // 1251
        w.Attr(1, TnefAttribute.MessageClass, "IPM.Note\0"u8.ToArray());
        w.Attr(1, TnefAttribute.Subject, [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2, 0]); // "Привет" in cp1251
        w.Attr(1, TnefAttribute.DateSent, RawTnef.Date(2001, 2, 3, 4, 5, 6));
        w.Attr(1, TnefAttribute.Priority, [1, 0]);
        w.Attr(1, TnefAttribute.Body, "text\r\n\0"u8.ToArray());
        w.Attr(2, TnefAttribute.AttachRenderData, [1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 32, 0, 32, 0, 0, 0, 0, 0]);
        w.Attr(2, TnefAttribute.AttachTitle, "A.TXT\0"u8.ToArray());
        w.Attr(2, TnefAttribute.AttachData, "abc"u8.ToArray());
        var m = TestMessages.FromBytes(w.ToArray());
        Assert.Equal(1251, m.CodePage);
        Assert.Equal("IPM.Note", m.MessageClass);
        Assert.Equal("Привет", m.Subject);
        Assert.Equal("text\r\n", m.Properties.GetString(PropTags.Body));
        Assert.Equal(new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc), m.Properties.GetDateTime(PropTags.ClientSubmitTime));
        Assert.Equal(2, m.Properties.GetInt32(PropTags.Importance));
        var a = Assert.Single(m.Attachments);
        Assert.Equal("A.TXT", a.FileName);
        Assert.Equal(AttachMethod.ByValue, a.Method);
        Assert.Equal("abc"u8.ToArray(), a.Data!.ToArray());
    }

    private sealed class ForwardOnlyStream : Stream
    {
        public MemoryStream Inner { get; } = new();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);
    }
}
