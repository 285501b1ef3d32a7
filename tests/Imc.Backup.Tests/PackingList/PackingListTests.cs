using System.Text;
using Imc.Backup.PackingList;
using Imc.Testing;

namespace Imc.Backup.Tests.PackingList;

public sealed class PackingListTests
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    internal static Imcfls Sample()
    {
        var list = new Imcfls
        {
            Tool = "imcsave 1.0.0",
            Server = "EXCH1",
            Organization = "ORG",
            Site = "SITE",
            Gateway = "/o=ORG/ou=SITE/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH1)",
            Started = new DateTimeOffset(2026, 11, 25, 2, 0, 0, 123, TimeSpan.Zero),
            Finished = new DateTimeOffset(2026, 11, 25, 2, 0, 4, 456, TimeSpan.Zero),
            Delete = true,
            Deleted = 1,
            Kept = 0,
        };
        list.Items.AddRange(["Registry", "Directory", "MTSIn", "MTSOut", "Bad", "ContentConversionFailed", "Work"]);
        list.Queues.AddRange([new("MTSIn", 0), new("MTSOut", 1), new("Bad", 0), new("ContentConversionFailed", null), new("Work", 0)]);
        list.Files.AddRange([new("Imcsvc.reg", 4321, Sha), new("Imcpro.reg", 1234, Sha), new("Imcobj.csv", 987, Sha), new("Mtsout/00000001.tnef", 56789, Sha)]);
        list.Messages.Add(new("Mtsout/00000001.tnef", "MTS-OUT", Convert.FromHexString("0123456789ABCDEF0123456789ABCDEF")));
        return list;
    }

    internal const string SampleText =
        "[Imcsave]\r\nFormat=1\r\nTool=imcsave 1.0.0\r\nServer=EXCH1\r\nOrganization=ORG\r\nSite=SITE\r\n" +
        "Gateway=/o=ORG/ou=SITE/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH1)\r\n" +
        "Started=2026-11-25T02:00:00.123Z\r\nFinished=2026-11-25T02:00:04.456Z\r\n" +
        "Items=Registry,Directory,MTSIn,MTSOut,Bad,ContentConversionFailed,Work\r\nTransferEnabled=0\r\nDelete=1\r\nDeleted=1\r\nKept=0\r\n\r\n" +
        "[Queues]\r\nMTSIn=0\r\nMTSOut=1\r\nBad=0\r\nContentConversionFailed=absent\r\nWork=0\r\n\r\n" +
        "[Files]\r\nImcsvc.reg=4321 " + Sha + "\r\nImcpro.reg=1234 " + Sha + "\r\nImcobj.csv=987 " + Sha + "\r\nMtsout/00000001.tnef=56789 " + Sha + "\r\n\r\n" +
        "[Messages]\r\nMtsout/00000001.tnef=MTS-OUT 0123456789ABCDEF0123456789ABCDEF\r\n";

    private static string Write(Imcfls list)
    {
        using var ms = new MemoryStream();
        PackingListWriter.Write(list, ms);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static Imcfls Read(string text) => PackingListReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    private static string ReadError(string text) => Assert.Throws<BackupFormatException>(() => Read(text)).Message;

    [Fact]
    public void Writer_produces_the_documented_text_exactly()
    {
        Assert.Equal(SampleText, Write(Sample()));
    }

    [Fact]
    public void Writer_emits_no_byte_order_mark()
    {
        using var ms = new MemoryStream();
        PackingListWriter.Write(Sample(), ms);
        Assert.Equal((byte)'[', ms.ToArray()[0]);
    }

    [Fact]
    public void Reader_reads_back_what_the_writer_wrote()
    {
        var list = Read(SampleText);
        Assert.Equal("EXCH1", list.Server);
        Assert.Equal(Sample().Gateway, list.Gateway);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 2, 0, 4, 456, TimeSpan.Zero), list.Finished);
        Assert.Equal(7, list.Items.Count);
        Assert.True(list.Delete);
        Assert.Null(list.Queues.Single(q => q.Item == "ContentConversionFailed").Count);
        Assert.Equal(1, list.Queues.Single(q => q.Item == "MTSOut").Count);
        Assert.Equal(56789, list.FindFile("Mtsout/00000001.tnef")!.Size);
        Assert.Equal("0123456789ABCDEF0123456789ABCDEF", list.Messages.Single().SearchKeyHex);
        Assert.Equal("MTS-OUT", list.Messages.Single().Folder);
        Assert.Equal(SampleText, Write(list));
    }

    [Fact]
    public void Reader_accepts_non_ascii_file_entries_and_lf_line_ends()
    {
        var list = Read(SampleText.Replace("\r\n", "\n").Replace("Tool=imcsave 1.0.0", "Tool=imcsave 1.0.0 — ü"));
        Assert.Equal("imcsave 1.0.0 — ü", list.Tool);
    }

    [Theory]
    [InlineData("[Queues]\r\nMTSIn=0\r\n", "[Queues]\r\nMTSIn=0\r\n[Queues]\r\n", "Imcfls line 18: section [Queues] appears twice (first on line 16)")]
    [InlineData("Kept=0\r\n", "Kept=0\r\nKept=1\r\n", "Imcfls line 15: key \"Kept\" appears twice in [Imcsave] (first on line 14)")]
    [InlineData("[Messages]\r\n", "[Extra]\r\n", "Imcfls line 29: unknown section [Extra] (expected [Imcsave], [Queues], [Files] or [Messages])")]
    [InlineData("Kept=0\r\n", "Kept=0\r\ngarbage\r\n", "Imcfls line 15: expected Key=Value, [Section], a ; comment or a blank line, found \"garbage\"")]
    [InlineData("Kept=0\r\n", "Kept=0\r\nMTSIn=0\r\n", "Imcfls line 15: unknown key 'MTSIn' in [Imcsave]")]
    [InlineData("[Files]\r\n", "[files]\r\n[Files]\r\n", "Imcfls line 24: section [Files] appears twice (first on line 23)")]
    [InlineData("Kept=0\r\n", "Kept=0\r\nColor=blue\r\n", "Imcfls line 15: unknown key 'Color' in [Imcsave]")]
    [InlineData("Site=SITE\r\n", "", "Imcfls line 1: [Imcsave] has no Site= (required)")]
    [InlineData("Format=1", "Format=2", "Imcfls line 2: Format=2 is not supported (this version reads Format=1)")]
    [InlineData("Imcpro.reg=1234 ", "Imcpro.reg=-1234 ", "Imcfls line 25: size '-1234' of Imcpro.reg is not a number of bytes")]
    [InlineData("Imcpro.reg=1234 9f86", "Imcpro.reg=1234 9g86", "Imcfls line 25: SHA-256 '9g86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' of Imcpro.reg is not 64 hex digits")]
    [InlineData("MTS-OUT 0123456789ABCDEF0123456789ABCDEF", "MTS-OUT 0123456789ABCDEF0123456789ABCDE", "Imcfls line 30: search key '0123456789ABCDEF0123456789ABCDE' of Mtsout/00000001.tnef is not an even number of hex digits")]
    [InlineData("MTS-OUT 0123", "Inbox 0123", "Imcfls line 30: 'Mtsout/00000001.tnef' is in Mtsout/, so its folder must be MTS-OUT, not 'Inbox'")]
    [InlineData("MTSOut=1", "MTSOut=2", "Imcfls line 18: MTSOut=2 but [Files] lists 1 file(s) in Mtsout/")]
    [InlineData("Started=2026-11-25T02:00:00.123Z", "Started=yesterday", "Imcfls line 8: Started=yesterday is not a UTC time like 2026-11-25T02:00:00.123Z")]
    [InlineData("Delete=1", "Delete=yes", "Imcfls line 12: Delete=yes is not 0 or 1")]
    [InlineData("Items=Registry,Directory", "Items=Registry,Dir", "Imcfls line 10: Items has 'Dir', which is not an item (expected Registry, Directory, MTSIn, MTSOut, Bad, ContentConversionFailed, Work)")]
    [InlineData("[Messages]\r\nMtsout/00000001.tnef=MTS-OUT 0123456789ABCDEF0123456789ABCDEF\r\n", "[Messages]\r\n", "Imcfls line 27: 'Mtsout/00000001.tnef' has no entry in [Messages]")]
    [InlineData("Imcobj.csv=987 " + Sha + "\r\n", "", "Imcfls: Items includes Directory, but [Files] does not list Imcobj.csv")]
    [InlineData("Imcobj.csv=987 ", "Notes.txt=987 ", "Imcfls line 26: 'Notes.txt' is not a file a backup holds")]
    [InlineData("\r\n[Messages]\r\nMtsout/00000001.tnef=MTS-OUT 0123456789ABCDEF0123456789ABCDEF\r\n", "\r\n", "Imcfls: section [Messages] is missing")]
    public void Reader_refuses_anything_imcsave_does_not_write(string find, string replace, string expected)
    {
        Assert.Contains(find, SampleText);
        var text = SampleText.Replace(find, replace);
        Assert.Equal(expected, ReadError(text));
    }

    [Theory]
    [InlineData("../x", "Imcfls line 26: unsafe file name '../x': the name contains '..'")]
    [InlineData("..\\..\\x", "Imcfls line 26: unsafe file name '..\\..\\x': the name contains '\\' (separators must be '/')")]
    [InlineData("/etc/passwd", "Imcfls line 26: unsafe file name '/etc/passwd': the name is an absolute path")]
    [InlineData("C:x", "Imcfls line 26: unsafe file name 'C:x': the name is an absolute path")]
    [InlineData("Mtsout//a.tnef", "Imcfls line 26: unsafe file name 'Mtsout//a.tnef': the name has an empty segment")]
    [InlineData("Mtsout/./a.tnef", "Imcfls line 26: unsafe file name 'Mtsout/./a.tnef': the name contains a '.' segment")]
    [InlineData("Mtsout/a:b.tnef", "Imcfls line 26: unsafe file name 'Mtsout/a:b.tnef': the name contains ':'")]
    public void Reader_refuses_unsafe_names(string name, string expected)
    {
        Assert.Equal(expected, ReadError(SampleText.Replace("Imcobj.csv=987 ", name + "=987 ")));
    }

    [Fact]
    public void Reader_refuses_a_duplicate_file_entry_even_in_another_case()
    {
        var text = SampleText.Replace("Imcobj.csv=987 " + Sha + "\r\n", "Imcobj.csv=987 " + Sha + "\r\nIMCOBJ.CSV=987 " + Sha + "\r\n");
        Assert.Equal("Imcfls line 27: key \"IMCOBJ.CSV\" appears twice in [Files] (first on line 26)", ReadError(text));
    }

    [Fact]
    public void Reader_tolerates_a_byte_order_mark_and_comments_but_refuses_invalid_utf8_and_control_characters()
    {
        Assert.Equal("EXCH1", Read("\uFEFF" + SampleText).Server);
        Assert.Equal("EXCH1", Read("; written by hand\r\n" + SampleText.Replace("Kept=0\r\n", "Kept=0\r\n; a note\r\n")).Server);
        var bytes = Encoding.UTF8.GetBytes(SampleText.Replace("Tool=imcsave 1.0.0", "Tool=imcsave \u00ff"));
        var i = Array.IndexOf(bytes, (byte)0xC3);
        bytes[i] = 0xFF;
        Assert.Equal("Imcfls line 3: expected UTF-8 text, found bytes that are not UTF-8", Assert.Throws<BackupFormatException>(() => PackingListReader.Read(new MemoryStream(bytes))).Message);
        Assert.Equal("Imcfls line 3: the line contains a control character", ReadError(SampleText.Replace("Tool=imcsave", "Tool=imc\u0001save")));
    }

    [Fact]
    public void Reader_refuses_an_overlong_line()
    {
        var text = SampleText.Replace("Tool=imcsave 1.0.0", "Tool=" + new string('x', PackingListReader.MaxLineLength));
        Assert.Equal("Imcfls line 3: line is longer than 65536 characters", ReadError(text));
    }

    [Fact]
    public void Missing_packing_list_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<BackupFormatException>(() => PackingListReader.ReadFile(dir.Combine("Imcfls")));
        Assert.Equal("Imcfls: the packing list is missing: the backup is incomplete and cannot be trusted", e.Message);
    }

    [Fact]
    public void WriteFile_is_atomic_private_and_never_overwrites()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("Imcfls");
        PackingListWriter.WriteFile(Sample(), path);
        Assert.Equal(SampleText, File.ReadAllText(path));
        Assert.False(File.Exists(path + ".tmp"));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Throws<IOException>(() => PackingListWriter.WriteFile(Sample(), path));
        Assert.Equal(SampleText, File.ReadAllText(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Writer_refuses_a_list_its_reader_would_refuse()
    {
        var list = Sample();
        list.Files.Add(new("../evil", 1, Sha));
        var e = Assert.Throws<ArgumentException>(() => PackingListWriter.Write(list, new MemoryStream()));
        Assert.StartsWith("Imcfls cannot list '../evil': the name contains '..'.", e.Message);
    }

    [Fact]
    public void Streamed_files_and_messages_give_exactly_the_bytes_of_the_whole_model()
    {
        var sample = Sample();
        var header = Sample();
        header.Files.Clear();
        header.Messages.Clear();
        using var ms = new MemoryStream();
        // The enumerations are read once each, in order, as imcsave reads its spool.
        PackingListWriter.Write(header, Once(sample.Files), Once(sample.Messages), ms);
        Assert.Equal(SampleText, Encoding.UTF8.GetString(ms.ToArray()));
    }

    [Fact]
    public void Streamed_entries_are_checked_as_they_are_written()
    {
        var header = Sample();
        using var ms = new MemoryStream();
        var e = Assert.Throws<ArgumentException>(() => PackingListWriter.Write(header, [new("../evil", 1, Sha)], [], ms));
        Assert.StartsWith("Imcfls cannot list '../evil': the name contains '..'.", e.Message);
        e = Assert.Throws<ArgumentException>(() => PackingListWriter.Write(header, header.Files, [new("Mtsout/00000001.tnef", "MTS-OUT", [])], new MemoryStream()));
        Assert.StartsWith("Imcfls message entry for 'Mtsout/00000001.tnef' needs a folder without spaces and a search key.", e.Message);
    }

    /// <summary>The items as an enumeration that may be read only once (as the spool is, per section).</summary>
    private static IEnumerable<T> Once<T>(IEnumerable<T> items)
    {
        var used = false;
        return Enumerate();

        IEnumerable<T> Enumerate()
        {
            Assert.False(used, "the entries were enumerated twice");
            used = true;
            foreach (var item in items) yield return item;
        }
    }

    [Fact]
    public void FileDigest_streams_size_and_sha256()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("a"), "test");
        var entry = FileDigest.Compute(dir.Path, "a");
        Assert.Equal(4, entry.Size);
        Assert.Equal(Sha, entry.Sha256);
    }
}
