using System.Security.Cryptography;
using Imc.Formats.Mapi;

namespace Imc.Backup.Save;

/// <summary>
/// A write-only stream that passes every byte to an inner stream and feeds it to SHA-256 on the way, so a file's
/// size and hash are known when it is closed without reading it a second time.
/// </summary>
internal sealed class HashingWriteStream(Stream inner) : WriteOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? _result;

    /// <summary>The SHA-256 of everything written (lower-case hex); ends the hashing.</summary>
    public string FinishHash()
    {
        _result ??= _hash.GetHashAndReset();
        return Convert.ToHexStringLower(_result);
    }

    protected override void WriteCore(ReadOnlySpan<byte> buffer)
    {
        if (_result is not null) throw new InvalidOperationException("The hash is already finished.");
        inner.Write(buffer);
        _hash.AppendData(buffer);
    }

    public override void Flush() => inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
