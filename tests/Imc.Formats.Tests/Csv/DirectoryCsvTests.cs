using System.Text;
using Imc.Formats.Csv;
using Imc.Testing;

namespace Imc.Formats.Tests.Csv;

public sealed class DirectoryCsvTests
{
    private static DirectoryRecord MailGateway() => new(
    [
        new("Obj-Class", "Mail-Gateway"),
        new("Mode", "Update"),
        new("Directory Name", "Internet Mail Connector (EXCH1)"),
        new("Obj-Dist-Name", "/o=Org/ou=Site/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH1)"),
        new("Admin-Display-Name", "Internet Mail Service (EXCH1)"),
        new("Admin-Description", "Internet mail, 100% of it"),
        new("Delivery-Mechanism", "2"),
        new("Computer-Name", "EXCH1"),
        new("Home-Server", "/o=Org/ou=Site/cn=Configuration/cn=Servers/cn=EXCH1"),
        new("Routing-List", "SMTP:*;1", "X400:c=US;a= ;p=Org;o=Site;;1"),
        new("Deliv-Ext-Cont-Types", Convert.ToHexString([0x2A, 0x86, 0x48, 0x86, 0xF7, 0x14, 0x05, 0x01])),
        new("Extension-Name", "SMTP", "Internet Mail Service"),
        new("Connected-Domains", "ExchOrg§ExchSite§1§X400:c=US;a= ;p=ExchOrg;o=ExchSite;"),
        new("Extension-Data", "00FF10"),
        new("Obj-Users", @"ORG\svc-imc", @"ORG\admin\"),
        new("Hide-From-Address-Book", Array.Empty<string>()),
    ]);

    private static byte[] Write(params DirectoryRecord[] records)
    {
        using var ms = new MemoryStream();
        DirectoryCsvWriter.Write(ms, records);
        return ms.ToArray();
    }

    private static IReadOnlyList<DirectoryRecord> Read(byte[] bytes) => DirectoryCsvReader.Read(new MemoryStream(bytes));

    private static IReadOnlyList<DirectoryRecord> ReadText(string text) => Read(Encoding.Latin1.GetBytes(text));

    private static void AssertSame(DirectoryRecord expected, DirectoryRecord actual)
    {
        var present = expected.Attributes.Where(a => a.Values.Count > 0).ToList(); // no values = absent
        Assert.Equal(present.Select(a => a.Name), actual.Attributes.Select(a => a.Name));
        for (var i = 0; i < present.Count; i++) Assert.Equal(present[i].Values, actual.Attributes[i].Values);
    }

    [Fact]
    public void Mail_gateway_object_matches_the_hand_checked_golden_bytes()
    {
        var expected = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "csv", "golden-mail-gateway.csv"));
        Assert.Equal(Encoding.Latin1.GetString(expected), Encoding.Latin1.GetString(Write(MailGateway())));
    }

    [Fact]
    public void Golden_file_reads_back_to_the_same_object()
    {
        var records = DirectoryCsvReader.ReadFile(Path.Combine(TestPaths.TestData, "csv", "golden-mail-gateway.csv"));
        AssertSame(MailGateway(), Assert.Single(records));
        Assert.Equal(("Mail-Gateway", "Update"), (records[0].ObjectClass, records[0].Mode));
        Assert.Null(records[0]["Hide-From-Address-Book"]);
    }

    [Fact]
    public void Awkward_values_round_trip()
    {
        var record = new DirectoryRecord(
        [
            new("Obj-Class", "Mail-Gateway"),
            new("Mode", Array.Empty<string>()),
            new("Percent", "50%", "%", "%%", "a%b"),
            new("Backslash", @"\", @"\\", @"a\%b", @"C:\path\", @"\%", @"x\\\y"),
            new("Comma", "a,b", ",", "c"),
            new("Quote", "say \"hi\"", "\"", "\"\""),
            new("Newline", "line1\r\nline2", "a\nb", "c\rd"),
            new("NonAscii", "àéîõü ß € ‰ œ Ÿ §"),
            new("Empty values", "", "", "x", ""),
            new("Single empty", ""),
            new("Two empty", "", ""),
            new("Blanks", " leading", "trailing ", " ", "in side"),
            new("Tilde=", "~DEL", "=file.bin"),
        ]);
        var bytes = Write(record);
        Assert.NotEqual(0xFF, bytes[0]); // all of it fits code page 1252
        AssertSame(record, Assert.Single(Read(bytes)));
    }

    [Fact]
    public void Text_outside_code_page_1252_is_written_as_utf16_with_bom_and_read_back()
    {
        var record = new DirectoryRecord([new("Obj-Class", "Mail-Gateway"), new("Mode", "Create"), new("Admin-Display-Name", "Шлюз 中文 😀")]);
        var bytes = Write(record);
        Assert.Equal([0xFF, 0xFE], bytes[..2]);
        Assert.Equal("Obj-Class,Mode,Admin-Display-Name\r\nMail-Gateway,Create,Шлюз 中文 😀\r\n", Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2));
        AssertSame(record, Assert.Single(Read(bytes)));
    }

    [Fact]
    public void Several_records_share_one_header_in_order_of_first_appearance()
    {
        var a = new DirectoryRecord([new("Obj-Class", "Mailbox"), new("Common-Name", "a")]);
        var b = new DirectoryRecord([new("Obj-Class", "Remote"), new("Mode", "Delete"), new("Target", "t"), new("common-name", "b")]);
        Assert.Equal("Obj-Class,Mode,Common-Name,Target\r\nMailbox,,a,\r\nRemote,Delete,b,t\r\n", Encoding.Latin1.GetString(Write(a, b)));
        var back = Read(Write(a, b));
        Assert.Equal(2, back.Count);
        Assert.Equal(["b"], back[1]["COMMON-NAME"]);
        Assert.Null(back[0].Mode);
    }

    [Fact]
    public void Reader_accepts_utf8_bom_lf_blank_lines_and_literal_backslashes()
    {
        var text = "\uFEFFobj-class,MODE,Obj-Users,Note\n\nMailbox,,DOMAIN\\user%DOMAIN\\user2,\"x\"\"y\"\"\"\n\n";
        var r = Assert.Single(DirectoryCsvReader.Read(new MemoryStream(new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(text[1..])).ToArray())));
        Assert.Equal([@"DOMAIN\user", @"DOMAIN\user2"], r["Obj-Users"]);
        Assert.Equal(["x\"y\""], r["Note"]);
        Assert.Equal("Obj-Class", r.Attributes[0].Name); // header names as the format spells them
    }

    [Theory]
    [InlineData("", "line 1, column 1: expected a header line starting with Obj-Class,Mode, found an empty file")]
    [InlineData("Common-Name,Mode\r\n", "line 1, column 1: expected Obj-Class as the first column of the header, found \"Common-Name\"")]
    [InlineData("Obj-Class,Common-Name\r\n", "line 1, column 11: expected Mode as the second column of the header, found \"Common-Name\"")]
    [InlineData("Obj-Class\r\n", "line 1, column 10: expected Mode as the second column of the header, found the end of the line")]
    [InlineData("Obj-Class,Mode,A,a\r\n", "line 1, column 18: attribute \"a\" appears twice in the header")]
    [InlineData("Obj-Class,Mode,,B\r\n", "line 1, column 16: expected an attribute name in the header, found an empty field")]
    [InlineData("Obj-Class,Mode,A\r\nMailbox,,x,y\r\n", "line 2, column 12: expected 3 fields as in the header, found 4")]
    [InlineData("Obj-Class,Mode,A\r\nMailbox,\r\n", "line 2, column 9: expected 3 fields as in the header, found 2")]
    [InlineData("Obj-Class,Mode,A\r\n,,x\r\n", "line 2, column 1: expected an object class in the Obj-Class column, found an empty field")]
    [InlineData("Obj-Class,Mode,A\r\nMailbox,,\"abc\r\ndef\r\n", "line 2, column 10: expected a closing quote for the quoted field that starts here, found the end of the file")]
    [InlineData("Obj-Class,Mode,A\r\nMailbox,,\"abc\"def\r\n", "line 2, column 15: expected , or the end of the line after a closing quote, found 'd'")]
    [InlineData("Obj-Class,Mode,A\r\nMailbox,,ab\"c\r\n", "line 2, column 12: expected no quote inside an unquoted field (quote the whole field and double the quote)")]
    [InlineData("Obj-Class,Mode,A\r\nMailbox,,\"a\r\nb\",x\r\n", "line 3, column 4: expected 3 fields as in the header, found 4")]
    public void Malformed_input_gives_line_column_and_what_was_expected(string text, string message)
    {
        var ex = Assert.Throws<CsvFormatException>(() => ReadText(text));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Errors_name_the_file_and_limits_stop_absurd_records()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("Imcobj.csv");
        File.WriteAllText(path, "Obj-Class,Mode\r\nMailbox,,x\r\n");
        var ex = Assert.Throws<CsvFormatException>(() => DirectoryCsvReader.ReadFile(path));
        Assert.Equal("Imcobj.csv: line 2, column 10: expected 2 fields as in the header, found 3", ex.Message);
        Assert.Equal((2, 10, "Imcobj.csv"), (ex.Line, ex.Column, ex.SourceName));

        var options = new DirectoryCsvReaderOptions { MaxRecordLength = 50, MaxFields = 5 };
        var longField = Encoding.ASCII.GetBytes("Obj-Class,Mode\r\nMailbox,\"" + new string('x', 100));
        Assert.Equal("line 2, column 51: record is longer than 50 characters",
            Assert.Throws<CsvFormatException>(() => DirectoryCsvReader.Read(new MemoryStream(longField), null, options)).Message);
        var manyFields = Encoding.ASCII.GetBytes("Obj-Class,Mode\r\n" + new string(',', 40));
        Assert.Equal("line 2, column 6: record has more than 5 fields",
            Assert.Throws<CsvFormatException>(() => DirectoryCsvReader.Read(new MemoryStream(manyFields), null, options)).Message);
    }

    [Fact]
    public void Writer_refuses_records_it_cannot_represent()
    {
        Assert.StartsWith("Every record needs exactly one non-empty Obj-Class value",
            Assert.Throws<ArgumentException>(() => Write(new DirectoryRecord([new("Mode", "Update")]))).Message);
        Assert.StartsWith("Attribute name \"a,b\" cannot be a CSV column name.",
            Assert.Throws<ArgumentException>(() => Write(new DirectoryRecord([new("Obj-Class", "x"), new("a,b", "1")]))).Message);
        Assert.StartsWith("Attribute \"A\" appears twice.",
            Assert.Throws<ArgumentException>(() => new DirectoryRecord([new("a", "1"), new("A", "2")])).Message);
    }
}
