namespace Imc.Formats.Mapi;

/// <summary>A read-only window of <c>length</c> bytes of a seekable stream, starting at <c>offset</c>.</summary>
public sealed class SubStream : Stream
{
    private readonly Stream _inner;
    private readonly long _offset;
    private readonly long _length;
    private readonly bool _ownsInner;
    private long _position;

    public SubStream(Stream inner, long offset, long length, bool ownsInner)
    {
        if (!inner.CanSeek) throw new ArgumentException("The stream must be seekable.", nameof(inner));
        _inner = inner;
        _offset = offset;
        _length = length;
        _ownsInner = ownsInner;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var left = _length - _position;
        if (left <= 0) return 0;
        if (buffer.Length > left) buffer = buffer[..(int)left];
        _inner.Position = _offset + _position;
        var n = _inner.Read(buffer);
        if (n == 0) throw new EndOfStreamException($"The underlying stream ended at {_offset + _position}, inside a region that should run to {_offset + _length}.");
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsInner) _inner.Dispose();
        base.Dispose(disposing);
    }
}
