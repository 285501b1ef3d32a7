using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using Imc.Formats.Mapi;

namespace Imc.Server.Store;

/// <summary>
/// The private encoding of one property bag as ONE blob, so that reading an object costs one column, not one
/// query per property. All integers are little-endian; "varint" is an unsigned LEB128.
/// <code>
/// blob     = version:u8 (=1) count:varint property*
/// property = tag:u32 value          (tag of a named property carries the store's mapped id, see NamedPropertyMap)
/// value    = PT_SHORT i16 | PT_LONG, PT_ERROR i32 | PT_FLOAT f32 | PT_DOUBLE, PT_APPTIME f64 | PT_CURRENCY, PT_I8 i64
///          | PT_BOOLEAN u8 | PT_SYSTIME i64 (DateTime.Ticks, UTC) | PT_CLSID 16 bytes (Guid.ToByteArray)
///          | PT_BINARY len:varint bytes | PT_OBJECT iid:16 bytes len:varint bytes
///          | PT_STRING8, PT_UNICODE hdr:varint bytes   (hdr = byteLength*2 + form; form 0 = UTF-8,
///                                                     1 = UTF-16LE, used only for strings with lone surrogates)
///          | multi-valued: count:varint value*       (the single-valued encoding of each element)
/// </code>
/// </summary>
internal static class PropertyCodec
{
    private const byte FormatVersion = 1;

    /// <summary>Encodes <paramref name="properties"/>; <paramref name="mapNamed"/> gives the store id of a named property.</summary>
    public static byte[] Encode(IEnumerable<MapiProperty> properties, Func<PropertyName, ushort> mapNamed)
    {
        var w = new BlobWriter(256);
        w.Byte(FormatVersion);
        var list = properties as IReadOnlyCollection<MapiProperty> ?? properties.ToList();
        w.VarInt((ulong)list.Count);
        foreach (var p in list)
        {
            var tag = p.Name is null ? p.Tag : new PropTag(mapNamed(p.Name), p.Tag.Type);
            w.UInt32(tag.Value);
            if (tag.IsMultiValued)
            {
                var array = (Array)p.Value;
                w.VarInt((ulong)array.Length);
                foreach (var element in array) WriteValue(ref w, tag.ValueType, element!);
            }
            else
            {
                WriteValue(ref w, tag.Type, p.Value);
            }
        }
        return w.ToArray();
    }

    /// <summary>Decodes a blob made by <see cref="Encode"/>; <paramref name="nameOf"/> resolves a store id to its name.</summary>
    public static void Decode(ReadOnlySpan<byte> blob, PropertyBag into, Func<ushort, PropertyName> nameOf)
    {
        var r = new BlobReader(blob);
        var version = r.Byte();
        if (version != FormatVersion)
            throw new ServerException($"A property blob in the information store has format {version}; this program reads format {FormatVersion}.", "The store was written by a newer version; use that version.");
        var count = (int)r.VarInt();
        for (var i = 0; i < count; i++)
        {
            var tag = new PropTag(r.UInt32());
            object value;
            if (tag.IsMultiValued)
            {
                var n = (int)r.VarInt();
                var array = Array.CreateInstance(MapiValues.ClrTypeOf(tag.ValueType), n);
                for (var j = 0; j < n; j++) array.SetValue(ReadValue(ref r, tag.ValueType), j);
                value = array;
            }
            else
            {
                value = ReadValue(ref r, tag.Type);
            }
            into.Set(new MapiProperty(tag, value, tag.IsNamed ? nameOf(tag.Id) : null));
        }
        if (!r.AtEnd) throw new ServerException($"A property blob in the information store has {r.Remaining} bytes after its {count} properties.");
    }

    private static void WriteValue(ref BlobWriter w, PropType type, object value)
    {
        switch (type)
        {
            case PropType.Short: w.Int16((short)value); break;
            case PropType.Long or PropType.Error: w.UInt32((uint)(int)value); break;
            case PropType.Float: w.UInt32((uint)BitConverter.SingleToInt32Bits((float)value)); break;
            case PropType.Double or PropType.AppTime: w.Int64(BitConverter.DoubleToInt64Bits((double)value)); break;
            case PropType.Currency or PropType.I8: w.Int64((long)value); break;
            case PropType.Boolean: w.Byte((bool)value ? (byte)1 : (byte)0); break;
            case PropType.SysTime: w.Int64(((DateTime)value).Ticks); break;
            case PropType.Clsid: w.Guid((Guid)value); break;
            case PropType.Binary: w.Bytes((byte[])value); break;
            case PropType.Object:
                var o = (MapiObject)value;
                w.Guid(o.Iid);
                w.Bytes(o.Data);
                break;
            case PropType.String8 or PropType.Unicode: w.String((string)value); break;
            default: throw new ArgumentException($"Property type 0x{(ushort)type:X4} cannot be stored.", nameof(type));
        }
    }

