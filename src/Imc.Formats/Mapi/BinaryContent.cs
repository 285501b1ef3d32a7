namespace Imc.Formats.Mapi;

/// <summary>
/// Bytes that may be far larger than memory (attachment data): a known length and a way to read them, each
/// <see cref="OpenRead"/> a new stream from the start. Implementations stream from a file range, a database blob,
/// or (for small data) an array.
/// </summary>
public abstract class BinaryContent
{
    public abstract long Length { get; }

    /// <summary>A new read-only stream over the whole content, positioned at 0.</summary>
    public abstract Stream OpenRead();

    public static BinaryContent FromBytes(byte[] bytes) => new ArrayContent(bytes);

    /// <summary>The content of a file region, read lazily from <paramref name="path"/>.</summary>
    public static BinaryContent FromFile(string path, long offset, long length) => new FileRangeContent(path, offset, length);

    /// <summary>Reads the whole content into an array; only for data known to be small.</summary>
    public byte[] ToArray()
    {
        if (Length > Array.MaxLength) throw new InvalidOperationException($"Content of {Length} bytes is too large for an array.");
        var buffer = new byte[Length];
        using var s = OpenRead();
        s.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Compares two contents byte by byte, streaming both.</summary>
    public bool ContentEquals(BinaryContent other)
    {
        if (Length != other.Length) return false;
        using var a = OpenRead();
        using var b = other.OpenRead();
        var ba = new byte[81920];
        var bb = new byte[81920];
        long left = Length;
        while (left > 0)
        {
            var n = (int)Math.Min(ba.Length, left);
            a.ReadExactly(ba, 0, n);
            b.ReadExactly(bb, 0, n);
            if (!ba.AsSpan(0, n).SequenceEqual(bb.AsSpan(0, n))) return false;
            left -= n;
        }
        return true;
    }

    private sealed class ArrayContent(byte[] bytes) : BinaryContent
    {
        public override long Length => bytes.Length;
        public override Stream OpenRead() => new MemoryStream(bytes, writable: false);
    }

    private sealed class FileRangeContent(string path, long offset, long length) : BinaryContent
    {
        public override long Length => length;

        public override Stream OpenRead()
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            return new SubStream(file, offset, length, ownsInner: true);
        }
    }
}
