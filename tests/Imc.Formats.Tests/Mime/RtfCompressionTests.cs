using System.Buffers.Binary;
using System.Text;
using Imc.Formats.Mapi;
using Imc.Testing;
using MimeKit.Tnef;

namespace Imc.Formats.Tests.Mime;

public sealed class RtfCompressionTests
{
    private const string SampleRtf =
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\r\n{\\colortbl;\\red0\\green0\\blue0;}\r\n" +
        "\\pard\\plain\\f0\\fs20 Hello, this is the body. Hello, this is the body again.\\par\r\n" +
        "\\pard\\plain\\f0\\fs20\\b Bold\\b0  and \\i italic\\i0 .\\par\r\n}";

    [Fact]
    public void Preamble_is_the_207_bytes_of_the_specification()
    {
        Assert.Equal(207, RtfCompression.Preamble.Length);
        Assert.StartsWith("{\\rtf1\\ansi\\mac", Encoding.ASCII.GetString(RtfCompression.Preamble));
        Assert.EndsWith("\\tab\\tx", Encoding.ASCII.GetString(RtfCompression.Preamble));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(5000)]
    [InlineData(70000)]
    public void Round_trip_of_random_and_repetitive_data(int size)
    {
        var rnd = new Random(size);
        var data = new byte[size];
        for (var i = 0; i < size; i++)
            data[i] = i % 3 == 0 ? (byte)rnd.Next(256) : (byte)"{\\rtf1 abc\\par}"[i % 15];
        var packed = RtfCompression.Compress(data);
        Assert.Equal(data, RtfCompression.Decompress(packed));
        Assert.Equal(data, DecodeWithMimeKit(packed, out var crcOk));
        Assert.True(crcOk);
    }

