using System.Text;
using Imc.Formats.Ini;
using Imc.Testing;

namespace Imc.Formats.Tests.Ini;

public sealed class IniTests
{
    private static IniDocument Read(string text, bool strict = false) =>
        IniReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), null, new IniReaderOptions { Strict = strict });

    private static IniDocument PackingList()
    {
        var doc = new IniDocument();
        doc.Add("Imcsave").Add("Format", "1").Add("Gateway", "/o=ORG/ou=SITE/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH1)").Add("Empty", "");
        doc.Add("Files").Add("Imcsvc.reg", "4321 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08").Add("Mtsout/Grüße 中文.tnef", "12 ab").Add("Odd \"quote", "x \"y\" z");
        return doc;
    }

    [Fact]
    public void Writer_output_is_exact_utf8_without_bom_with_crlf_and_blank_lines_between_sections()
    {
        using var ms = new MemoryStream();
        IniWriter.Write(ms, PackingList());
        var expected =
            "[Imcsave]\r\nFormat=1\r\nGateway=/o=ORG/ou=SITE/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH1)\r\nEmpty=\r\n" +
            "\r\n[Files]\r\nImcsvc.reg=4321 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\r\nMtsout/Grüße 中文.tnef=12 ab\r\nOdd \"quote=x \"y\" z\r\n";
        Assert.Equal(Encoding.UTF8.GetBytes(expected), ms.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Round_trip_keeps_sections_entries_and_order(bool strict)
    {
        using var ms = new MemoryStream();
        IniWriter.Write(ms, PackingList());
        ms.Position = 0;
        var back = IniReader.Read(ms, null, new IniReaderOptions { Strict = strict });
        Assert.Equal(["Imcsave", "Files"], back.Sections.Select(s => s.Name));
        Assert.Equal(PackingList().Sections.SelectMany(s => s.Entries), back.Sections.SelectMany(s => s.Entries));
    }

    [Fact]
    public void Lookups_trim_ignore_case_strip_one_pair_of_quotes_and_keep_inline_semicolons()
    {
        var doc = Read("  [ Files ]  \r\n  Key One  =  value with ; no comment  \r\nQ=\"quoted\"\r\nQQ=\"\"twice\"\"\r\nS='single'\r\nHalf=\"open\r\nOne=\"\r\n;Comment=1\r\n  ;Indented=1\r\nx=1 ; text\r\nnext=line \\\r\ncontinued=no\r\n");
        Assert.Equal("value with ; no comment", doc.Get("files", "KEY ONE"));
        Assert.Equal("quoted", doc.Get("FILES", "q"));
        Assert.Equal("\"twice\"", doc.Get("Files", "QQ"));
        Assert.Equal("single", doc.Get("Files", "S"));
        Assert.Equal("\"open", doc.Get("Files", "Half"));
        Assert.Equal("\"", doc.Get("Files", "One"));
        Assert.Null(doc.Get("Files", ";Comment"));
        Assert.Null(doc.Get("Files", "Comment"));
        Assert.Null(doc.Get("Files", ";Indented"));
        Assert.Equal("1 ; text", doc.Get("Files", "x"));
        Assert.Equal("line \\", doc.Get("Files", "next"));
        Assert.Equal("no", doc.Get("Files", "continued"));
        Assert.Null(doc.Get("Nope", "x"));
    }

    [Fact]
    public void Lenient_reading_keeps_the_first_duplicate_key_merges_sections_and_ignores_junk()
    {
        var doc = Read("stray=before any section\r\n[A]\r\nk=1\r\nK=2\r\njunk line\r\n=empty key\r\n[a]\r\nk=3\r\nother=4\r\n[B\r\n[C] trailing\r\nc=5\r\n");
        Assert.Equal(["A", "C"], doc.Sections.Select(s => s.Name));
        Assert.Equal("1", doc.Get("a", "K"));
        Assert.Equal("4", doc.Get("A", "other"));
        Assert.Equal(2, doc["A"]!.Entries.Count);
        Assert.Equal("5", doc.Get("C", "c"));
        Assert.Null(doc.Get("A", "stray"));
    }

    [Theory]
    [InlineData("[A]\r\nk=1\r\nK=2\r\n", "line 3: key \"K\" appears twice in [A] (first on line 2)")]
    [InlineData("[A]\r\nk=1\r\n\r\n[a]\r\nj=2\r\n", "line 4: section [a] appears twice (first on line 1)")]
    [InlineData("[A]\r\nk=1\r\njunk line\r\n", "line 3: expected Key=Value, [Section], a ; comment or a blank line, found \"junk line\"")]
    [InlineData("[A]\r\n=value\r\n", "line 2: expected Key=Value, [Section], a ; comment or a blank line, found \"=value\"")]
    [InlineData("k=1\r\n[A]\r\n", "line 1: expected a [Section] line before the first Key=Value, found \"k=1\"")]
    [InlineData("[A\r\n", "line 1: expected [Section] alone on the line, found \"[A\"")]
    [InlineData("[A] x\r\n", "line 1: expected [Section] alone on the line, found \"[A] x\"")]
    public void Strict_reading_refuses_duplicates_and_junk_with_the_line(string text, string message)
    {
        Assert.Equal(message, Assert.Throws<IniFormatException>(() => Read(text, strict: true)).Message);
    }

    [Fact]
    public void Strict_reading_refuses_bytes_that_are_not_utf8_and_lenient_falls_back_to_ansi()
    {
        var bytes = Encoding.ASCII.GetBytes("[Files]\r\na=1\r\n").Concat(new byte[] { 0x62, 0x3D, 0xE9, 0x0D, 0x0A }).ToArray();
        using var dir = new TempDirectory();
        var path = dir.Combine("Imcfls");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<IniFormatException>(() => IniReader.ReadFile(path, IniReaderOptions.StrictDefault));
        Assert.Equal("Imcfls: line 3: expected UTF-8 text, found bytes that are not UTF-8", ex.Message);
        Assert.Equal((3, "Imcfls"), (ex.Line, ex.SourceName));
        Assert.Equal("é", IniReader.ReadFile(path).Get("Files", "b"));
    }

    [Fact]
    public void Utf16_and_utf8_boms_are_honoured()
    {
        var text = "[S]\r\nk=Grüße\r\n";
        Assert.Equal("Grüße", IniReader.Read(new MemoryStream([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]), null, IniReaderOptions.StrictDefault).Get("s", "K"));
        Assert.Equal("Grüße", IniReader.Read(new MemoryStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]), null, IniReaderOptions.StrictDefault).Get("s", "K"));
    }

    [Fact]
    public void Long_lines_and_huge_files_are_refused_early()
    {
        var options = new IniReaderOptions { MaxLineLength = 10, MaxFileLength = 40 };
        var ex = Assert.Throws<IniFormatException>(() => IniReader.Read(new MemoryStream(Encoding.ASCII.GetBytes("[S]\r\nk=" + new string('x', 100))), null, options));
        Assert.Equal("line 2: line is longer than 10 characters", ex.Message);
        var many = string.Concat(Enumerable.Range(0, 20).Select(i => $"k{i}=1\r\n"));
        var ex2 = Assert.Throws<IniFormatException>(() => IniReader.Read(new MemoryStream(Encoding.ASCII.GetBytes("[S]\r\n" + many)), null, options));
        Assert.Equal("line 7: file is longer than 40 characters", ex2.Message);
    }

    [Theory]
    [InlineData("Key", " padded", "Value of Key in [S] \" padded\" cannot be written to an .ini file unchanged.")]
    [InlineData("Key", "\"quoted\"", "Value of Key in [S] \"\"quoted\"\" cannot be written to an .ini file unchanged.")]
    [InlineData("Key", "two\r\nlines", "Value of Key in [S] \"two\r\nlines\" cannot be written to an .ini file unchanged.")]
    [InlineData("a=b", "x", "Key in [S] \"a=b\" cannot be written to an .ini file unchanged.")]
    [InlineData(";k", "x", "Key in [S] \";k\" cannot be written to an .ini file unchanged.")]
    [InlineData("", "x", "Key in [S] \"\" cannot be written to an .ini file unchanged.")]
    public void Writer_refuses_what_would_not_read_back_unchanged(string key, string value, string message)
    {
        var doc = new IniDocument();
        doc.Add("S").Add(key, value);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => IniWriter.ToText(doc)).Message);
    }

    [Fact]
    public void Model_refuses_duplicate_sections_and_keys()
    {
        var doc = new IniDocument();
        var s = doc.Add("Files");
        s.Add("a", "1");
        Assert.Equal("Key \"A\" is already in [Files]. (Parameter 'key')", Assert.Throws<ArgumentException>(() => s.Add("A", "2")).Message);
        Assert.Equal("Section [FILES] is already in the document. (Parameter 'name')", Assert.Throws<ArgumentException>(() => doc.Add("FILES")).Message);
        Assert.Same(s, doc.GetOrAdd("files"));
    }

    [Fact]
    public void Reader_records_the_line_of_every_section_and_key()
    {
        var doc = IniReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("; c\n[A]\nx=1\n\n[B]\r\ny=2\nz=3\n")), "t.ini", IniReaderOptions.StrictDefault);
        Assert.Equal(2, doc["A"]!.Line);
        Assert.Equal(3, doc["a"]!.LineOf("X"));
        Assert.Equal(5, doc["B"]!.Line);
        Assert.Equal(7, doc["B"]!.LineOf("z"));
        Assert.Equal(0, doc["B"]!.LineOf("missing"));
        Assert.Equal(0, new IniDocument().Add("C").Add("k", "v").LineOf("k"));
    }
}
