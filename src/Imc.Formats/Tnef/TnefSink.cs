using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Imc.Formats.Mapi;

namespace Imc.Formats.Tnef;

/// <summary>
/// Where <see cref="TnefWriter"/> puts bytes, summing them for the attribute checksum on the way. Four kinds:
/// counting only (lengths before data, for non-seekable output); a stream, through the sink's own pooled buffer
/// (attachment data are read straight into it: no intermediate copy); a child that passes everything to a parent
/// sink (nested TNEF streams of embedded messages); and memory (a small attribute's body, built once, then
/// copied out with its now known length).
/// </summary>
internal sealed class TnefSink : IDisposable
{
    /// <summary>Bytes per write to the output stream: large writes are what files and pipes like.</summary>
    internal const int OutputBufferSize = 256 * 1024;

    private readonly Stream? _out;
    private readonly TnefSink? _parent;
    private readonly bool _memory;
    private byte[]? _buffer;
    private int _pos;
    private uint _sum;

    /// <summary>A counting sink (<paramref name="output"/> null) or one that writes to <paramref name="output"/>.</summary>
    public TnefSink(Stream? output)
    {
        _out = output;
        if (output is not null) _buffer = ArrayPool<byte>.Shared.Rent(OutputBufferSize);
    }

    private TnefSink(TnefSink? parent, bool memory)
    {
        _parent = parent;
        _memory = memory;
        if (memory) _buffer = ArrayPool<byte>.Shared.Rent(4096);
    }

    /// <summary>A sink whose bytes go on to <paramref name="parent"/> (which sums them for its own checksum too).</summary>
    public static TnefSink Child(TnefSink parent) => new(parent, memory: false);

    /// <summary>A sink that keeps its bytes in memory (<see cref="Written"/>), for bodies known to be small.</summary>
    public static TnefSink Memory() => new(null, memory: true);

    public bool Counting => _out is null && _parent is null && !_memory;
    /// <summary>Bytes written (or counted) so far.</summary>
    public long Count { get; private set; }
    /// <summary>The sum, modulo 65536, of the bytes since <see cref="ResetChecksum"/>.</summary>
    public ushort Checksum => (ushort)_sum;

    /// <summary>What a memory sink holds.</summary>
    public ReadOnlySpan<byte> Written => _memory ? _buffer.AsSpan(0, _pos) : throw new InvalidOperationException("Only a memory sink keeps its bytes.");

    public void ResetChecksum() => _sum = 0;

    /// <summary>Empties a memory sink for reuse.</summary>
    public void Clear()
    {
        _pos = 0;
        _sum = 0;
        Count = 0;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Count += bytes.Length;
        if (Counting) return;
        _sum += Sum(bytes);
        if (_parent is not null) { _parent.Write(bytes); return; }
        if (_memory)
        {
            Reserve(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(_pos));
            _pos += bytes.Length;
            return;
        }
        if (bytes.Length > _buffer!.Length - _pos) FlushBuffer();
        if (bytes.Length >= _buffer.Length)
        {
            _out!.Write(bytes);
            return;
        }
        bytes.CopyTo(_buffer.AsSpan(_pos));
        _pos += bytes.Length;
    }

    /// <summary>
    /// Writes <paramref name="text"/> in <paramref name="encoding"/> without an intermediate array when the sink has
    /// a buffer; returns the number of bytes (the same as <see cref="Encoding.GetByteCount(string)"/>).
    /// </summary>
    public int Encoded(Encoding encoding, string text)
    {
        if (Counting || _parent is not null || text.Length > 16384)
        {
            if (Counting)
            {
                var count = encoding.GetByteCount(text);
                Count += count;
                return count;
            }
            var bytes = encoding.GetBytes(text);
            Write(bytes);
            return bytes.Length;
        }
        var max = encoding.GetMaxByteCount(text.Length);
        if (_memory) Reserve(max);
        else if (max > _buffer!.Length - _pos) FlushBuffer();
        var n = encoding.GetBytes(text, _buffer.AsSpan(_pos));
        var span = _buffer.AsSpan(_pos, n);
        _sum += Sum(span);
        _pos += n;
        Count += n;
        return n;
    }

    public void Skip(long count)
    {
        if (!Counting) throw new InvalidOperationException("Only a counting sink can skip.");
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
        if (Counting) { Count += length; return; }
        using var input = content.OpenRead();
        long done = 0;
        if (_out is not null)
        {
            // Read straight into the output buffer: the data are copied once, from the source into the buffer.
            while (true)
            {
                if (_pos == _buffer!.Length) FlushBuffer();
                var n = input.Read(_buffer, _pos, _buffer.Length - _pos);
                if (n == 0) break;
                done += n;
                if (done > length) break;
                _sum += Sum(_buffer.AsSpan(_pos, n));
                _pos += n;
                Count += n;
            }
        }
        else
        {
            var buffer = ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                while (true)
                {
                    var n = input.Read(buffer, 0, buffer.Length);
                    if (n == 0) break;
                    done += n;
                    if (done > length) break;
                    Write(buffer.AsSpan(0, n));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        if (done != length)
            throw new InvalidDataException($"Attachment data announced {length} bytes but its stream gave {(done > length ? "more" : done.ToString(System.Globalization.CultureInfo.InvariantCulture))}; it changed while it was written.");
    }

    /// <summary>Writes what is buffered to the output stream and flushes it.</summary>
    public void Flush()
    {
        if (_out is null) return;
        FlushBuffer();
        _out.Flush();
    }

    private void FlushBuffer()
    {
        if (_pos == 0) return;
        _out!.Write(_buffer!, 0, _pos);
        _pos = 0;
    }

    private void Reserve(int more)
    {
        if (_buffer!.Length - _pos >= more) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _pos + more));
        _buffer.AsSpan(0, _pos).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        if (_buffer is { } b) ArrayPool<byte>.Shared.Return(b);
        _buffer = null;
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