    [Fact]
    public void Compression_uses_the_dictionary_and_the_header_is_exact()
    {
        var rtf = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(SampleRtf, 20)));
        var packed = RtfCompression.Compress(rtf);
        Assert.True(packed.Length < rtf.Length / 4, $"{packed.Length} bytes for {rtf.Length}");
        Assert.Equal((uint)packed.Length - 4, BinaryPrimitives.ReadUInt32LittleEndian(packed));
        Assert.Equal((uint)rtf.Length, BinaryPrimitives.ReadUInt32LittleEndian(packed.AsSpan(4)));
        Assert.Equal("LZFu", Encoding.ASCII.GetString(packed, 8, 4));
        Assert.Equal(rtf, RtfCompression.Decompress(packed));
        Assert.Equal(rtf, DecodeWithMimeKit(packed, out var crcOk));
        Assert.True(crcOk);
    }

    [Fact]
    public void Preamble_text_compresses_to_dictionary_references()
    {
        // The RTF starts exactly like the prefilled dictionary: most of it must become references.
        var rtf = Encoding.ASCII.GetBytes("{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern}");
        var packed = RtfCompression.Compress(rtf);
        Assert.True(packed.Length < 16 + 20, $"{packed.Length} bytes");
        Assert.Equal(rtf, DecodeWithMimeKit(packed, out var crcOk));
        Assert.True(crcOk);
    }

    [Fact]
    public void Decompresses_the_rtf_body_of_a_real_tnef_file_like_MimeKit()
    {
        var compressed = ReadRtfCompressed(Path.Combine(TestPaths.TnefSamples, "rtf.tnef"));
        var ours = RtfCompression.Decompress(compressed);
        var theirs = DecodeWithMimeKit(compressed, out var crcOk);
        Assert.True(crcOk);
        Assert.Equal(theirs, ours);
        Assert.StartsWith("{\\rtf1", Encoding.ASCII.GetString(ours));
        // And our compressor's output of that RTF decodes to the same bytes.
        Assert.Equal(ours, RtfCompression.Decompress(RtfCompression.Compress(ours)));
    }

    [Fact]
    public void Decompresses_the_uncompressed_MELA_form()
    {
        var raw = Encoding.ASCII.GetBytes("{\\rtf1 plain}");
        var mela = new byte[16 + raw.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(mela, (uint)mela.Length - 4);
        BinaryPrimitives.WriteUInt32LittleEndian(mela.AsSpan(4), (uint)raw.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(mela.AsSpan(8), RtfCompression.UncompressedMagic);
        raw.CopyTo(mela, 16);
        Assert.Equal(raw, RtfCompression.Decompress(mela));
    }

    [Fact]
    public void Damaged_crc_is_reported()
    {
        var packed = RtfCompression.Compress(Encoding.ASCII.GetBytes(SampleRtf));
        packed[20] ^= 0x40;
        var e = Assert.Throws<RtfCompressionException>(() => RtfCompression.Decompress(packed));
        Assert.Matches("^Compressed RTF CRC is 0x[0-9A-F]{8}, but the header says 0x[0-9A-F]{8}; the data is damaged\\.$", e.Message);
        Assert.IsAssignableFrom<FormatException>(e);
    }

    [Fact]
    public void Short_input_is_reported()
    {
        var e = Assert.Throws<RtfCompressionException>(() => RtfCompression.Decompress(new byte[5]));
        Assert.Equal("Compressed RTF is 5 bytes long; expected at least the 16-byte header.", e.Message);
    }

    [Fact]
    public void Unknown_type_is_reported()
    {
        var packed = RtfCompression.Compress("{\\rtf1}"u8);
        packed[8] = (byte)'X';
        var e = Assert.Throws<RtfCompressionException>(() => RtfCompression.Decompress(packed));
        Assert.Equal("Compressed RTF has COMPTYPE 0x75465A58; expected 0x75465A4C (\"LZFu\") or 0x414C454D (\"MELA\").", e.Message);
    }

    [Fact]
    public void Truncated_stream_is_reported()
    {
        var packed = RtfCompression.Compress(Encoding.ASCII.GetBytes(SampleRtf));
        var cut = packed.AsSpan(0, packed.Length - 10).ToArray();
        var e = Assert.Throws<RtfCompressionException>(() => RtfCompression.Decompress(cut));
        Assert.Equal($"Compressed RTF header gives COMPSIZE {packed.Length - 4}, but only {cut.Length} bytes are present (expected COMPSIZE = length - 4 = {cut.Length - 4}).", e.Message);
    }

    [Fact]
    public void Huge_raw_size_is_refused_before_allocating()
    {
        var packed = RtfCompression.Compress("{\\rtf1 x}"u8);
        BinaryPrimitives.WriteUInt32LittleEndian(packed.AsSpan(4), 0xFFFFFFF0);
        var e = Assert.Throws<RtfCompressionException>(() => RtfCompression.Decompress(packed));
        Assert.StartsWith("Compressed RTF header gives RAWSIZE 4294967280, more than ", e.Message);
    }

    [Fact]
    public void Wrong_raw_size_is_reported()
    {
        var packed = RtfCompression.Compress("{\\rtf1 xyz}"u8);
        BinaryPrimitives.WriteUInt32LittleEndian(packed.AsSpan(4), 5);
        var e = Assert.Throws<RtfCompressionException>(() => RtfCompression.Decompress(packed));
        Assert.Equal("Compressed RTF decompresses to more than the 5 bytes its header gives as RAWSIZE.", e.Message);
    }

    internal static byte[] DecodeWithMimeKit(byte[] packed, out bool crcOk)
    {
        var filter = new RtfCompressedToRtf();
        var output = filter.Flush(packed, 0, packed.Length, out var index, out var length);
        crcOk = filter.IsValidCrc32;
        return output.AsSpan(index, length).ToArray();
    }

    private static byte[] ReadRtfCompressed(string path)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        using var stream = File.OpenRead(path);
        using var reader = new TnefReader(stream, 0, TnefComplianceMode.Loose);
        while (reader.ReadNextAttribute())
        {
            if (reader.AttributeTag != TnefAttributeTag.MapiProperties) continue;
            var props = reader.TnefPropertyReader;
            while (props.ReadNextProperty())
                if (props.PropertyTag.Id == TnefPropertyId.RtfCompressed)
                    return props.ReadValueAsBytes();
        }
        throw new InvalidOperationException($"No PR_RTF_COMPRESSED in {path}.");
    }
}
