using System.Security.Cryptography;

namespace Imc.Backup.Save;

/// <summary>
/// A write-only stream that passes every byte to an inner stream and feeds it to SHA-256 on the way, so a file's
/// size and hash are known when it is closed without reading it a second time.
/// </summary>
internal sealed class HashingWriteStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? _result;

    public long BytesWritten { get; private set; }

    /// <summary>The SHA-256 of everything written (lower-case hex); ends the hashing.</summary>
    public string FinishHash()
    {
        _result ??= _hash.GetHashAndReset();
        return Convert.ToHexStringLower(_result);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_result is not null) throw new InvalidOperationException("The hash is already finished.");
        inner.Write(buffer);
        _hash.AppendData(buffer);
        BytesWritten += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => BytesWritten;
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
