using System.Globalization;
using System.Text;
using Imc.Formats.Mapi;

namespace Imc.Formats.Tnef;

/// <summary>
/// Writes a <see cref="MapiMessage"/> as one MS-OXTNEF stream: the legacy attributes old readers use, the recipient
/// table, every message property in attMsgProps, then every attachment (embedded messages as nested TNEF streams in
/// PR_ATTACH_DATA_OBJ). Attachment data is streamed from <see cref="BinaryContent"/>; lengths are computed by a
/// counting pass first, so the output may be a non-seekable stream. The output is deterministic: the legacy key is
/// fixed and the legacy attDate* attributes carry the UTC time (the spec says local time; a fixed zone keeps the
/// bytes independent of the machine).
/// </summary>
public sealed class TnefWriter
{
    /// <summary>The legacy attachment key every stream we write carries (readers ignore it; fixed for determinism).</summary>
    public const ushort LegacyKey = 0x0001;

    private const int MaxDepth = 32;

    static TnefWriter() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private readonly TnefSink _sink;
    private readonly Encoding _ansi;
    private readonly int _depth;

    private TnefWriter(TnefSink sink, MapiMessage message, int depth)
    {
        _sink = sink;
        _ansi = AnsiEncoding(message.CodePage);
        _depth = depth;
    }

    /// <summary>Writes <paramref name="message"/> to <paramref name="output"/> (which is flushed, not closed).</summary>
    public static void Write(MapiMessage message, Stream output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        using var buffered = new BufferedStream(new NonClosingStream(output), 65536);
        new TnefWriter(new TnefSink(buffered), message, 0).WriteMessage(message);
        buffered.Flush();
    }

