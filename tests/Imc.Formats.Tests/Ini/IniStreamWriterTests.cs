using System.Text;
using Imc.Formats.Ini;

namespace Imc.Formats.Tests.Ini;

public sealed class IniStreamWriterTests
{
    [Fact]
    public void Streamed_sections_and_entries_give_the_same_bytes_as_the_document_writer()
    {
        var doc = new IniDocument();
        doc.Add("Imcsave").Add("Format", "1").Add("Empty", "");
        doc.Add("Files").Add("Mtsout/Grüße 中文.tnef", "12 ab").Add("Imcsvc.reg", "4321 9f86");
        using var fromDocument = new MemoryStream();
        IniWriter.Write(fromDocument, doc);

        using var streamed = new MemoryStream();
        using (var ini = new IniStreamWriter(streamed))
        {
            ini.WriteSection("Imcsave");
            ini.WriteEntry("Format", "1");
            ini.WriteEntry("Empty", "");
            ini.WriteSection("Files");
            ini.WriteEntry("Mtsout/Grüße 中文.tnef", "12 ab");
            ini.WriteEntry("Imcsvc.reg", "4321 9f86");
        }
        Assert.Equal(fromDocument.ToArray(), streamed.ToArray());
        Assert.Equal((byte)'[', streamed.ToArray()[0]); // no byte order mark
    }

    [Fact]
    public void Each_entry_is_checked_with_the_document_writers_rules_as_it_comes()
    {
        using var ms = new MemoryStream();
        using var ini = new IniStreamWriter(ms);
        ini.WriteSection("S");
        ini.WriteEntry("ok", "1");
        Assert.Equal("Value of Key in [S] \" padded\" cannot be written to an .ini file unchanged.",
            Assert.Throws<ArgumentException>(() => ini.WriteEntry("Key", " padded")).Message);
        Assert.Equal("Key in [S] \"a=b\" cannot be written to an .ini file unchanged.",
            Assert.Throws<ArgumentException>(() => ini.WriteEntry("a=b", "x")).Message);
        Assert.Equal("Section name \"a]b\" cannot be written to an .ini file unchanged.",
            Assert.Throws<ArgumentException>(() => ini.WriteSection("a]b")).Message);
        ini.Dispose();
        Assert.Equal("[S]\r\nok=1\r\n", Encoding.UTF8.GetString(ms.ToArray()));
    }

    [Fact]
    public void An_entry_before_any_section_is_refused()
    {
        using var ini = new IniStreamWriter(new MemoryStream());
        Assert.Throws<InvalidOperationException>(() => ini.WriteEntry("k", "v"));
    }
}
