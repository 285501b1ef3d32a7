using System.Buffers;
using System.Buffers.Binary;
using Imc.Formats.Mapi;

namespace Imc.Formats.Tnef;

/// <summary>
/// Where <see cref="TnefWriter"/> puts bytes: either a stream (summing the bytes for the attribute checksum) or
/// nowhere (counting only), so attribute lengths can be computed before the data is written to a non-seekable stream.
/// </summary>
internal sealed class TnefSink
{
    private readonly Stream? _out;
    private uint _sum;

    public TnefSink(Stream? output) => _out = output;

    public bool Counting => _out is null;
    /// <summary>Bytes written (or counted) so far.</summary>
    public long Count { get; private set; }
    /// <summary>The sum, modulo 65536, of the bytes since <see cref="ResetChecksum"/>.</summary>
    public ushort Checksum => (ushort)_sum;

    public void ResetChecksum() => _sum = 0;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Count += bytes.Length;
        if (_out is null) return;
        _sum += Sum(bytes);
        _out.Write(bytes);
    }

    public void Skip(long count)
    {
        if (_out is not null) throw new InvalidOperationException("Only a counting sink can skip.");
        Count += count;
    }

    public void U8(byte v) => Write([v]);

    public void U16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        Write(b);
    }

    public void U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        Write(b);
    }

    public void U64(ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        Write(b);
    }

    public void Guid(Guid g)
    {
        Span<byte> b = stackalloc byte[16];
        g.TryWriteBytes(b); // Windows GUID byte order, as TNEF wants
        Write(b);
    }

    /// <summary>Zero bytes up to the next multiple of 4 after a value of <paramref name="size"/> bytes.</summary>
    public void Pad(long size)
    {
        var n = (int)((4 - (size & 3)) & 3);
        if (n > 0) Write(stackalloc byte[n]);
    }

    /// <summary>Copies attachment data, streaming; a counting sink only adds its length.</summary>
    public void Content(BinaryContent content)
    {
        var length = content.Length;
        if (_out is null) { Count += length; return; }
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            using var input = content.OpenRead();
            long done = 0;
            while (true)
            {
                var n = input.Read(buffer, 0, buffer.Length);
                if (n == 0) break;
                done += n;
                if (done > length) break;
                Write(buffer.AsSpan(0, n));
            }
            if (done != length)
                throw new InvalidDataException($"Attachment data announced {length} bytes but its stream gave {(done > length ? "more" : done.ToString(System.Globalization.CultureInfo.InvariantCulture))}; it changed while it was written.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static uint Sum(ReadOnlySpan<byte> bytes)
    {
        // Vectorised widening sum; the caller keeps only the low 16 bits, so uint overflow is harmless.
        uint sum = 0;
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && bytes.Length >= System.Numerics.Vector<byte>.Count)
        {
            var acc = System.Numerics.Vector<uint>.Zero;
            var step = System.Numerics.Vector<byte>.Count;
            for (; i <= bytes.Length - step; i += step)
            {
                var v = new System.Numerics.Vector<byte>(bytes.Slice(i, step));
                System.Numerics.Vector.Widen(v, out var lo, out var hi);
                System.Numerics.Vector.Widen(lo, out var a, out var b);
                System.Numerics.Vector.Widen(hi, out var c, out var d);
                acc += a + b + c + d;
            }
            sum = System.Numerics.Vector.Sum(acc);
        }
        for (; i < bytes.Length; i++) sum += bytes[i];
        return sum;
    }
}
