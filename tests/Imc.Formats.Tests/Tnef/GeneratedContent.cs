using Imc.Formats.Mapi;

namespace Imc.Formats.Tests.Tnef;

/// <summary>Deterministic pseudo-random bytes of any length, generated while read (never held in memory).</summary>
internal sealed class GeneratedContent(long length, ulong seed) : BinaryContent
{
    public override long Length => length;

    public override Stream OpenRead() => new GeneratedStream(length, seed);

    private sealed class GeneratedStream(long length, ulong seed) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < n;)
            {
                // splitmix64 of the 8-byte word index; the bytes of that word, so any read size gives the same stream.
                var p = _position + i;
                var z = seed + (ulong)(p >> 3) * 0x9E3779B97F4A7C15UL;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                z ^= z >> 31;
                if ((p & 7) == 0 && n - i >= 8)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(buffer[i..], z);
                    i += 8;
                    continue;
                }
                for (var b = (int)(p & 7); b < 8 && i < n; b++, i++) buffer[i] = (byte)(z >> (b * 8));
            }
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
