using System.Buffers.Binary;
using System.Diagnostics;
using Imc.Formats.Tnef;
using Imc.Testing;

namespace Imc.Formats.Tests.Tnef;

/// <summary>
/// Structure-aware fuzzing of <see cref="TnefReader"/>: the mutations go where an untrusted number drives the reader
/// — attribute lengths, property counts, property tags and types, value counts, value sizes, name lengths, recipient
/// row counts, inside attMsgProps, attRecipTable, attAttachment and embedded messages — with the attribute checksums
/// fixed most of the time, so the structure code is reached. Each input is read from a seekable and from a
/// non-seekable stream, strictly and loosely: only <see cref="TnefException"/> may escape, its message one line, and
/// the memory the read allocates must stay below a multiple of the input size plus a constant (no allocation driven
/// by a length the input does not back).
/// </summary>
public sealed class TnefStructureFuzzTests
{
    // The reader's fixed costs: a 64 KiB input buffer, at most one 1 MiB chunk of unbacked bytes on a non-seekable
    // stream, code page tables. Everything else must follow the input.
    private const long FixedAllowance = 4L * 1024 * 1024;
    private const int PerInputByte = 64;

    private static readonly uint[] Interesting =
        [0, 1, 2, 3, 4, 15, 16, 17, 0x7F, 0xFF, 0x100, 0xFFFF, 0x10000, 0x100000, 0x1000000, 0x10000000, 0x1FFFFFFF, 0x3FFFFFFF,
         0x7FFFFFF0, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFFC, 0xFFFFFFFF];

    private static readonly ushort[] Types = [0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x000A, 0x000B, 0x000D, 0x0014, 0x001E, 0x001F, 0x0040, 0x0048, 0x0102, 0x0000, 0x0001, 0x00FF];

    [Fact]
    public void Mutated_lengths_counts_and_types_throw_only_TnefException_and_allocate_by_the_input()
    {
        var seeds = new[]
        {
            TestMessages.ToBytes(TestMessages.Full(recipients: 3, bigBytes: 3000)),
            TestMessages.ToBytes(TestMessages.Simple("plain")),
        };
        var layouts = seeds.Select(Walk).ToArray();
        Assert.True(layouts[0].Count > 150, $"the walker found only {layouts[0].Count} fields in the full message");
        foreach (var (seed, layout) in seeds.Zip(layouts)) Baseline(seed, layout);

        var seedValue = FuzzBudget.Seed(20261126);
        var random = new Random(seedValue);
        var budget = FuzzBudget.Duration(3);
        var clock = Stopwatch.StartNew();
        long runs = 0, refused = 0;
        while (clock.Elapsed < budget)
        {
            var which = random.Next(seeds.Length);
            var input = Mutate(seeds[which], layouts[which], random);
            runs++;
            refused += Read(input, runs);
        }
        FuzzBudget.Report(nameof(TnefStructureFuzzTests), runs, clock, seedValue);
        Assert.True(runs > 200, $"only {runs} runs");
        Assert.True(refused > runs / 2, $"only {refused} of {runs} mutations were refused: the mutations miss the structure");
    }

