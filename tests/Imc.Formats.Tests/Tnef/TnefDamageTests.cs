using System.Diagnostics;
using Imc.Formats.Tnef;

namespace Imc.Formats.Tests.Tnef;

/// <summary>Damaged input gives a TnefException naming the offset and what was expected — never another exception.</summary>
public sealed class TnefDamageTests
{
    private static byte[] Valid() => TestMessages.ToBytes(TestMessages.Full(recipients: 3, bigBytes: 3000));

    private static TnefException Fails(byte[] bytes, TnefComplianceMode mode = TnefComplianceMode.Strict) =>
        Assert.Throws<TnefException>(() => TestMessages.FromBytes(bytes, new TnefReadOptions { Mode = mode }));

    [Fact]
    public void Bad_checksum_is_an_error_in_strict_mode_and_a_warning_in_loose_mode()
    {
        var bytes = RawTnef.Minimal().Attr(1, TnefAttribute.Subject, "Hi\0"u8.ToArray(), checksum: 0x1234).ToArray();
        var e = Fails(bytes);
        Assert.Equal(TnefError.BadChecksum, e.Error);
        Assert.Equal(52, e.Offset);
        Assert.Equal("TNEF bad checksum at offset 52 (0x34): attSubject (attribute at offset 40) has checksum 0x1234, expected 0x00B1 (the sum of its 3 data bytes)", e.Message);
        var options = new TnefReadOptions { Mode = TnefComplianceMode.Loose };
        var m = TestMessages.FromBytes(bytes, options);
        Assert.Equal("Hi", m.Subject);
        Assert.Equal(["offset 52 (0x34): attSubject (attribute at offset 40) has checksum 0x1234, expected 0x00B1 (the sum of its 3 data bytes)"], options.Warnings);
    }

    [Fact]
    public void Bad_signature_names_what_was_expected()
    {
        var e = Fails([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]);
        Assert.Equal(TnefError.BadSignature, e.Error);
        Assert.Equal("TNEF bad signature at offset 0 (0x0): expected the TNEF signature 0x223E9F78 (bytes 78 9F 3E 22), found 0x04034B50", e.Message);
    }

    [Fact]
    public void Bad_level_is_an_error()
    {
        var bytes = RawTnef.Minimal().Attr(7, TnefAttribute.Subject, "Hi\0"u8.ToArray()).ToArray();
        var e = Fails(bytes);
        Assert.Equal(TnefError.BadLevel, e.Error);
        Assert.Equal("TNEF bad attribute level at offset 40 (0x28): expected attribute level 1 (message) or 2 (attachment), found 0x07", e.Message);
    }

    [Fact]
    public void Huge_length_is_an_error_before_any_allocation()
    {
        var bytes = RawTnef.Minimal().Attr(2, TnefAttribute.AttachData, [1, 2, 3], length: 0xFFFFFFF0).ToArray();
        foreach (var mode in new[] { TnefComplianceMode.Strict, TnefComplianceMode.Loose })
        {
            var e = Fails(bytes, mode);
            Assert.Equal(TnefError.Truncated, e.Error);
            Assert.Equal("TNEF truncated stream at offset 40 (0x28): attAttachData declares 4294967280 data bytes but only 3 remain before the end of the stream", e.Message);
        }
    }

    [Fact]
    public void Huge_length_on_a_non_seekable_stream_is_truncation_not_an_allocation()
    {
        var bytes = RawTnef.Minimal().Attr(1, TnefAttribute.MsgProps, [1, 0, 0, 0, 0x02, 0x01, 0x01, 0x67, 1, 0, 0, 0, 0x00, 0x00, 0xFF, 0x7F], length: 0x7FFFFFFF).ToArray();
        var e = Assert.Throws<TnefException>(() => TnefReader.Read(new NonSeekable(bytes)));
        Assert.True(e.Error == TnefError.Truncated, e.Message);
    }

    [Fact]
    public void The_17_byte_fuzz_case_is_a_tnef_exception()
    {
        // Like ytnef's ytnef-oob-TNEFVersion-SwapWord: signature, key, an attTnefVersion header announcing 4 bytes, 2 present.
        byte[] bytes = [0x78, 0x9F, 0x3E, 0x22, 0x01, 0x00, 0x01, 0x06, 0x90, 0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00];
        Assert.Equal(17, bytes.Length);
        foreach (var mode in new[] { TnefComplianceMode.Strict, TnefComplianceMode.Loose })
        {
            var e = Fails(bytes, mode);
            Assert.Equal(TnefError.Truncated, e.Error);
            Assert.Equal("TNEF truncated stream at offset 6 (0x6): attTnefVersion declares 4 data bytes but only 0 remain before the end of the stream", e.Message);
        }
    }

    [Fact]
    public void Truncation_at_every_offset_is_a_tnef_exception()
    {
        var valid = Valid();
        // A cut exactly between two attributes leaves a shorter but valid stream: those offsets are skipped.
        var boundaries = new HashSet<int>();
        for (var at = 6; at + 9 <= valid.Length; at += 9 + (int)BitConverter.ToUInt32(valid, at + 5) + 2) boundaries.Add(at);
        var step = Math.Max(1, valid.Length / 1500);
        for (var n = 0; n < valid.Length; n += step)
        {
            if (boundaries.Contains(n)) continue;
            var cut = valid[..n];
            var e = Assert.Throws<TnefException>(() => TestMessages.FromBytes(cut));
            Assert.True(e.Error is TnefError.Truncated or TnefError.BadLength or TnefError.BadStructure or TnefError.TrailingData, $"cut at {n}: {e.Message}");
            Assert.Throws<TnefException>(() => TnefReader.Read(new NonSeekable(cut)));
        }
    }

    [Fact]
    public void Seeded_mutations_only_ever_throw_tnef_exceptions()
    {
        var valid = Valid();
        var r = new Random(20240309);
        var clock = Stopwatch.StartNew();
        var failures = 0;
        for (var i = 0; i < 2000 && clock.Elapsed < TimeSpan.FromSeconds(20); i++)
        {
            var bytes = (byte[])valid.Clone();
            for (int k = 0, n = 1 + r.Next(4); k < n; k++)
            {
                var at = r.Next(bytes.Length);
                switch (r.Next(3))
                {
                    case 0: bytes[at] = (byte)r.Next(256); break;
                    case 1: bytes[at] ^= (byte)(1 << r.Next(8)); break;
                    default: bytes[at] = r.Next(2) == 0 ? (byte)0xFF : (byte)0; break;
                }
            }
            foreach (var mode in new[] { TnefComplianceMode.Strict, TnefComplianceMode.Loose })
            {
                try
                {
                    TestMessages.FromBytes(bytes, new TnefReadOptions { Mode = mode });
                }
                catch (TnefException e)
                {
                    Assert.DoesNotContain('\n', e.Message);
                    failures++;
                }
            }
        }
        Assert.True(failures > 100, $"only {failures} mutations were detected");
    }

    [Fact]
    public void Deep_nesting_is_rejected()
    {
        var inner = TestMessages.Simple("0");
        for (var i = 1; i <= 40; i++)
        {
            var outer = TestMessages.Simple(i.ToString());
            outer.Attachments.Add(TestMessages.Embedded(inner));
            inner = outer;
        }
        Assert.Throws<InvalidOperationException>(() => TestMessages.ToBytes(inner));
    }

    private sealed class NonSeekable(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
