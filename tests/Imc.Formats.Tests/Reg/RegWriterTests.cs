using System.Text;
using Imc.Formats.Reg;
using Imc.Testing;

namespace Imc.Formats.Tests.Reg;

public sealed class RegWriterTests
{
    private static byte[] Write(IEnumerable<RegKey> keys, RegFileFormat format = RegFileFormat.Regedit4)
    {
        using var ms = new MemoryStream();
        RegWriter.Write(ms, keys, format);
        return ms.ToArray();
    }

    [Fact]
    public void Regedit4_output_matches_the_hand_checked_golden_file_byte_for_byte()
    {
        var expected = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "reg", "golden-regedit4.reg"));
        var actual = Write(RegSamples.Golden());
        Assert.Equal(Encoding.Latin1.GetString(expected), Encoding.Latin1.GetString(actual));
    }

    [Fact]
    public void Golden_file_reads_back_to_the_same_keys()
    {
        var keys = RegReader.ReadFile(Path.Combine(TestPaths.TestData, "reg", "golden-regedit4.reg"));
        RegSamples.AssertSame(RegSamples.Golden(), keys);
    }

    [Fact]
    public void Empty_key_list_is_just_the_header_and_blank_lines()
    {
        Assert.Equal("REGEDIT4\r\n\r\n"u8.ToArray(), Write([]));
        Assert.Equal([0xFF, 0xFE, .. Encoding.Unicode.GetBytes("Windows Registry Editor Version 5.00\r\n\r\n")], Write([], RegFileFormat.Version5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(21)]
    [InlineData(45)]
    [InlineData(46)]
    [InlineData(500)]
    public void Hex_lines_wrap_after_the_comma_that_reaches_column_77(int count)
    {
        var key = new RegKey(RegSamples.Parameters);
        key.Values.Add(RegValue.Binary("LongBinary", Enumerable.Range(0, count).Select(i => (byte)i).ToArray()));
        var text = RegWriter.ToText([key], RegFileFormat.Regedit4);
        var lines = text.Split("\r\n")[3..^2];
        // First line: 17-character prefix + 20 bytes; then 25 bytes per line; every continued line is 78 characters.
        // A wrap happens only when another byte follows.
        var expectedLines = count <= 20 ? 1 : 1 + (count - 20 + 24) / 25;
        Assert.Equal(expectedLines, lines.Length);
        for (var i = 0; i < lines.Length - 1; i++)
        {
            Assert.Equal(78, lines[i].Length);
            Assert.EndsWith(",\\", lines[i]);
        }
        Assert.True(lines[^1].Length <= 78 && !lines[^1].EndsWith('\\'));
        Assert.All(lines.Skip(1), l => Assert.StartsWith("  ", l));
    }

    [Fact]
    public void A_name_longer_than_the_line_wraps_after_the_first_byte()
    {
        var key = new RegKey(RegSamples.Parameters);
        key.Values.Add(RegValue.Binary(new string('w', 80), [1, 2, 3]));
        var text = RegWriter.ToText([key], RegFileFormat.Regedit4);
        Assert.Contains("=hex:01,\\\r\n  02,03\r\n", text);
    }

    [Fact]
    public void Version5_is_utf16_with_bom_and_utf16_string_data()
    {
        var key = new RegKey(RegSamples.Parameters + @"\中文");
        key.Values.Add(RegValue.String("名前", "値"));
        key.Values.Add(RegValue.ExpandString("E", "%a%€"));
        key.Values.Add(RegValue.MultiString("M", ["x", "ü"]));
        var bytes = Write([key], RegFileFormat.Version5);
        Assert.Equal([0xFF, 0xFE], bytes[..2]);
        var text = Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        Assert.Equal(
            "Windows Registry Editor Version 5.00\r\n\r\n" +
            $"[{RegSamples.Parameters}\\中文]\r\n" +
            "\"名前\"=\"値\"\r\n" +
            "\"E\"=hex(2):25,00,61,00,25,00,ac,20,00,00\r\n" +
            "\"M\"=hex(7):78,00,00,00,fc,00,00,00,00,00\r\n\r\n", text);
    }

    [Fact]
    public void Regedit4_refuses_text_outside_code_page_1252_naming_the_value()
    {
        var key = new RegKey(RegSamples.Parameters);
        key.Values.Add(RegValue.String("Name", "Ωmega"));
        var ex = Assert.Throws<RegFormatException>(() => Write([key]));
        Assert.Equal($"value \"Name\" in [{RegSamples.Parameters}]: the string has 'Ω' (U+03A9), which code page 1252 (REGEDIT4) cannot hold; write the Version 5.00 (Unicode) format instead", ex.Message);
    }

    [Fact]
    public void Regedit4_refuses_odd_length_expand_string_data()
    {
        var key = new RegKey(RegSamples.Parameters);
        key.Values.Add(new RegValue("", RegType.ExpandSz, [0x41]));
        var ex = Assert.Throws<RegFormatException>(() => Write([key]));
        Assert.Equal($"value @ (default) in [{RegSamples.Parameters}]: REG_EXPAND_SZ data has an odd length (1 bytes), which REGEDIT4 cannot hold; write the Version 5.00 (Unicode) format instead", ex.Message);
    }

    [Fact]
    public void Auto_chooses_regedit4_when_possible_and_version5_otherwise()
    {
        using var ms = new MemoryStream();
        Assert.Equal(RegFileFormat.Regedit4, RegWriter.Write(ms, RegSamples.AllTypes(), RegFileFormat.Auto));
        Assert.StartsWith("REGEDIT4\r\n", Encoding.Latin1.GetString(ms.ToArray()));
        var key = new RegKey(RegSamples.Parameters + @"\Ключ");
        using var ms2 = new MemoryStream();
        Assert.Equal(RegFileFormat.Version5, RegWriter.Write(ms2, [key], RegFileFormat.Auto));
        Assert.Equal(0xFF, ms2.ToArray()[0]);
    }

    [Fact]
    public void A_deleted_key_with_values_is_refused()
    {
        var key = new RegKey(RegSamples.Parameters) { Delete = true };
        key.Values.Add(RegValue.DWord("x", 1));
        var ex = Assert.Throws<ArgumentException>(() => Write([key]));
        Assert.StartsWith($"Key [{RegSamples.Parameters}] is marked for deletion but also has values.", ex.Message);
    }

    [Fact]
    public void Strings_that_regedit_cannot_quote_are_written_as_hex_1()
    {
        var key = new RegKey(RegSamples.Parameters);
        key.Values.Add(RegValue.String("NL", "a\nb"));
        key.Values.Add(new RegValue("Odd", RegType.Sz, [0x41, 0, 0x42]));
        var text = RegWriter.ToText([key], RegFileFormat.Regedit4);
        Assert.Contains("\"NL\"=hex(1):61,00,0a,00,62,00,00,00\r\n", text);
        Assert.Contains("\"Odd\"=hex(1):41,00,42\r\n", text);
    }
}
