using Microsoft.Win32.SafeHandles;

namespace Imc.Backup.PackingList;

/// <summary>
/// The bytes of one packing list, opened once and read as often as needed: checking it, verifying the files against
/// it and restoring from it each stream through the list again instead of holding its 100,000 entries. Every reader
/// gets its own position on the same open file, so a file renamed over Imcfls meanwhile is never read; one changed
/// in place is caught by the fingerprints <see cref="PackingListIndex"/> keeps.
/// </summary>
public sealed class PackingListSource : IDisposable
{
    private readonly SafeFileHandle? _handle;
    private readonly byte[]? _bytes;

    private PackingListSource(SafeFileHandle? handle, byte[]? bytes) => (_handle, _bytes) = (handle, bytes);

    /// <summary>Opens the packing list at <paramref name="path"/>; a missing or oversized file is a <see cref="BackupFormatException"/>.</summary>
    public static PackingListSource OpenFile(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BackupFormatException(BackupLayout.PackingListName, "the packing list is missing: the backup is incomplete and cannot be trusted", e);
        }
        var length = RandomAccess.GetLength(handle);
        if (length > PackingListReader.MaxFileSize)
        {
            handle.Dispose();
            throw new BackupFormatException(BackupLayout.PackingListName, $"the file is {length} bytes; a packing list is at most {PackingListReader.MaxFileSize} bytes");
        }
        return new PackingListSource(handle, null);
    }

    /// <summary>A packing list given as a stream (read once, to its end).</summary>
    public static PackingListSource FromStream(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Three bytes per character at most: past that the reader's character limit has certainly been reached.
        const long cap = 3 * PackingListReader.MaxFileSize + 4;
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while (copy.Length < cap && (n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, cap - copy.Length))) > 0) copy.Write(buffer, 0, n);
        return new PackingListSource(null, copy.ToArray());
    }

    /// <summary>A new reader at the start of the list, independent of every other.</summary>
    public Stream OpenStream()
    {
        if (_bytes is not null) return new MemoryStream(_bytes, writable: false);
        ObjectDisposedException.ThrowIf(_handle!.IsClosed, this);
        return new HandleStream(_handle);
    }

    public void Dispose() => _handle?.Dispose();

    /// <summary>Reads a shared handle at its own position (a FileStream would own the handle and share its offset).</summary>
    private sealed class HandleStream(SafeFileHandle handle) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => RandomAccess.GetLength(handle);

        public override long Position
        {
            get => _position;
            set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = RandomAccess.Read(handle, buffer, _position);
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
