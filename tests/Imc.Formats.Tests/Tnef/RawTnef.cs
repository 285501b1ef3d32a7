using System.Buffers.Binary;
using Imc.Formats.Tnef;

namespace Imc.Formats.Tests.Tnef;

/// <summary>Builds TNEF byte streams attribute by attribute, for hand-made and damaged inputs.</summary>
internal sealed class RawTnef
{
    private readonly MemoryStream _ms = new();

    public RawTnef(bool header = true)
    {
        if (header) _ms.Write([0x78, 0x9F, 0x3E, 0x22, 0x01, 0x00]);
    }

    public RawTnef Attr(byte level, uint id, byte[] data, int? checksum = null, uint? length = null)
    {
        Span<byte> h = stackalloc byte[9];
        h[0] = level;
        BinaryPrimitives.WriteUInt32LittleEndian(h[1..], id);
        BinaryPrimitives.WriteUInt32LittleEndian(h[5..], length ?? (uint)data.Length);
        _ms.Write(h);
        _ms.Write(data);
        var sum = checksum ?? data.Sum(b => b);
        _ms.Write([(byte)sum, (byte)(sum >> 8)]);
        return this;
    }

    public RawTnef Bytes(byte[] b)
    {
        _ms.Write(b);
        return this;
    }

    public byte[] ToArray() => _ms.ToArray();

    public static byte[] Date(int y, int mo, int d, int h, int mi, int s)
    {
        var b = new byte[14];
        int[] v = [y, mo, d, h, mi, s, (int)new DateTime(y, mo, d).DayOfWeek];
        for (var i = 0; i < 7; i++) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 2), (ushort)v[i]);
        return b;
    }

    public static RawTnef Minimal() => new RawTnef()
        .Attr(1, TnefAttribute.TnefVersion, [0, 0, 1, 0])
        .Attr(1, TnefAttribute.OemCodepage, [0xE4, 0x04, 0, 0, 0, 0, 0, 0]);
}
