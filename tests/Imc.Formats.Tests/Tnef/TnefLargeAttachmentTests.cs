using System.Diagnostics;
using Imc.Formats.Mapi;
using Imc.Formats.Tnef;
using Imc.Testing;

namespace Imc.Formats.Tests.Tnef;

/// <summary>A 1 GiB attachment is written and read back streaming: memory stays far below its size.</summary>
public sealed class TnefLargeAttachmentTests(ITestOutputHelper output)
{
    [Fact]
    public void One_GiB_attachment_round_trips_with_flat_memory()
    {
        const long size = 1L << 30;
        using var dir = new TempDirectory();
        var m = TestMessages.Simple("one gibibyte");
        m.Attachments.Add(new MapiAttachment { Method = AttachMethod.ByValue, Data = new GeneratedContent(size, 99) });
        m.Attachments[0].Properties.Set(PropTags.AttachLongFilename, "huge.bin");
        var inner = TestMessages.Simple("inner");
        inner.Attachments.Add(new MapiAttachment { Method = AttachMethod.ByValue, Data = new GeneratedContent(64L << 20, 5) });
        m.Attachments.Add(TestMessages.Embedded(inner));

        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.PeakWorkingSet64;
        var baseline = process.WorkingSet64;
        var clock = Stopwatch.StartNew();

        var path = dir.Combine("huge.tnef");
        TnefWriter.WriteFile(m, path);
        var written = clock.Elapsed;
        Assert.Equal(TnefWriter.MeasureLength(m), new FileInfo(path).Length);

        var back = TnefReader.ReadFile(path);
        var read = clock.Elapsed - written;
        Assert.Empty(MapiMessageComparer.Diff(m, back)); // streams both 1 GiB contents
        process.Refresh();
        var growth = Math.Max(0, process.PeakWorkingSet64 - Math.Max(before, baseline));
        output.WriteLine($"write {written.TotalSeconds:F1} s, read+checksum {read.TotalSeconds:F1} s, total {clock.Elapsed.TotalSeconds:F1} s; peak working set {before / 1048576} MB -> {process.PeakWorkingSet64 / 1048576} MB (growth {growth / 1048576} MB)");
        Assert.True(growth < 200L << 20, $"peak working set grew by {growth / 1048576} MB");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }
}
