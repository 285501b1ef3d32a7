using System.Buffers.Binary;

namespace Imc.Formats.Tnef;

/// <summary>
/// Sequential, buffered reading of a TNEF stream that tracks the absolute offset and a running byte sum (attribute
/// checksums are differences of that sum, which makes nested streams free). It never allocates by a length it has
/// not seen backed by data.
/// </summary>
internal sealed class TnefInput : IDisposable
{
    private const int ChunkSize = 1 << 20;
    private readonly Stream _stream;
    // Rented: a restore reads 100,000 files twice, and a new 64 KiB buffer each time was 13 GB for the GC to clear.
    private byte[] _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(65536);
    private int _pos;
    private int _len;

    public TnefInput(Stream stream, string? fileName)
    {
        _stream = stream;
        FileName = fileName;
        if (stream.CanSeek) Length = stream.Length - stream.Position;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
    }

    public string? FileName { get; }
    /// <summary>The offset of the next byte, from where reading started.</summary>
    public long Position { get; private set; }
    /// <summary>The total length when the stream is seekable.</summary>
    public long? Length { get; }
    /// <summary>The sum of every byte consumed so far (wraps; only the low 16 bits matter).</summary>
    public uint Sum { get; private set; }
    /// <summary>What is being read, for truncation messages; built only when a message needs it.</summary>
    public string Context
    {
        get => _context ??= _contextKind switch
        {
            ContextKind.Attribute => $"{_contextName} (attribute at offset {_contextOffset}, {_contextLength} data bytes)",
            ContextKind.Checksum => $"the checksum of {_contextName} (attribute at offset {_contextOffset})",
            _ => $"property {TnefReader.Describe(_contextTag, _contextProperty)} at offset {_contextOffset}",
        };
        set => _context = value;
    }

    // The parts of a lazily built context: formatting a string for every property read (just in case an error
    // needs it) took about a third of the time of reading a message.
    private string? _context = "the TNEF header";
    private ContextKind _contextKind;
    private string? _contextName;
    private long _contextOffset;
    private long _contextLength;
    private Imc.Formats.Mapi.PropTag _contextTag;
    private Imc.Formats.Mapi.PropertyName? _contextProperty;

    private enum ContextKind { Attribute, Checksum, Property }

    /// <summary>Reading the data of attribute <paramref name="name"/>.</summary>
    public void AttributeContext(string name, long offset, long length)
    {
        _context = null;
        _contextKind = ContextKind.Attribute;
        _contextName = name;
        _contextOffset = offset;
        _contextLength = length;
    }

    /// <summary>Reading the checksum of attribute <paramref name="name"/>.</summary>
    public void ChecksumContext(string name, long offset)
    {
        _context = null;
        _contextKind = ContextKind.Checksum;
        _contextName = name;
        _contextOffset = offset;
    }

    /// <summary>Reading the value of a property.</summary>
    public void PropertyContext(Imc.Formats.Mapi.PropTag tag, Imc.Formats.Mapi.PropertyName? name, long offset)
    {
        _context = null;
        _contextKind = ContextKind.Property;
        _contextTag = tag;
        _contextProperty = name;
        _contextOffset = offset;
    }

    public long? Remaining => Length - Position;

    public bool AtEnd => !Fill();

    private bool Fill()
    {
        if (_pos < _len) return true;
        if (Length is { } l && Position >= l) return false;
        _len = _stream.Read(_buffer, 0, _buffer.Length);
        _pos = 0;
        return _len > 0;
    }

    public TnefException Truncated(long needed) => new(TnefError.Truncated, Position,
        $"the stream ends here but {needed} more byte{(needed == 1 ? "" : "s")} of {Context} {(needed == 1 ? "was" : "were")} expected", FileName);

    public void Read(Span<byte> destination)
    {
        var total = destination.Length;
        var done = 0;
        while (done < total)
        {
            if (!Fill()) throw Truncated(total - done);
            var n = Math.Min(_len - _pos, total - done);
            var src = _buffer.AsSpan(_pos, n);
            src.CopyTo(destination[done..]);
            Sum += TnefSink.Sum(src);
            _pos += n;
            done += n;
            Position += n;
        }
    }

    public byte U8()
    {
        Span<byte> b = stackalloc byte[1];
        Read(b);
        return b[0];
    }

    public ushort U16()
    {
        Span<byte> b = stackalloc byte[2];
        Read(b);
        return BinaryPrimitives.ReadUInt16LittleEndian(b);
    }

    public uint U32()
    {
        Span<byte> b = stackalloc byte[4];
        Read(b);
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    public ulong U64()
    {
        Span<byte> b = stackalloc byte[8];
        Read(b);
        return BinaryPrimitives.ReadUInt64LittleEndian(b);
    }

    public Guid Guid()
    {
        Span<byte> b = stackalloc byte[16];
        Read(b);
        return new Guid(b);
    }

    /// <summary>Reads <paramref name="count"/> bytes; large counts are read in chunks, so memory follows real data.</summary>
    public byte[] Bytes(long count)
    {
        if (Remaining is { } r && count > r) throw Truncated(count - r);
        if (count <= ChunkSize)
        {
            var small = new byte[count];
            Read(small);
            return small;
        }
        if (count > Array.MaxLength) throw new TnefException(TnefError.BadLength, Position, $"{Context} of {count} bytes is too large to hold in memory", FileName);
        using var ms = new MemoryStream();
        var chunk = new byte[ChunkSize];
        for (var left = count; left > 0;)
        {
            var n = (int)Math.Min(chunk.Length, left);
            Read(chunk.AsSpan(0, n));
            ms.Write(chunk, 0, n);
            left -= n;
        }
        return ms.ToArray();
    }

    /// <summary>Consumes <paramref name="count"/> bytes (summing them for the checksum) without keeping them.</summary>
    public void Skip(long count)
    {
        if (Remaining is { } r && count > r) throw Truncated(count - r);
        while (count > 0)
        {
            if (!Fill()) throw Truncated(count);
            var n = (int)Math.Min(_len - _pos, count);
            Sum += TnefSink.Sum(_buffer.AsSpan(_pos, n));
            _pos += n;
            Position += n;
            count -= n;
        }
    }

    /// <summary>Consumes whatever is left, returning how many bytes that was.</summary>
    public long SkipToEnd()
    {
        long n = 0;
        while (Fill())
        {
            var k = _len - _pos;
            Sum += TnefSink.Sum(_buffer.AsSpan(_pos, k));
            _pos = _len;
            Position += k;
            n += k;
        }
        return n;
    }
}
