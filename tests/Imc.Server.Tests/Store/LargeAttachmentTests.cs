using System.Buffers.Binary;
using System.Diagnostics;
using Imc.Formats.Mapi;

namespace Imc.Server.Tests.Store;

[CollectionDefinition(nameof(LargeAttachmentTests), DisableParallelization = true)]
public sealed class LargeAttachmentCollection;

/// <summary>A 1 GiB attachment goes in and out streaming: memory must not grow with its size. Runs alone so the peak is ours.</summary>
[Collection(nameof(LargeAttachmentTests))]
public sealed class LargeAttachmentTests(ITestOutputHelper output)
{
    private const long OneGiB = 1L << 30;

    [Fact]
    public void A_1_GiB_attachment_is_stored_and_read_back_by_streaming_with_flat_memory()
    {
        using var f = new StoreFixture();
        var m = SampleMessages.Simple("one gibibyte");
        var source = new GeneratedContent(GeneratedContentKind.Binary, OneGiB, seed: 42);
        m.Attachments.Add(new MapiAttachment { Method = AttachMethod.ByValue, Data = source });
        var q = f.Queue("MTS-OUT");

        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var peakBefore = process.PeakWorkingSet64;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var id = q.AddMessage(m);
        var written = clock.Elapsed;
        var data = q.ReadMessage(id).Attachments[0].Data!;
        Assert.Equal(OneGiB, data.Length);
        Assert.True(data.ContentEquals(source), "the attachment read back differs from what was stored");
        Assert.False(data.ContentEquals(new GeneratedContent(GeneratedContentKind.Binary, OneGiB, seed: 43)), "the comparison cannot tell contents apart");

        process.Refresh();
        var peakGrowth = process.PeakWorkingSet64 - peakBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        output.WriteLine($"1 GiB: add {written.TotalSeconds:F1} s, add+read+compare x2 {clock.Elapsed.TotalSeconds:F1} s, " +
                         $"peak working set growth {peakGrowth / 1048576.0:F1} MiB, allocated on this thread {allocated / 1048576.0:F1} MiB");
        Assert.True(peakGrowth < 200L << 20, $"peak working set grew by {peakGrowth} bytes");
        Assert.True(allocated < 64L << 20, $"{allocated} bytes were allocated");
        Assert.InRange(q.GetStats().Bytes, OneGiB, OneGiB + 1000);
    }
}
