using System.Buffers.Binary;


namespace Imc.Formats.Mapi;

/// <summary>What kind of bytes a <see cref="GeneratedContent"/> produces.</summary>
public enum GeneratedContentKind
{
    /// <summary>Lines of ASCII words (CRLF), like a log, a CSV or a letter: compressible.</summary>
    Text,
    /// <summary>Pseudo-random bytes, like a photo, a zip or a PDF: incompressible.</summary>
    Binary,
}

/// <summary>
/// Attachment data made up on the fly from a seed: the same (kind, length, seed, header) always gives the same bytes,
/// and no array of the whole content ever exists, so a sample message may carry a 1 GiB attachment. The bytes are
/// computed per block of <see cref="BlockSize"/> from (seed, block index), so the stream can seek anywhere cheaply.
/// An optional header (a file signature such as <c>%PDF-1.4</c> or the PNG magic) replaces the first bytes.
/// </summary>
public sealed class GeneratedContent : BinaryContent
{
    public const int BlockSize = 16384;

    private static readonly string[] Words =
    [
        "the", "message", "queue", "server", "connector", "report", "delivery", "invoice", "meeting", "agenda",
        "customer", "order", "status", "pending", "shipped", "total", "amount", "region", "north", "south",
        "quarter", "budget", "review", "draft", "final", "please", "attached", "regards", "thanks", "update",
        "backup", "restore", "mailbox", "folder", "gateway", "internet", "exchange", "site", "organization", "user",
        "2019", "42", "1,250.00", "ID-7781", "OK", "FAILED", "retry", "timeout", "smtp", "host",
    ];

    private readonly byte[] _header;

    public GeneratedContent(GeneratedContentKind kind, long length, ulong seed, ReadOnlySpan<byte> header = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Kind = kind;
        LengthValue = length;
        Seed = seed;
        _header = header.ToArray();
    }

    public GeneratedContentKind Kind { get; }
    public ulong Seed { get; }
    private long LengthValue { get; }
    public override long Length => LengthValue;

    public override Stream OpenRead() => new GeneratedStream(this);

    /// <summary>Fills <paramref name="block"/> (BlockSize bytes) with block number <paramref name="index"/>.</summary>
    private void FillBlock(long index, Span<byte> full)
    {
        var block = full;
        var state = Seed ^ ((ulong)index * 0x9E3779B97F4A7C15UL) ^ (Kind == GeneratedContentKind.Text ? 0x5EED7E47UL : 0xB1A7UL);
        if (Kind == GeneratedContentKind.Binary)
        {
            for (var i = 0; i < block.Length; i += 8)
                BinaryPrimitives.WriteUInt64LittleEndian(block[i..], SplitMix64.Next(ref state));
        }
        else
        {
            // Words separated by spaces, a CRLF every 60-80 columns.
            // Each block ends with CRLF, so no line runs across a block edge.
            var col = 0;
            var lineWidth = 60 + (int)(SplitMix64.Next(ref state) % 21);
            var pos = 0;
            var end = block.Length - 2;
            block[end] = (byte)'\r';
            block[end + 1] = (byte)'\n';
            block = block[..end];
            while (pos < block.Length)
            {
                var word = Words[SplitMix64.Next(ref state) % (ulong)Words.Length];
                if (pos + word.Length + 2 > block.Length)
                {
                    block[pos..].Fill((byte)' '); // pad the last line rather than cut a word or a CRLF in half
                    break;
                }
                if (col > 0 && col + 1 + word.Length > lineWidth)
                {
                    pos = Put(block, pos, "\r\n");
                    col = 0;
                    lineWidth = 60 + (int)(SplitMix64.Next(ref state) % 21);
                    continue;
                }
                if (col > 0) { pos = Put(block, pos, " "); col++; }
                pos = Put(block, pos, word);
                col += word.Length;
            }
        }
        // The header replaces the start of the content.
        var blockStart = index * BlockSize;
        if (blockStart < _header.Length)
        {
            var n = (int)Math.Min(_header.Length - blockStart, full.Length);
            _header.AsSpan((int)blockStart, n).CopyTo(full);
        }

        static int Put(Span<byte> block, int pos, string s)
        {
            foreach (var c in s)
            {
                if (pos >= block.Length) return pos;
                block[pos++] = (byte)c;
            }
            return pos;
        }
    }

    private sealed class GeneratedStream(GeneratedContent content) : Stream
    {
        private readonly byte[] _block = new byte[BlockSize];
        private long _blockIndex = -1;
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => content.Length;

        public override long Position
        {
            get => _position;
            set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var total = 0;
            while (buffer.Length > 0 && _position < content.Length)
            {
                var index = _position / BlockSize;
                if (index != _blockIndex)
                {
                    content.FillBlock(index, _block);
                    _blockIndex = index;
                }
                var inBlock = (int)(_position % BlockSize);
                var n = (int)Math.Min(Math.Min(BlockSize - inBlock, buffer.Length), content.Length - _position);
                _block.AsSpan(inBlock, n).CopyTo(buffer);
                buffer = buffer[n..];
                _position += n;
                total += n;
            }
            return total;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => content.Length + offset,
        };

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast generator whose output is fixed by its definition, so sample
/// data stay the same across .NET versions (System.Random's seeded sequence is an implementation detail).
/// </summary>
public static class SplitMix64
{
    public static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
