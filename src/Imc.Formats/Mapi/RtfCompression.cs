using System.Buffers.Binary;
using System.Text;

namespace Imc.Formats.Mapi;

/// <summary>
/// PR_RTF_COMPRESSED per MS-OXRTFCP: LZFu compression (a 4096-byte LZ77 dictionary prefilled with a standard RTF
/// preamble) and the uncompressed "MELA" form. <see cref="Compress"/> writes LZFu, which Debian tnef, ytnef and
/// MimeKit all decode; <see cref="Decompress"/> reads both forms and checks sizes and the CRC.
/// </summary>
public static class RtfCompression
{
    public const uint CompressedMagic = 0x75465A4C;   // "LZFu"
    public const uint UncompressedMagic = 0x414C454D; // "MELA"

    private const int HeaderSize = 16;
    private const int DictionarySize = 4096;
    private const int MaxMatch = 17; // 4-bit length field + 2
    private const int MinMatch = 3;  // a 2-byte match costs as much as two literals
    private const int MaxChain = 48;

    /// <summary>The 207 bytes every LZFu dictionary starts with (MS-OXRTFCP §2.1.2.1).</summary>
    internal static readonly byte[] Preamble = Encoding.ASCII.GetBytes(
        "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx");

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Compresses <paramref name="rtf"/> into an LZFu stream (header, tokens, end marker).</summary>
    public static byte[] Compress(ReadOnlySpan<byte> rtf)
    {
        var dict = new byte[DictionarySize];
        Preamble.CopyTo(dict, 0);
        // Hash chains over 3-byte prefixes of dictionary positions; stale entries are harmless because every
        // candidate is verified against the dictionary as the decoder will see it.
        var head = new short[1 << 12];
        var prev = new short[DictionarySize];
        Array.Fill(head, (short)-1);
        Array.Fill(prev, (short)-1);
        for (var p = 0; p + 2 < Preamble.Length; p++) Insert(dict, head, prev, p);

        using var output = new MemoryStream(HeaderSize + rtf.Length + rtf.Length / 8 + 8);
        output.Write(new byte[HeaderSize]);
        var writePos = Preamble.Length;
        var filled = Preamble.Length; // dictionary bytes the decoder has written so far (caps at 4096)
        var group = new byte[1 + 2 * 8];
        var groupLength = 1;
        var tokens = 0;
        var i = 0;
        var ended = false;
        while (!ended)
        {
            if (i >= rtf.Length)
            {
                // End marker: a reference to the current write position.
                group[0] |= (byte)(1 << tokens);
                BinaryPrimitives.WriteUInt16BigEndian(group.AsSpan(groupLength), (ushort)(writePos << 4));
                groupLength += 2;
                tokens++;
                ended = true;
            }
            else
            {
                var (offset, length) = FindMatch(dict, head, prev, writePos, filled, rtf[i..]);
                if (length >= MinMatch)
                {
                    group[0] |= (byte)(1 << tokens);
                    BinaryPrimitives.WriteUInt16BigEndian(group.AsSpan(groupLength), (ushort)((offset << 4) | (length - 2)));
                    groupLength += 2;
                }
                else
                {
                    length = 1;
                    group[groupLength++] = rtf[i];
                }
                for (var k = 0; k < length; k++)
                {
                    dict[writePos] = rtf[i + k];
                    // The 3-byte sequence that ends at this byte is now complete in the dictionary.
                    var start = (writePos - 2) & (DictionarySize - 1);
                    Insert(dict, head, prev, start);
                    writePos = (writePos + 1) & (DictionarySize - 1);
                    if (filled < DictionarySize) filled++;
                }
                i += length;
                tokens++;
            }
            if (tokens == 8 || ended)
            {
                output.Write(group, 0, groupLength);
                Array.Clear(group);
                groupLength = 1;
                tokens = 0;
            }
        }

        var result = output.ToArray();
        var header = result.AsSpan(0, HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(result.Length - 4));
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)rtf.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], CompressedMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Crc32(result.AsSpan(HeaderSize)));
        return result;
    }

    /// <summary>
    /// Decompresses an LZFu or MELA stream. Throws <see cref="RtfCompressionException"/> when the header, the
    /// sizes, the CRC or the token stream are damaged.
    /// </summary>
    public static byte[] Decompress(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize)
            throw new RtfCompressionException($"Compressed RTF is {data.Length} bytes long; expected at least the 16-byte header.");
        var compSize = BinaryPrimitives.ReadUInt32LittleEndian(data);
        var rawSize = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        if (compSize < HeaderSize - 4 || compSize > (uint)data.Length - 4)
            throw new RtfCompressionException($"Compressed RTF header gives COMPSIZE {compSize}, but only {data.Length} bytes are present (expected COMPSIZE = length - 4 = {data.Length - 4}).");
        var body = data.Slice(HeaderSize, (int)compSize - (HeaderSize - 4));

        if (magic == UncompressedMagic)
        {
            if (rawSize > (uint)body.Length)
                throw new RtfCompressionException($"Uncompressed (MELA) RTF header gives RAWSIZE {rawSize}, but only {body.Length} data bytes follow the header.");
            return body[..(int)rawSize].ToArray();
        }
        if (magic != CompressedMagic)
            throw new RtfCompressionException($"Compressed RTF has COMPTYPE 0x{magic:X8}; expected 0x75465A4C (\"LZFu\") or 0x414C454D (\"MELA\").");

        var actualCrc = Crc32(body);
        if (actualCrc != crc)
            throw new RtfCompressionException($"Compressed RTF CRC is 0x{actualCrc:X8}, but the header says 0x{crc:X8}; the data is damaged.");

        // Every 2-byte token yields at most 17 bytes, so the input bounds the output whatever RAWSIZE claims.
        long bound = (long)body.Length * MaxMatch / 2 + 16;
        if (rawSize > bound)
            throw new RtfCompressionException($"Compressed RTF header gives RAWSIZE {rawSize}, more than {body.Length} compressed bytes can hold (at most {bound}).");
        var result = new byte[rawSize];
        var outPos = 0;
        var dict = new byte[DictionarySize];
        Preamble.CopyTo(dict, 0);
        var writePos = Preamble.Length;
        var pos = 0;
        while (true)
        {
            if (pos >= body.Length)
                throw new RtfCompressionException($"Compressed RTF ends at byte {HeaderSize + pos} without its end marker.");
            var control = body[pos++];
            for (var bit = 0; bit < 8; bit++)
            {
                if (pos >= body.Length)
                    throw new RtfCompressionException($"Compressed RTF ends at byte {HeaderSize + pos} without its end marker.");
                if ((control & (1 << bit)) == 0)
                {
                    Emit(body[pos++]);
                    continue;
                }
                if (pos + 1 >= body.Length)
                    throw new RtfCompressionException($"Compressed RTF ends at byte {HeaderSize + pos} inside a dictionary reference.");
                var token = BinaryPrimitives.ReadUInt16BigEndian(body[pos..]);
                pos += 2;
                var offset = token >> 4;
                var length = (token & 0xF) + 2;
                if (offset == writePos)
                {
                    if (outPos != result.Length)
                        throw new RtfCompressionException($"Compressed RTF decompresses to {outPos} bytes, but the header says RAWSIZE {rawSize}.");
                    return result;
                }
                for (var k = 0; k < length; k++)
                {
                    Emit(dict[offset]);
                    offset = (offset + 1) & (DictionarySize - 1);
                }
            }
        }

        void Emit(byte b)
        {
            if (outPos >= result.Length)
                throw new RtfCompressionException($"Compressed RTF decompresses to more than the {rawSize} bytes its header gives as RAWSIZE.");
            result[outPos++] = b;
            dict[writePos] = b;
            writePos = (writePos + 1) & (DictionarySize - 1);
        }
    }

    /// <summary>True when <paramref name="data"/> starts with a PR_RTF_COMPRESSED header (LZFu or MELA).</summary>
    public static bool HasHeader(ReadOnlySpan<byte> data) =>
        data.Length >= HeaderSize && BinaryPrimitives.ReadUInt32LittleEndian(data[8..]) is CompressedMagic or UncompressedMagic;

    /// <summary>The CRC of MS-OXRTFCP §2.1.3.2: CRC-32 (0xEDB88320) with initial value 0 and no final XOR.</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0;
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    private static int Hash(byte a, byte b, byte c) => ((a << 4) ^ (b << 2) ^ c ^ (a >> 4)) & 0xFFF;

    private static void Insert(byte[] dict, short[] head, short[] prev, int p)
    {
        var h = Hash(dict[p], dict[(p + 1) & (DictionarySize - 1)], dict[(p + 2) & (DictionarySize - 1)]);
        prev[p] = head[h];
        head[h] = (short)p;
    }

    /// <summary>
    /// The longest match for the start of <paramref name="input"/>, reading the dictionary as the decoder will while
    /// it copies (bytes it writes during the copy become readable at once). Never returns the write position itself,
    /// which would be read as the end marker, nor a position the decoder has not written yet.
    /// </summary>
    private static (int Offset, int Length) FindMatch(byte[] dict, short[] head, short[] prev, int writePos, int filled, ReadOnlySpan<byte> input)
    {
        if (input.Length < MinMatch) return (0, 0);
        var max = Math.Min(MaxMatch, input.Length);
        var bestLength = 0;
        var bestOffset = 0;
        int candidate = head[Hash(input[0], input[1], input[2])];
        for (var steps = 0; candidate >= 0 && steps < MaxChain; steps++)
        {
            var next = prev[candidate];
            // Positions the decoder has written: [0, filled) until the dictionary is full, everything after that.
            if (candidate != writePos && (filled >= DictionarySize || candidate < filled))
            {
                var length = 0;
                while (length < max)
                {
                    var p = (candidate + length) & (DictionarySize - 1);
                    var distance = (p - writePos) & (DictionarySize - 1);
                    byte b;
                    if (distance < length) b = input[distance];           // written during this copy
                    else if (filled < DictionarySize && p >= filled && p != writePos) break; // never written
                    else b = dict[p];
                    if (b != input[length]) break;
                    length++;
                }
                if (length > bestLength)
                {
                    bestLength = length;
                    bestOffset = candidate;
                    if (length == max) break;
                }
            }
            if (next == candidate) break;
            candidate = next;
        }
        return (bestOffset, bestLength);
    }
}
