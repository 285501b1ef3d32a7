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
        var source = new GeneratedContent(OneGiB, seed: 42);
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
        Assert.False(data.ContentEquals(new GeneratedContent(OneGiB, seed: 43)), "the comparison cannot tell contents apart");

        process.Refresh();
        var peakGrowth = process.PeakWorkingSet64 - peakBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        output.WriteLine($"1 GiB: add {written.TotalSeconds:F1} s, add+read+compare x2 {clock.Elapsed.TotalSeconds:F1} s, " +
                         $"peak working set growth {peakGrowth / 1048576.0:F1} MiB, allocated on this thread {allocated / 1048576.0:F1} MiB");
        Assert.True(peakGrowth < 200L << 20, $"peak working set grew by {peakGrowth} bytes");
        Assert.True(allocated < 64L << 20, $"{allocated} bytes were allocated");
        Assert.InRange(q.GetStats().Bytes, OneGiB, OneGiB + 1000);
    }

    /// <summary>Deterministic pseudo-random bytes (splitmix64 of the position), generated as they are read.</summary>
    private sealed class GeneratedContent(long length, ulong seed) : BinaryContent
    {
        public override long Length => length;
        public override Stream OpenRead() => new GeneratedStream(length, seed);

        private sealed class GeneratedStream(long length, ulong seed) : Stream
        {
            private long _position;
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => length;
            public override long Position { get => _position; set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

            public override int Read(Span<byte> buffer)
            {
                var n = (int)Math.Min(buffer.Length, length - _position);
                Span<byte> word = stackalloc byte[8];
                for (var i = 0; i < n;)
                {
                    var pos = _position + i;
                    var within = (int)(pos & 7);
                    BinaryPrimitives.WriteUInt64LittleEndian(word, Mix(seed + (ulong)(pos >> 3)));
                    var take = Math.Min(8 - within, n - i);
                    word.Slice(within, take).CopyTo(buffer.Slice(i, take));
                    i += take;
                }
                _position += n;
                return n;
            }

            private static ulong Mix(ulong z)
            {
                z = (z + 0x9E3779B97F4A7C15UL);
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }

            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