    /// <summary>Writes <paramref name="message"/> to a new file at <paramref name="path"/>.</summary>
    public static void WriteFile(MapiMessage message, string path)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        Write(message, file);
        file.Flush(flushToDisk: true);
    }

    /// <summary>The exact number of bytes <see cref="Write"/> produces, computed without reading attachment data.</summary>
    public static long MeasureLength(MapiMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Measure(message, 0);
    }

    private static long Measure(MapiMessage message, int depth)
    {
        var sink = new TnefSink(null);
        new TnefWriter(sink, message, depth).WriteMessage(message);
        return sink.Count;
    }

    internal static Encoding AnsiEncoding(int codePage)
    {
        try
        {
            return Encoding.GetEncoding(codePage);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"The message code page {codePage} is not a code page .NET can encode.", nameof(codePage), e);
        }
    }

    private void WriteMessage(MapiMessage m)
    {
        if (_depth > MaxDepth) throw new InvalidOperationException($"Embedded messages are nested more than {MaxDepth} deep.");
        _sink.U32(TnefAttribute.Signature);
        _sink.U16(LegacyKey);
        Attribute(TnefAttribute.LevelMessage, TnefAttribute.TnefVersion, s => s.U32(0x00010000));
        Attribute(TnefAttribute.LevelMessage, TnefAttribute.OemCodepage, s => { s.U32((uint)m.CodePage); s.U32(0); });

        var p = m.Properties;
        if (StringOf(p, PropTags.MessageClass) is { } cls)
            Attribute(TnefAttribute.LevelMessage, TnefAttribute.MessageClass, s => AnsiZ(s, cls));
        if (StringOf(p, PropTags.SenderName) is { } fromName && StringOf(p, PropTags.SenderAddrType) is { } fromType
            && StringOf(p, PropTags.SenderEmailAddress) is { } fromAddr)
            Attribute(TnefAttribute.LevelMessage, TnefAttribute.From, s => Triple(s, fromName, fromType + ":" + fromAddr));
        if (StringOf(p, PropTags.Subject) is { } subject)
            Attribute(TnefAttribute.LevelMessage, TnefAttribute.Subject, s => AnsiZ(s, subject));
        LegacyDate(TnefAttribute.LevelMessage, TnefAttribute.DateSent, p, PropTags.ClientSubmitTime);
        LegacyDate(TnefAttribute.LevelMessage, TnefAttribute.DateReceived, p, PropTags.MessageDeliveryTime);
        LegacyDate(TnefAttribute.LevelMessage, TnefAttribute.DateModified, p, PropTags.LastModificationTime);
        if (p.Find(PropTags.SearchKey)?.Value is byte[] searchKey)
            Attribute(TnefAttribute.LevelMessage, TnefAttribute.MessageId, s => AnsiZ(s, Convert.ToHexString(searchKey)));
        if (p.Find(PropTags.Importance)?.Value is int importance and >= 0 and <= 2)
            Attribute(TnefAttribute.LevelMessage, TnefAttribute.Priority, s => s.U16((ushort)(3 - importance)));
        if (StringOf(p, PropTags.Body) is { } body)
            Attribute(TnefAttribute.LevelMessage, TnefAttribute.Body, s => AnsiZ(s, body));

        if (m.Recipients.Count > 0)
            Attribute(TnefAttribute.LevelMessage, TnefAttribute.RecipientTable, s =>
            {
                s.U32((uint)m.Recipients.Count);
                foreach (var r in m.Recipients) PropertyList(s, r.Properties, null);
            });
        Attribute(TnefAttribute.LevelMessage, TnefAttribute.MsgProps, s => PropertyList(s, p, null));

        foreach (var a in m.Attachments) WriteAttachment(a);
    }

    private void WriteAttachment(MapiAttachment a)
    {
        const byte L = TnefAttribute.LevelAttachment;
        var p = a.Properties;
        var ole = a.EmbeddedMessage is null && a.Method == AttachMethod.Ole;
        Attribute(L, TnefAttribute.AttachRenderData, s =>
        {
            s.U16((ushort)(ole ? 2 : 1));
            s.U32(p.Find(PropTags.RenderingPosition)?.Value is int pos ? (uint)pos : 0xFFFFFFFF);
            s.U16(32);
            s.U16(32);
            s.U32(0);
        });
        if ((StringOf(p, PropTags.AttachFilename) ?? StringOf(p, PropTags.AttachLongFilename)) is { } title)
            Attribute(L, TnefAttribute.AttachTitle, s => AnsiZ(s, title));
        LegacyDate(L, TnefAttribute.AttachCreateDate, p, PropTags.CreationTime);
        LegacyDate(L, TnefAttribute.AttachModifyDate, p, PropTags.LastModificationTime);
        if (a.EmbeddedMessage is null && !ole && a.Data is { } data)
            Attribute(L, TnefAttribute.AttachData, s => s.Content(data));
        Attribute(L, TnefAttribute.Attachment, s => PropertyList(s, p, a));
    }

    /// <summary>Writes one attribute: a counting pass gives its length, then header, data and checksum.</summary>
    private void Attribute(byte level, uint id, Action<TnefSink> body)
    {
        var counter = new TnefSink(null);
        body(counter);
        var length = counter.Count;
        if (length > uint.MaxValue)
            throw new InvalidOperationException($"{TnefAttribute.NameOf(id)} would be {length} bytes; a TNEF attribute holds at most {uint.MaxValue}.");
        if (_sink.Counting) { _sink.Skip(1 + 4 + 4 + length + 2); return; }
        _sink.U8(level);
        _sink.U32(id);
        _sink.U32((uint)length);
        _sink.ResetChecksum();
        var before = _sink.Count;
        body(_sink);
        if (_sink.Count - before != length)
            throw new InvalidOperationException($"{TnefAttribute.NameOf(id)} wrote {_sink.Count - before} bytes after measuring {length}; the message changed while it was written.");
        _sink.U16(_sink.Checksum);
    }

    private void LegacyDate(byte level, uint id, PropertyBag p, PropTag tag)
    {
        if (p.Find(tag)?.Value is not DateTime d) return;
        Attribute(level, id, s =>
        {
            s.U16((ushort)d.Year);
            s.U16((ushort)d.Month);
            s.U16((ushort)d.Day);
            s.U16((ushort)d.Hour);
            s.U16((ushort)d.Minute);
            s.U16((ushort)d.Second);
            s.U16((ushort)d.DayOfWeek);
        });
    }

    private static string? StringOf(PropertyBag p, PropTag tag) => p.Find(tag)?.Value as string;

    private void AnsiZ(TnefSink s, string value)
    {
        s.Write(_ansi.GetBytes(value));
        s.U8(0);
    }

    /// <summary>attFrom's TRP: a one-off triple (display name, "TYPE:address"), then an all-zero terminator.</summary>
    private void Triple(TnefSink s, string name, string address)
    {
        var n = Padded(_ansi.GetBytes(name));
        var a = Padded(_ansi.GetBytes(address));
        s.U16(0x0004); // TRPidOneOff
        s.U16((ushort)(8 + n.Length + a.Length + 8));
        s.U16((ushort)n.Length);
        s.U16((ushort)a.Length);
        s.Write(n);
        s.Write(a);
        s.U64(0);

        static byte[] Padded(byte[] text)
        {
            var length = (text.Length + 1 + 1) & ~1; // NUL, then to an even size
            var result = new byte[length];
            text.CopyTo(result, 0);
            return result;
        }
    }

    /// <summary>A property list; for an attachment, its data object (embedded message or OLE storage) comes last.</summary>
    private void PropertyList(TnefSink s, PropertyBag bag, MapiAttachment? attachment)
    {
        var withObject = attachment is not null && (attachment.EmbeddedMessage is not null || (attachment.Method == AttachMethod.Ole && attachment.Data is not null));
        var props = WrittenProperties(bag);
        s.U32((uint)(props.Count + (withObject ? 1 : 0)));
        foreach (var prop in props) Property(s, prop);
        if (!withObject) return;
        s.U32(PropTags.AttachDataObj.Value);
        s.U32(1);
        if (attachment!.EmbeddedMessage is { } embedded)
        {
            var length = s.Counting ? Measure(embedded, _depth + 1) : MeasureLength(embedded, _depth + 1);
            ObjectHeader(s, PropertySets.IidMessage, length);
            if (s.Counting) s.Skip(length);
            else
            {
                using var nested = new SinkStream(s);
                new TnefWriter(new TnefSink(nested), embedded, _depth + 1).WriteMessage(embedded);
            }
            s.Pad(16 + length);
        }
        else
        {
            var data = attachment.Data!;
            ObjectHeader(s, PropertySets.IidStorage, data.Length);
            s.Content(data);
            s.Pad(16 + data.Length);
        }
    }

    /// <summary>
    /// The properties of a bag as they are written. A multi-valued property with no values is left out: MAPI treats
    /// it as absent, and MimeKit and ytnef reject a value count of 0. If the list would end with a multi-valued
    /// property, the last single-valued one is moved to the end, because ytnef 2.0 cannot read a list that ends with
    /// a multi-valued property. Both rules are deterministic.
    /// </summary>
    internal static List<MapiProperty> WrittenProperties(PropertyBag bag)
    {
        var list = new List<MapiProperty>(bag.Count);
        foreach (var p in bag)
            if (!(p.Tag.IsMultiValued && ((Array)p.Value).Length == 0)) list.Add(p);
        if (list.Count > 1 && list[^1].Tag.IsMultiValued)
        {
            var i = list.FindLastIndex(p => !p.Tag.IsMultiValued);
            if (i >= 0)
            {
                var single = list[i];
                list.RemoveAt(i);
                list.Add(single);
            }
        }
        return list;
    }

    private static long MeasureLength(MapiMessage message, int depth) => Measure(message, depth);

    private static void ObjectHeader(TnefSink s, Guid iid, long length)
    {
        if (16 + length > uint.MaxValue) throw new InvalidOperationException($"An attachment object of {length} bytes is too large for TNEF.");
        s.U32((uint)(16 + length));
        s.Guid(iid);
    }

    private void Property(TnefSink s, MapiProperty prop)
    {
        s.U32(prop.Tag.Value);
        if (prop.Tag.IsNamed)
        {
            var name = prop.Name!;
            s.Guid(name.PropertySet);
            if (name.IsString)
            {
                var bytes = Encoding.Unicode.GetBytes(name.Name + "\0");
                s.U32(1);
                s.U32((uint)bytes.Length);
                s.Write(bytes);
                s.Pad(bytes.Length);
            }
            else
            {
                s.U32(0);
                s.U32(name.Id!.Value);
            }
        }
        var type = prop.Tag.ValueType;
        if (prop.Tag.IsMultiValued)
        {
            var values = (Array)prop.Value;
            s.U32((uint)values.Length);
            foreach (var v in values) Value(s, type, v!);
        }
        else
        {
            if (IsVariable(type)) s.U32(1);
            Value(s, type, prop.Value);
        }
    }

    internal static bool IsVariable(PropType type) => type is PropType.String8 or PropType.Unicode or PropType.Binary or PropType.Object;

    private void Value(TnefSink s, PropType type, object v)
    {
        switch (type)
        {
            case PropType.Short: s.U16((ushort)(short)v); s.U16(0); break;
            case PropType.Boolean: s.U16((ushort)((bool)v ? 1 : 0)); s.U16(0); break;
            case PropType.Long or PropType.Error: s.U32((uint)(int)v); break;
            case PropType.Float: s.U32(BitConverter.SingleToUInt32Bits((float)v)); break;
            case PropType.Double or PropType.AppTime: s.U64(BitConverter.DoubleToUInt64Bits((double)v)); break;
            case PropType.Currency or PropType.I8: s.U64((ulong)(long)v); break;
            case PropType.SysTime: s.U64((ulong)ToFileTime((DateTime)v)); break;
            case PropType.Clsid: s.Guid((Guid)v); break;
            case PropType.String8: Counted(s, [.. _ansi.GetBytes((string)v), 0]); break;
            case PropType.Unicode: Counted(s, Encoding.Unicode.GetBytes((string)v + "\0")); break;
            case PropType.Binary: Counted(s, (byte[])v); break;
            case PropType.Object:
                var o = (MapiObject)v;
                s.U32((uint)(16 + o.Data.Length));
                s.Guid(o.Iid);
                s.Write(o.Data);
                s.Pad(16 + o.Data.Length);
                break;
            default:
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Property type 0x{(ushort)type:X4} cannot be written to TNEF."));
        }
    }

    private static void Counted(TnefSink s, byte[] bytes)
    {
        s.U32((uint)bytes.Length);
        s.Write(bytes);
        s.Pad(bytes.Length);
    }

    /// <summary>FILETIME ticks (100 ns since 1601-01-01 UTC); plain arithmetic so no DateTime is ever rejected.</summary>
    internal static long ToFileTime(DateTime d) => d.Ticks - FileTimeEpochTicks;

    internal const long FileTimeEpochTicks = 504911232000000000L;

    /// <summary>A write-only stream into a sink, for nested (embedded) TNEF streams.</summary>
    private sealed class SinkStream(TnefSink sink) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => sink.Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => sink.Write(buffer);
    }

    /// <summary>Lets the writer dispose its buffer without closing the caller's stream.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}
