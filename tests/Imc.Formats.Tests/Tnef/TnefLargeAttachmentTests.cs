using System.Diagnostics;
using Imc.Formats.Mapi;
using Imc.Formats.Tnef;
using Imc.Testing;

namespace Imc.Formats.Tests.Tnef;

/// <summary>Runs alone, so the process's memory is this test's memory.</summary>
[CollectionDefinition(nameof(MemoryMeasuringCollection), DisableParallelization = true)]
public sealed class MemoryMeasuringCollection;

/// <summary>A 1 GiB attachment is written and read back streaming: memory stays far below its size.</summary>
[Collection(nameof(MemoryMeasuringCollection))]
public sealed class TnefLargeAttachmentTests(ITestOutputHelper output)
{
    [Fact]
    public void One_GiB_attachment_round_trips_with_flat_memory()
    {
        const long size = 1L << 30;
        using var dir = new TempDirectory();
        var m = TestMessages.Simple("one gibibyte");
        m.Attachments.Add(new MapiAttachment { Method = AttachMethod.ByValue, Data = new GeneratedContent(GeneratedContentKind.Binary, size, 99) });
        m.Attachments[0].Properties.Set(PropTags.AttachLongFilename, "huge.bin");
        var inner = TestMessages.Simple("inner");
        inner.Attachments.Add(new MapiAttachment { Method = AttachMethod.ByValue, Data = new GeneratedContent(GeneratedContentKind.Binary, 64L << 20, 5) });
        m.Attachments.Add(TestMessages.Embedded(inner));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        long peak = baseline;
        var running = true;
        // Sample the working set while the test runs (the process-wide peak would include earlier tests).
        var sampler = new Thread(() =>
        {
            using var p = Process.GetCurrentProcess();
            while (Volatile.Read(ref running))
            {
                p.Refresh();
                Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), p.WorkingSet64));
                Thread.Sleep(20);
            }
        }) { IsBackground = true };
        sampler.Start();
        // Also count every managed allocation: it must stay far below the attachment size (nothing is buffered whole).
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();

        var path = dir.Combine("huge.tnef");
        TnefWriter.WriteFile(m, path);
        var written = clock.Elapsed;
        Assert.Equal(TnefWriter.MeasureLength(m), new FileInfo(path).Length);

        var back = TnefReader.ReadFile(path);
        var read = clock.Elapsed - written;
        Assert.Empty(MapiMessageComparer.Diff(m, back)); // streams both 1 GiB contents
        Volatile.Write(ref running, false);
        sampler.Join();
        var growth = Math.Max(0, peak - baseline);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"write {written.TotalSeconds:F1} s, read+checksum {read.TotalSeconds:F1} s, total with compare {clock.Elapsed.TotalSeconds:F1} s; working set {baseline / 1048576} MB, peak {peak / 1048576} MB (growth {growth / 1048576} MB); managed allocations {allocated / 1048576} MB");
        Assert.True(allocated < 200L << 20, $"{allocated / 1048576} MB were allocated");
        Assert.True(growth < 200L << 20, $"peak working set grew by {growth / 1048576} MB");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }
}
