namespace Imc.Formats.Mapi;

/// <summary>
/// A forward-only sink (hashing, counting, handing bytes to another thread): counts what is written and refuses
/// everything a write-only stream cannot do. Subclasses say where the bytes go in <see cref="WriteCore"/>.
/// </summary>
public abstract class WriteOnlyStream : Stream
{
    /// <summary>How many bytes have been written; also this stream's Length and Position.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Takes <paramref name="buffer"/>; <see cref="BytesWritten"/> grows by its length afterwards.</summary>
    protected abstract void WriteCore(ReadOnlySpan<byte> buffer);

    public sealed override void Write(ReadOnlySpan<byte> buffer)
    {
        WriteCore(buffer);
        BytesWritten += buffer.Length;
    }

    public sealed override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public sealed override void WriteByte(byte value) => Write([value]);
    public override void Flush() { }

    public sealed override bool CanRead => false;
    public sealed override bool CanSeek => false;
    public sealed override bool CanWrite => true;
    public sealed override long Length => BytesWritten;
    public sealed override long Position { get => BytesWritten; set => throw new NotSupportedException(); }
    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public sealed override void SetLength(long value) => throw new NotSupportedException();
}
