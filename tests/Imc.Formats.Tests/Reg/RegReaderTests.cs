using System.Text;
using Imc.Formats.Reg;
using Imc.Testing;

namespace Imc.Formats.Tests.Reg;

public sealed class RegReaderTests
{
    private static IReadOnlyList<RegKey> ReadText(string text, Encoding? encoding = null) =>
        RegReader.Read(new MemoryStream((encoding ?? Encoding.Latin1).GetBytes(text)));

    private static string Utf16(string s) => Convert.ToHexString(Encoding.Unicode.GetBytes(s));

    [Fact]
    public void Reads_the_shared_regedit4_example()
    {
        var keys = RegReader.ReadFile(Path.Combine(TestPaths.RegSamples, "example-regedit4.reg"));
        Assert.Equal(2, keys.Count);
        var p = keys[0];
        Assert.Equal(RegSamples.Parameters, p.Path);
        Assert.Equal(["", "Plain", "Escaped", "Dword", "Binary", "Expand", "Multi", "Qword", "None", "LongBinary"], p.Values.Select(v => v.Name));
        Assert.Equal("default value", p.Values[0].AsString());
        Assert.Equal("C:\\exchsrvr\\imcdata \"quoted\"", p.Values[2].AsString());
        Assert.Equal(0x1fu, p.Values[3].AsDWord());
        Assert.Equal("010203FF", Convert.ToHexString(p.Values[4].Data));
        Assert.Equal(Utf16("%SystemRoot%\\x\0"), Convert.ToHexString(p.Values[5].Data)); // ANSI → UTF-16
        Assert.Equal(["abc", "def"], p.Values[6].AsMultiString());
        Assert.Equal((11u, "0100000000000000"), (p.Values[7].Type, Convert.ToHexString(p.Values[7].Data)));
        Assert.Equal((0u, 0), (p.Values[8].Type, p.Values[8].Data.Length));
        Assert.Equal(Enumerable.Range(0, 0x31).Select(i => (byte)i), p.Values[9].Data);
        Assert.Equal(RegSamples.Parameters + @"\Sub", keys[1].Path);
        Assert.Equal(["Deleted"], keys[1].DeletedValues);
    }

    [Fact]
    public void Reads_the_shared_version5_example()
    {
        var keys = RegReader.ReadFile(Path.Combine(TestPaths.RegSamples, "example-v5-utf16.reg"));
        var p = Assert.Single(keys);
        Assert.Equal("hello wörld", p.Values[1].AsString());
        Assert.Equal(Utf16("%SystemRoot%\\x\0"), Convert.ToHexString(p.Values[3].Data)); // already UTF-16: kept
        Assert.Equal(["abc", "def"], p.Values[4].AsMultiString());
    }

    [Fact]
    public void Reads_the_shared_deletions_example()
    {
        var keys = RegReader.ReadFile(Path.Combine(TestPaths.RegSamples, "example-deletions.reg"));
        Assert.Equal(2, keys.Count);
        Assert.False(keys[0].Delete);
        Assert.Equal(["Plain"], keys[0].DeletedValues);
        Assert.True(keys[1].Delete);
        Assert.Equal(RegSamples.Parameters + @"\Sub", keys[1].Path);
    }

    [Fact]
    public void Reads_a_hand_written_version5_file_with_crlf_wrapping_blanks_and_comments()
    {
        var text = "\uFEFFWindows Registry Editor Version 5.00\r\n\r\n; a comment\r\n" +
                   "[HKLM\\Software\\Test]\r\n" +
                   "  \"Wrapped\"=hex(7):61,00,\\\r\n      00, 00 ,62,00,\\\r\n\t00,00\r\n" +
                   "\"Spaced\" = dword:1f  \r\n" +
                   "\"Str\"=\"ü \\\"x\\\" \\\\\" ; trailing comment\r\n" +
                   "@=\"\"\r\n" +
                   "\"Typed\"=HEX(20000):\r\n";
        var keys = ReadText(text, Encoding.Unicode);
        var k = Assert.Single(keys);
        Assert.Equal(@"HKEY_LOCAL_MACHINE\Software\Test", k.Path); // short root names become long ones
        Assert.Equal(["a", "b"], k.Values[0].AsMultiString());
        Assert.Equal(0x1fu, k.Values[1].AsDWord());
        Assert.Equal("ü \"x\" \\", k.Values[2].AsString());
        Assert.Equal(("", "0000"), (k.Values[3].Name, Convert.ToHexString(k.Values[3].Data)));
        Assert.Equal((0x20000u, 0), (k.Values[4].Type, k.Values[4].Data.Length));
    }

    [Fact]
    public void Reads_utf8_with_bom_and_lf_line_ends()
    {
        var text = "\uFEFFREGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\A]\n\"ü\"=\"€\"\n\"E\"=hex(2):80,00\n";
        var k = Assert.Single(ReadText(text, new UTF8Encoding(false)));
        Assert.Equal(("ü", "€"), (k.Values[0].Name, k.Values[0].AsString()));
        Assert.Equal("€", k.Values[1].AsString()); // REGEDIT4: 0x80 is the ANSI euro sign
    }

