using Imc.Formats.Mapi;
using Imc.Formats.Tnef;
using Imc.Testing;

namespace Imc.Formats.Tests.Tnef;

/// <summary>Real-world TNEF files other projects published (see shared/testdata/tnef/SOURCES.md).</summary>
public sealed class TnefSampleTests
{
    public static TheoryData<string> Samples() => new(Directory.GetFiles(TestPaths.TnefSamples, "*.tnef").Select(Path.GetFileName).Order()!);

    private static string Sample(string name) => Path.Combine(TestPaths.TnefSamples, name);

    /// <summary>Attachment names Debian's tnef lists for each sample (EXPECTED-tnef-list.txt).</summary>
    private static Dictionary<string, List<string>> ExpectedNames()
    {
        var result = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var line in File.ReadLines(Path.Combine(TestPaths.TnefSamples, "EXPECTED-tnef-list.txt")))
        {
            if (line.StartsWith("## ")) result[line[3..].Trim()] = current = [];
            else if (current is not null && line.Contains('|')) current.Add(line.Split('|')[0].Trim());
        }
        return result;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_reads_with_the_attachment_names_tnef_lists(string name)
    {
        var options = new TnefReadOptions { Mode = name == "garbage-at-end.tnef" ? TnefComplianceMode.Loose : TnefComplianceMode.Strict };
        var m = TnefReader.ReadFile(Sample(name), options);
        var expected = ExpectedNames()[name];
        var named = m.Attachments.Where(a => a.Data is not null || a.EmbeddedMessage is not null)
            .Select(a => a.FileName ?? "Untitled_Attachment").ToList();
        Assert.Equal(expected, named);
        if (name != "garbage-at-end.tnef") Assert.Empty(options.Warnings);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_attachment_bytes_match_what_tnef_extracts(string name)
    {
        var tnef = ExternalTools.Require("tnef", "tnef");
        using var dir = new TempDirectory();
        var r = ToolRunner.RunCommand(tnef, ["-C", dir.Path, "--overwrite", Sample(name)]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var m = TnefReader.ReadFile(Sample(name), new TnefReadOptions { Mode = TnefComplianceMode.Loose });
        var extracted = Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order().ToList();
        var compared = 0;
        foreach (var a in m.Attachments)
        {
            if (a.Data is null || a.FileName is null) continue;
            var file = Path.Combine(dir.Path, a.FileName);
            Assert.True(File.Exists(file), $"{name}: tnef did not extract {a.FileName}; it extracted {string.Join(", ", extracted)}");
            // tnef saves a PT_OBJECT attachment (OLE) with its 16-byte interface id in front; we keep only the data.
            var skip = a.Method == AttachMethod.Ole ? 16 : 0;
            Assert.True(a.Data.ContentEquals(BinaryContent.FromFile(file, skip, new FileInfo(file).Length - skip)), $"{name}: {a.FileName} differs from tnef's extraction");
            compared++;
        }
        Assert.Equal(ExpectedNames()[name].Count, compared);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_read_then_written_reads_back_equal(string name)
    {
        var m = TnefReader.ReadFile(Sample(name), new TnefReadOptions { Mode = TnefComplianceMode.Loose });
        var again = TestMessages.FromBytes(TestMessages.ToBytes(m));
        Assert.Empty(MapiMessageComparer.Diff(m, again));
    }

    [Fact]
    public void One_file_sample_has_the_exchange_55_properties()
    {
        var m = TnefReader.ReadFile(Sample("one-file.tnef"));
        Assert.Equal("IPM.Microsoft Mail.Note", m.MessageClass);
        Assert.Equal(1252, m.CodePage);
        Assert.Empty(m.Recipients);
        var a = Assert.Single(m.Attachments);
        Assert.Equal("AUTHORS", a.FileName);
        Assert.Equal(AttachMethod.ByValue, a.Method);
    }

    [Fact]
    public void Triples_sample_is_code_page_1251_with_a_sender_from_attFrom()
    {
        var m = TnefReader.ReadFile(Sample("triples.tnef"));
        Assert.Equal(1251, m.CodePage);
        Assert.Equal("Martin Rakhmanoff", m.Properties.GetString(PropTags.SenderName));
        Assert.Equal("rakhmanoff@sundance.spb.ru", m.Properties.GetString(PropTags.SenderEmailAddress));
    }

    [Fact]
    public void Garbage_at_end_is_a_warning_in_loose_mode_and_an_error_in_strict_mode()
    {
        var options = new TnefReadOptions { Mode = TnefComplianceMode.Loose };
        TnefReader.ReadFile(Sample("garbage-at-end.tnef"), options);
        var warning = Assert.Single(options.Warnings);
        Assert.Equal("offset 4183 (0x1057): 1 byte of garbage after the last attribute (fewer than an attribute needs); ignored", warning);
        var e = Assert.Throws<TnefException>(() => TnefReader.ReadFile(Sample("garbage-at-end.tnef")));
        Assert.Equal(TnefError.TrailingData, e.Error);
        Assert.Equal(4183, e.Offset);
        Assert.Equal(Sample("garbage-at-end.tnef") + ": TNEF trailing data at offset 4183 (0x1057): 1 byte of garbage after the last attribute (fewer than an attribute needs)", e.Message);
    }
}
