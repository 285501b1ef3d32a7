using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Imc.Backup.PackingList;

/// <summary>
/// SHA-256 over packing-list entries (line, key and value as read), so that a second read of the list can prove it
/// reads the entries the check passed. Entries are gathered in a buffer: one hash call per entry would cost more than
/// reading the list.
/// </summary>
internal sealed class EntryDigest : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _used;

    public void Add(int line, string key, string value)
    {
        var size = 12 + 2 * (key.Length + value.Length);
        if (_used + size > _buffer.Length) Flush();
        if (size > _buffer.Length)
        {
            Span<byte> numbers = stackalloc byte[12];
            WriteNumbers(numbers, line, key, value);
            _hash.AppendData(numbers);
            _hash.AppendData(MemoryMarshal.AsBytes(key.AsSpan()));
            _hash.AppendData(MemoryMarshal.AsBytes(value.AsSpan()));
            return;
        }
        var to = _buffer.AsSpan(_used, size);
        WriteNumbers(to, line, key, value);
        MemoryMarshal.AsBytes(key.AsSpan()).CopyTo(to[12..]);
        MemoryMarshal.AsBytes(value.AsSpan()).CopyTo(to[(12 + 2 * key.Length)..]);
        _used += size;
    }

    /// <summary>The digest of the entries added since the last call; starts over.</summary>
    public byte[] Finish()
    {
        Flush();
        return _hash.GetHashAndReset();
    }

    /// <summary>The first 8 bytes of <see cref="Finish"/>: enough to tell a changed chunk of entries.</summary>
    public ulong FinishFingerprint() => BitConverter.ToUInt64(Finish());

    public void Dispose() => _hash.Dispose();

    private static void WriteNumbers(Span<byte> to, int line, string key, string value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(to, line);
        BinaryPrimitives.WriteInt32LittleEndian(to[4..], key.Length);
        BinaryPrimitives.WriteInt32LittleEndian(to[8..], value.Length);
    }

    private void Flush()
    {
        _hash.AppendData(_buffer, 0, _used);
        _used = 0;
    }
}