    [Fact]
    public void Unknown_escapes_are_kept_and_wine_newline_escape_is_understood()
    {
        var k = Assert.Single(ReadText("REGEDIT4\r\n[HKEY_USERS\\x]\r\n\"a\"=\"C:\\path\\nx\"\r\n\"b\"=\"C:\\temp\"\r\n"));
        Assert.Equal("C:\\path\nx", k.Values[0].AsString());
        Assert.Equal("C:\\temp", k.Values[1].AsString());
    }

    [Theory]
    [InlineData("", "line 1: expected \"REGEDIT4\" or \"Windows Registry Editor Version 5.00\", found an empty file")]
    [InlineData("REGEDIT5\r\n", "line 1: expected \"REGEDIT4\" or \"Windows Registry Editor Version 5.00\", found \"REGEDIT5\"")]
    [InlineData("REGEDIT4\r\n\"x\"=\"1\"\r\n", "line 2: expected a [KEY] line before the first value, found \"\\\"x\\\"=\\\"1\\\"\"")]
    [InlineData("REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=dword:xyz\r\n", "line 4: expected dword:XXXXXXXX (1 to 8 hex digits), found \"dword:xyz\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=dword:123456789\r\n", "line 3: expected dword:XXXXXXXX (1 to 8 hex digits), found \"dword:123456789\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=hex:01,zz,03\r\n", "line 3: expected a hex byte (00 to ff) in the hex data, found \"zz\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=hex:01,\\\r\n  02,100\r\n", "line 4: expected a hex byte (00 to ff) in the hex data, found \"100\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=hex:01,,02\r\n", "line 3: expected a hex byte (00 to ff) in the hex data, found \"\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=hex:01,\\\r\n", "line 3: expected another line of hex data after the \\ at the end of the file")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=hex(zz):01\r\n", "line 3: expected hex: or hex(N): with N as 1 to 8 hex digits, found \"hex(zz):01\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=\"abc\r\n", "line 3: expected a closing quote at the end of the string, found \"\\\"x\\\"=\\\"abc\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x=\"abc\"\r\n", "line 3: expected = after the value name, found \"\\\"x=\\\"abc\\\"\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=\"abc\" junk\r\n", "line 3: expected the end of the line after the closing quote of the string, found \"junk\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=wat\r\n", "line 3: expected \"string\", dword:, hex:, hex(N): or - after =, found \"wat\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A\r\n", "line 2: expected ] at the end of the key line, found \"[HKEY_LOCAL_MACHINE\\A\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A] x\r\n", "line 2: expected nothing after ] on a key line, found \"[HKEY_LOCAL_MACHINE\\A] x\"")]
    [InlineData("REGEDIT4\r\n[HKEY_NOWHERE\\A]\r\n", "line 2: expected a key under HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, HKEY_CLASSES_ROOT, HKEY_USERS or HKEY_CURRENT_CONFIG, found \"[HKEY_NOWHERE\\A]\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A\\\\B]\r\n", "line 2: expected a key path without empty parts, found \"[HKEY_LOCAL_MACHINE\\A\\\\B]\"")]
    [InlineData("REGEDIT4\r\n[-HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=-\r\n", "line 3: a value cannot follow the key deletion [-HKEY_LOCAL_MACHINE\\A], found \"\\\"x\\\"=-\"")]
    [InlineData("REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\nvalue=1\r\n", "line 3: expected [KEY], \"Name\"=value, @=value, a ; comment or a blank line, found \"value=1\"")]
    public void Malformed_input_gives_the_line_and_what_was_expected(string text, string message)
    {
        var ex = Assert.Throws<RegFormatException>(() => ReadText(text));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Error_messages_name_the_file_when_read_from_disk()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("Imcsvc.reg");
        File.WriteAllText(path, "REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=dword:xyz\r\n");
        var ex = Assert.Throws<RegFormatException>(() => RegReader.ReadFile(path));
        Assert.Equal("Imcsvc.reg: line 3: expected dword:XXXXXXXX (1 to 8 hex digits), found \"dword:xyz\"", ex.Message);
        Assert.Equal((3, "Imcsvc.reg"), (ex.Line, ex.SourceName));
    }

    [Fact]
    public void Absurd_lines_and_values_are_refused_without_reading_them_whole()
    {
        var options = new RegReaderOptions { MaxLineLength = 100, MaxValueBytes = 10 };
        var longLine = "REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=\"" + new string('a', 1000) + "\"\r\n";
        var ex = Assert.Throws<RegFormatException>(() => RegReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(longLine)), null, options));
        Assert.Equal("line 3: line is longer than 100 characters", ex.Message);

        var wrapped = "REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"x\"=hex:" + string.Concat(Enumerable.Repeat("01,02,03,\\\r\n  ", 10)) + "04\r\n";
        var ex2 = Assert.Throws<RegFormatException>(() => RegReader.Read(new MemoryStream(Encoding.ASCII.GetBytes(wrapped)), null, options));
        Assert.Equal("line 3: value data is larger than 10 bytes", ex2.Message);
    }
}