    [Fact]
    public void The_regression_inputs_found_by_fuzzing_are_tnef_exceptions_within_the_memory_bound()
    {
        var dir = Path.Combine(TestPaths.TestData, "fuzz");
        var files = Directory.GetFiles(dir, "tnef-*.bin");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var input = File.ReadAllBytes(file);
            Assert.True(Read(input, 0) > 0, $"{Path.GetFileName(file)} was read without an error");
        }
    }

    /// <summary>The unmutated seeds read, and their allocation is far inside the bound.</summary>
    private static void Baseline(byte[] seed, List<Field> layout)
    {
        Assert.Equal(0, Read(seed, 0));
        Assert.NotEmpty(layout);
    }

    /// <summary>Reads one input every way; returns how many ways refused it. Fails on anything but TnefException.</summary>
    private static int Read(byte[] input, long run)
    {
        var refused = 0;
        var limit = FixedAllowance + (long)PerInputByte * input.Length;
        foreach (var (seekable, mode) in new[] { (true, TnefComplianceMode.Strict), (true, TnefComplianceMode.Loose), (false, TnefComplianceMode.Strict), (false, TnefComplianceMode.Loose) })
        {
            Stream stream = seekable ? new MemoryStream(input, writable: false) : new NonSeekableStream(input);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                TnefReader.Read(stream, new TnefReadOptions { Mode = mode });
            }
            catch (TnefException e)
            {
                if (e.Message.Any(char.IsControl))
                    Assert.Fail($"run {run}: a control character in the message: {e.Message.ReplaceLineEndings("<NL>")}; input saved to {FuzzBudget.SaveCrash("tnef-message", input)}");
                refused++;
            }
            catch (Exception e)
            {
                var saved = FuzzBudget.SaveCrash("tnef", input);
                Assert.Fail($"run {run} ({(seekable ? "seekable" : "non-seekable")}, {mode}): {e.GetType().Name}: {e.Message}; input saved to {saved}\n{e.StackTrace}");
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > limit)
            {
                var saved = FuzzBudget.SaveCrash("tnef-alloc", input);
                Assert.Fail($"run {run} ({(seekable ? "seekable" : "non-seekable")}, {mode}): reading {input.Length} bytes allocated {allocated} bytes (limit {limit}); input saved to {saved}");
            }
        }
        return refused;
    }

    // ---------------------------------------------------------------- mutation

    private enum Kind { AttributeLength, ListCount, RowCount, Tag, NameKind, NameLength, ValueCount, ValueSize }

    private sealed record Field(int Offset, Kind Kind, int Attribute);

    private static byte[] Mutate(byte[] seed, List<Field> layout, Random random)
    {
        var bytes = (byte[])seed.Clone();
        var lengthChanges = new List<(int Offset, uint Value)>();
        for (int i = 0, n = 1 + random.Next(3); i < n; i++)
        {
            var f = layout[random.Next(layout.Count)];
            var old = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(f.Offset));
            switch (f.Kind)
            {
                case Kind.Tag:
                {
                    var tag = old;
                    switch (random.Next(4))
                    {
                        case 0: tag = (tag & 0xFFFF0000) | Types[random.Next(Types.Length)]; break;
                        case 1: tag ^= 0x1000; break; // multi-valued flag
                        case 2: tag ^= 0x80000000; break; // named ↔ not named
                        default: tag = (uint)random.Next() ^ (random.Next(2) == 0 ? 0u : 0x80000000u); break;
                    }
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(f.Offset), tag);
                    break;
                }
                case Kind.AttributeLength:
                    lengthChanges.Add((f.Offset, NewNumber(old, random)));
                    break;
                default:
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(f.Offset), NewNumber(old, random));
                    break;
            }
        }
        // A careful forger fixes the checksums (most of the time), so that the structure is what must catch it.
        if (random.Next(5) != 0) FixChecksums(bytes, 0, bytes.Length);
        foreach (var (offset, value) in lengthChanges) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), value);
        if (random.Next(10) == 0) bytes = bytes[..random.Next(bytes.Length)];
        return bytes;
    }

    private static uint NewNumber(uint old, Random random) => random.Next(4) switch
    {
        0 => Interesting[random.Next(Interesting.Length)],
        1 => old + (uint)random.Next(-4, 5),
        2 => old * 2 + 1,
        _ => (uint)random.NextInt64(0, 1L << 32),
    };

    /// <summary>Recomputes the checksum of every attribute (top level and embedded) the walk can still follow.</summary>
    private static void FixChecksums(byte[] bytes, int start, int end)
    {
        var at = start + 6;
        while (at + 11 <= end)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 5));
            if (length > end - at - 11) return;
            var data = at + 9;
            ushort sum = 0;
            foreach (var b in bytes.AsSpan(data, (int)length)) sum += b;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(data + (int)length), sum);
            at = data + (int)length + 2;
        }
    }

    // ---------------------------------------------------------------- layout walker (of valid seeds only)

    private static List<Field> Walk(byte[] bytes)
    {
        var fields = new List<Field>();
        WalkStream(bytes, 0, bytes.Length, fields);
        return fields;
    }

    private static void WalkStream(byte[] b, int start, int end, List<Field> fields)
    {
        var at = start + 6;
        while (at + 11 <= end)
        {
            var id = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at + 1));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at + 5));
            var data = at + 9;
            fields.Add(new Field(at + 5, Kind.AttributeLength, at));
            switch (id)
            {
                case TnefAttribute.MsgProps:
                case TnefAttribute.Attachment:
                    WalkList(b, data, data + length, at, fields, id == TnefAttribute.Attachment);
                    break;
                case TnefAttribute.RecipientTable:
                {
                    fields.Add(new Field(data, Kind.RowCount, at));
                    var rows = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(data));
                    var p = data + 4;
                    for (var r = 0; r < rows; r++) p = WalkList(b, p, data + length, at, fields, false);
                    break;
                }
            }
            at = data + length + 2;
        }
    }

    private static int WalkList(byte[] b, int p, int end, int attr, List<Field> fields, bool attachment)
    {
        fields.Add(new Field(p, Kind.ListCount, attr));
        var count = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(p));
        p += 4;
        for (var i = 0; i < count && p < end; i++)
        {
            fields.Add(new Field(p, Kind.Tag, attr));
            var tag = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(p));
            p += 4;
            if ((tag >> 16) >= 0x8000)
            {
                p += 16;
                fields.Add(new Field(p, Kind.NameKind, attr));
                var kind = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(p));
                p += 4;
                if (kind == 0) p += 4;
                else
                {
                    fields.Add(new Field(p, Kind.NameLength, attr));
                    var len = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(p));
                    p += 4 + Pad(len);
                }
            }
            var type = (ushort)(tag & 0xFFFF);
            var multi = (type & 0x1000) != 0;
            var baseType = (ushort)(type & 0x0FFF);
            var variable = baseType is 0x001E or 0x001F or 0x0102 or 0x000D;
            uint values = 1;
            if (multi || variable)
            {
                fields.Add(new Field(p, Kind.ValueCount, attr));
                values = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(p));
                p += 4;
            }
            for (var v = 0; v < values; v++)
            {
                if (variable)
                {
                    fields.Add(new Field(p, Kind.ValueSize, attr));
                    var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(p));
                    p += 4;
                    // An embedded message (PR_ATTACH_DATA_OBJ, IID_IMessage): its own attributes are fields too.
                    if (attachment && baseType == 0x000D && (tag >> 16) == 0x3701 && size > 16 + 6
                        && new Guid(b.AsSpan(p, 16)) == Imc.Formats.Mapi.PropertySets.IidMessage)
                        WalkStream(b, p + 16, p + size, fields);
                    p += Pad(size);
                }
                else p += baseType switch { 0x0005 or 0x0006 or 0x0007 or 0x0014 or 0x0040 => 8, 0x0048 => 16, _ => 4 };
            }
        }
        return p;
    }

    private static int Pad(int n) => (n + 3) & ~3;

    private sealed class NonSeekableStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes, writable: false);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
