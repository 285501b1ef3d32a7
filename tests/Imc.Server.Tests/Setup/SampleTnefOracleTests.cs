using System.Text;
using Imc.Formats.Mapi;
using Imc.Formats.Tnef;
using Imc.Server.Setup;
using Imc.Testing;
using MimeKit.Tnef;
using MkReader = MimeKit.Tnef.TnefReader;
using TnefComplianceMode = MimeKit.Tnef.TnefComplianceMode;

namespace Imc.Server.Tests.Setup;

/// <summary>
/// The files imcsave writes are our writer's TNEF of the sample messages: readers nobody here wrote (MimeKit in
/// Strict mode, Debian's tnef, ytnefprint) must accept every one of them.
/// </summary>
public sealed class SampleTnefOracleTests : IDisposable
{
    private const int Count = 60;
    private readonly TempDirectory _dir = new("sample-oracle");
    private readonly List<(string Path, MapiMessage Message)> _files = [];

    static SampleTnefOracleTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public SampleTnefOracleTests()
    {
        var i = 0;
        foreach (var (_, message) in new SampleGenerator(seed: 11).Generate(Count))
        {
            var path = _dir.Combine($"{++i:D8}.tnef");
            TnefWriter.WriteFile(message, path);
            _files.Add((path, message));
        }
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MimeKit_strict_reads_every_sample_file_as_compliant()
    {
        foreach (var (path, message) in _files)
        {
            using var reader = new MkReader(File.OpenRead(path), 0, TnefComplianceMode.Strict);
            var attachments = 0;
            while (reader.ReadNextAttribute())
                if (reader.AttributeTag == TnefAttributeTag.AttachRenderData) attachments++;
            Assert.True(reader.ComplianceStatus == TnefComplianceStatus.Compliant, $"{path}: {reader.ComplianceStatus}");
            Assert.Equal(message.Attachments.Count, attachments);
        }
    }

    [Fact]
    public void Debian_tnef_lists_and_extracts_every_file_attachment_byte_identical()
    {
        var tnef = ExternalTools.Require("tnef", "tnef");
        var extracted = 0;
        foreach (var (path, message) in _files)
        {
            var outDir = System.IO.Directory.CreateDirectory(path + ".out").FullName;
            var r = ToolRunner.RunCommand(tnef, ["-C", outDir, "--overwrite", path]);
            Assert.True(r.ExitCode == 0 && !r.Stderr.Contains("ERROR"), $"{path}: {r}");
            // tnef extracts by-value attachments under their names (it saves embedded messages raw, under other names).
            // Two attachments of one message may share a name; --overwrite keeps only the last, so compare unique names.
            var unique = message.Attachments.GroupBy(a => a.FileName).Where(g => g.Count() == 1).Select(g => g.Single());
            foreach (var a in unique.Where(a => a.Method == AttachMethod.ByValue && a.Data is not null && a.FileName is { Length: > 0 }))
            {
                var file = Path.Combine(outDir, a.FileName!);
                if (!File.Exists(file)) continue; // tnef writes some names (emoji, a legacy 8.3 title) its own way
                Assert.True(a.Data!.ContentEquals(BinaryContent.FromFile(file, 0, new FileInfo(file).Length)), $"{path}: {a.FileName}");
                extracted++;
            }
        }
        Assert.True(extracted >= Count / 3, $"only {extracted} attachments could be compared");
    }

    [Fact]
    public void Ytnefprint_reports_no_error_for_sample_files_within_its_field_limit()
    {
        var ytnef = ExternalTools.Require("ytnefprint", "ytnef-tools");
        var checkedFiles = 0;
        foreach (var (path, message) in _files)
        {
            // ytnef 2.0 caps a single field at 512 KiB and rejects empty fields (research/formats.md §3).
            if (message.Attachments.Any(a => a.Data is { Length: 0 or > 500_000 } || a.EmbeddedMessage is not null)) continue;
            var r = ToolRunner.RunCommand(ytnef, [path]);
            var complaints = (r.Stdout + r.Stderr).Split('\n')
                .Where(l => l.Contains("ERROR", StringComparison.Ordinal) && !l.Contains("[  ERROR  ]", StringComparison.Ordinal)).ToList();
            Assert.True(r.ExitCode == 0 && complaints.Count == 0, $"{path}: {string.Join('\n', complaints.Take(5))}");
            checkedFiles++;
        }
        Assert.True(checkedFiles >= Count / 3, $"only {checkedFiles} files were within ytnef's limits");
    }
}