    private static object ReadValue(ref BlobReader r, PropType type) => type switch
    {
        PropType.Short => r.Int16(),
        PropType.Long or PropType.Error => (int)r.UInt32(),
        PropType.Float => BitConverter.Int32BitsToSingle((int)r.UInt32()),
        PropType.Double or PropType.AppTime => BitConverter.Int64BitsToDouble(r.Int64()),
        PropType.Currency or PropType.I8 => r.Int64(),
        PropType.Boolean => r.Byte() != 0,
        PropType.SysTime => new DateTime(r.Int64(), DateTimeKind.Utc),
        PropType.Clsid => r.Guid(),
        PropType.Binary => r.Bytes().ToArray(),
        PropType.Object => new MapiObject(r.Guid(), r.Bytes().ToArray()),
        PropType.String8 or PropType.Unicode => r.String(),
        _ => throw new ServerException($"A property blob in the information store has a value of unknown type 0x{(ushort)type:X4}."),
    };

    private struct BlobWriter(int capacity)
    {
        private byte[] _buffer = new byte[capacity];
        private int _length;

        public readonly byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

        private Span<byte> Take(int n)
        {
            if (_length + n > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + n));
            var span = _buffer.AsSpan(_length, n);
            _length += n;
            return span;
        }

        public void Byte(byte b) => Take(1)[0] = b;
        public void Int16(short v) => BinaryPrimitives.WriteInt16LittleEndian(Take(2), v);
        public void UInt32(uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), v);
        public void Int64(long v) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), v);
        public void Guid(Guid g) => g.TryWriteBytes(Take(16));

        public void VarInt(ulong v)
        {
            while (v >= 0x80)
            {
                Byte((byte)(v | 0x80));
                v >>= 7;
            }
            Byte((byte)v);
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            VarInt((ulong)bytes.Length);
            bytes.CopyTo(Take(bytes.Length));
        }

        public void String(string s)
        {
            var max = Encoding.UTF8.GetMaxByteCount(s.Length);
            Span<byte> scratch = max <= 1024 ? stackalloc byte[max] : new byte[max];
            if (Utf8.FromUtf16(s, scratch, out _, out var written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done)
            {
                VarInt((ulong)written * 2);
                scratch[..written].CopyTo(Take(written));
            }
            else
            {
                // Lone surrogates have no UTF-8 form: keep the exact UTF-16 code units.
                var utf16 = System.Runtime.InteropServices.MemoryMarshal.AsBytes(s.AsSpan());
                VarInt((ulong)utf16.Length * 2 + 1);
                var target = Take(utf16.Length);
                for (var i = 0; i < s.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(target[(i * 2)..], s[i]);
            }
        }
    }

    private ref struct BlobReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _pos;

        public readonly bool AtEnd => _pos == _data.Length;
        public readonly int Remaining => _data.Length - _pos;

        private ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || _pos + n > _data.Length)
                throw new ServerException($"A property blob in the information store is truncated at byte {_pos} (needs {n} more of {_data.Length}).");
            var span = _data.Slice(_pos, n);
            _pos += n;
            return span;
        }

        public byte Byte() => Take(1)[0];
        public short Int16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));
        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
        public Guid Guid() => new(Take(16));

        public ulong VarInt()
        {
            ulong v = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                v |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return v;
            }
            throw new ServerException($"A property blob in the information store has an overlong number at byte {_pos}.");
        }

        public ReadOnlySpan<byte> Bytes() => Take(checked((int)VarInt()));

        public string String()
        {
            var header = VarInt();
            var bytes = Take(checked((int)(header / 2)));
            if ((header & 1) == 0) return Encoding.UTF8.GetString(bytes);
            var chars = new char[bytes.Length / 2];
            for (var i = 0; i < chars.Length; i++) chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]);
            return new string(chars);
        }
    }
}
