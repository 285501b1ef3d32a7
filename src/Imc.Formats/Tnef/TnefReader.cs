using System.Globalization;
using System.Text;
using Imc.Formats.Mapi;

namespace Imc.Formats.Tnef;

/// <summary>
/// Reads an MS-OXTNEF stream into a <see cref="MapiMessage"/>: attMsgProps, the recipient table, attachments
/// (embedded messages recursively), and the legacy attributes of old writers mapped to properties where no
/// encapsulated property gives the value. <see cref="ReadFile"/> never loads attachment data: it returns
/// <see cref="BinaryContent"/> over the file range, after checking the checksum by streaming through it once.
/// Damage gives a <see cref="TnefException"/> and nothing else; Loose mode turns recoverable problems into
/// <see cref="TnefReadOptions.Warnings"/>.
/// </summary>
public sealed class TnefReader
{
    static TnefReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly PropTag AttachDataObjId = PropTags.AttachDataObj;
    private const int MinimumAttributeSize = 1 + 4 + 4 + 2;

    private readonly TnefInput _in;
    private readonly TnefReadOptions _options;
    private readonly string? _path;
    private readonly ITnefObserver? _observer;

    private TnefReader(TnefInput input, TnefReadOptions options, string? path, ITnefObserver? observer)
    {
        _in = input;
        _options = options;
        _path = path;
        _observer = observer;
    }

    private bool Loose => _options.Mode == TnefComplianceMode.Loose;

    /// <summary>Reads a TNEF stream from its current position to its end. Attachment data is held in memory (up to
    /// <see cref="TnefReadOptions.MaxInMemoryAttachmentBytes"/> each); use <see cref="ReadFile"/> for large files.</summary>
    public static MapiMessage Read(Stream input, TnefReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Run(input, options ?? new TnefReadOptions(), null, null);
    }

    /// <summary>Reads a TNEF file; attachment data stays in the file (returned as file ranges).</summary>
    public static MapiMessage ReadFile(string path, TnefReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Run(file, options ?? new TnefReadOptions(), full, null);
    }

    /// <summary>
    /// Reads a TNEF file like <see cref="ReadFile(string, TnefReadOptions?)"/> and feeds every byte of the file, in
    /// order, to <paramref name="hash"/> on the way — a verifier checks structure and digest in one pass over the
    /// file instead of two. When reading fails, the rest of the file is still fed to the hash before the
    /// <see cref="TnefException"/> is thrown, so the caller can tell a damaged file (digest differs) from a
    /// well-hashed file we cannot read.
    /// </summary>
    public static MapiMessage ReadFile(string path, System.Security.Cryptography.IncrementalHash hash, TnefReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(hash);
        var full = Path.GetFullPath(path);
        using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var hashing = new HashingReadStream(file, hash);
        MapiMessage message;
        try
        {
            message = Run(hashing, options ?? new TnefReadOptions(), full, null);
        }
        catch (TnefException)
        {
            try
            {
                hashing.Drain();
            }
            catch (IOException)
            {
                // The TNEF error says more than a second read failure would.
            }
            throw;
        }
        hashing.Drain();
        return message;
    }

    /// <summary>Passes reads through and appends every byte read to a hash.</summary>
    private sealed class HashingReadStream(Stream inner, System.Security.Cryptography.IncrementalHash hash) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            hash.AppendData(buffer[..n]);
            return n;
        }

        /// <summary>Hashes whatever the reader left unread.</summary>
        public void Drain()
        {
            var rest = System.Buffers.ArrayPool<byte>.Shared.Rent(65536);
            try
            {
                int n;
                while ((n = inner.Read(rest)) > 0) hash.AppendData(rest.AsSpan(0, n));
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rest);
            }
        }

        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    internal static MapiMessage Run(Stream input, TnefReadOptions options, string? path, ITnefObserver? observer)
    {
        using var tnefInput = new TnefInput(input, path);
        var reader = new TnefReader(tnefInput, options, path, observer);
        try
        {
            return reader.ParseMessage(long.MaxValue, 0);
        }
        catch (IOException e)
        {
            throw new TnefException(TnefError.Truncated, reader._in.Position, $"reading failed: {e.Message}", path);
        }
    }

    // ---------------------------------------------------------------- stream and attributes

    private MapiMessage ParseMessage(long end, int depth)
    {
        if (depth > _options.MaxDepth)
            throw Error(TnefError.TooDeep, _in.Position, $"an embedded message is nested more than {_options.MaxDepth} levels deep");
        var start = _in.Position;
        _in.Context = "the TNEF signature";
        if (Left(end) is { } avail && avail < 6) throw _in.Truncated(6 - avail);
        var signature = _in.U32();
        if (signature != TnefAttribute.Signature)
            throw Error(TnefError.BadSignature, start, $"expected the TNEF signature 0x223E9F78 (bytes 78 9F 3E 22), found 0x{signature:X8}");
        _in.U16(); // legacy key: meaningless to readers

        var message = new MapiMessage();
        var state = new MessageState(message);
        AttachmentState? attachment = null;
        var count = 0;
        while (true)
        {
            var left = Left(end);
            if (left == 0 || (left is null && _in.AtEnd)) break;
            var offset = _in.Position;
            if (left is { } l && l < MinimumAttributeSize)
            {
                Trailing(offset, l, $"{l} byte{(l == 1 ? "" : "s")} of garbage after the last attribute (fewer than an attribute needs)");
                break;
            }
            _in.Context = "an attribute header";
            var level = _in.U8();
            if (level is not (TnefAttribute.LevelMessage or TnefAttribute.LevelAttachment))
            {
                if (count == 0 || !Loose)
                    throw Error(TnefError.BadLevel, offset, $"expected attribute level 1 (message) or 2 (attachment), found 0x{level:X2}");
                var rest = 1 + (left is { } r ? SkipBytes(r - 1) : _in.SkipToEnd());
                Warn(offset, $"{rest} bytes of garbage after the last attribute ignored (level byte 0x{level:X2} is neither 1 nor 2)");
                break;
            }
            var id = _in.U32();
            var length = _in.U32();
            var name = TnefAttribute.NameOf(id);
            var room = (left ?? _in.Remaining) is { } lim ? lim - MinimumAttributeSize : (long?)null;
            if (room is { } rm && length > rm)
                throw Error(depth == 0 ? TnefError.Truncated : TnefError.BadLength, offset,
                    $"{name} declares {length} data bytes but only {Math.Max(0, rm)} remain before the end of the {(depth == 0 ? "stream" : "embedded message")}");
            _observer?.Attribute(depth, level, id, offset, length);
            count++;
            if (count == 1 && id != TnefAttribute.TnefVersion)
                Deviation(TnefError.BadStructure, offset, $"expected attTnefVersion as the first attribute, found {name}");

            var dataStart = _in.Position;
            var dataEnd = dataStart + length;
            var sumBefore = _in.Sum;
            _in.AttributeContext(name, offset, length);

            if (level == TnefAttribute.LevelMessage)
                MessageAttribute(state, id, dataEnd, depth);
            else
            {
                if (id == TnefAttribute.AttachRenderData || attachment is null)
                {
                    if (id != TnefAttribute.AttachRenderData)
                        Deviation(TnefError.BadStructure, offset, $"expected attAttachRendData to start an attachment, found {name}");
                    attachment = new AttachmentState(new MapiAttachment()) { Ansi = state.Ansi };
                    message.Attachments.Add(attachment.Attachment);
                    state.Attachments.Add(attachment);
                }
                AttachmentAttribute(attachment, id, dataEnd, depth);
            }

            if (_in.Position > dataEnd)
                throw Error(TnefError.BadLength, dataStart, $"{name} holds more data than its length of {length} bytes");
            if (_in.Position < dataEnd) _in.Skip(dataEnd - _in.Position);
            var computed = (ushort)(_in.Sum - sumBefore);
            _in.ChecksumContext(name, offset);
            var stored = _in.U16();
            if (stored != computed)
                Deviation(TnefError.BadChecksum, dataEnd, $"{name} (attribute at offset {offset}) has checksum 0x{stored:X4}, expected 0x{computed:X4} (the sum of its {length} data bytes)");
        }
        if (count == 0) Deviation(TnefError.BadStructure, _in.Position, "the stream has no attributes; expected attTnefVersion");
        state.Finish();
        return message;
    }

    private long? Left(long end) => end == long.MaxValue ? _in.Remaining : end - _in.Position;

    private long SkipBytes(long n)
    {
        _in.Skip(n);
        return n;
    }

    private void Trailing(long offset, long count, string text)
    {
        if (!Loose) throw Error(TnefError.TrailingData, offset, text);
        _in.Skip(count);
        Warn(offset, text + "; ignored");
    }

    private TnefException Error(TnefError error, long offset, string detail) => new(error, offset, detail, _path);

    /// <summary>A problem Loose mode forgives: throws in Strict mode, records a warning in Loose mode.</summary>
    private void Deviation(TnefError error, long offset, string detail)
    {
        if (!Loose) throw Error(error, offset, detail);
        Warn(offset, detail);
    }

    private void Warn(long offset, string text)
    {
        _options.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"offset {offset} (0x{offset:X}): {text}"));
        _observer?.Warning(0, text);
    }

    private void Need(long count, long end)
    {
        if (_in.Position + count > end)
            throw Error(TnefError.BadLength, _in.Position, $"{_in.Context}: {count} bytes are needed here but the attribute ends {end - _in.Position} bytes further");
    }

    // ---------------------------------------------------------------- message-level attributes

    private void MessageAttribute(MessageState s, uint id, long end, int depth)
    {
        var length = end - _in.Position;
        switch (id)
        {
            case TnefAttribute.TnefVersion:
                if (length >= 4) Note(depth, $"0x{_in.U32():X8}");
                break;
            case TnefAttribute.OemCodepage:
                if (length < 4) { Deviation(TnefError.BadValue, _in.Position, $"attOemCodepage holds {length} bytes, expected 8"); break; }
                var offset = _in.Position;
                var cp = (int)_in.U32();
                Note(depth, cp.ToString(CultureInfo.InvariantCulture));
                try
                {
                    s.Ansi = Encoding.GetEncoding(cp);
                    s.Message.CodePage = cp;
                }
                catch (Exception e) when (e is ArgumentException or NotSupportedException)
                {
                    Deviation(TnefError.BadValue, offset, $"code page {cp} is not known; expected a Windows ANSI code page such as 1252 (decoding as 1252)");
                }
                break;
            case TnefAttribute.MessageClass:
            case TnefAttribute.OriginalMessageClass:
            case TnefAttribute.Subject:
            case TnefAttribute.MessageId:
            case TnefAttribute.ParentId:
            case TnefAttribute.ConversationId:
            case TnefAttribute.Body:
                var text = s.Ansi.GetString(_in.Bytes(length)).TrimEnd('\0');
                s.Legacy[id] = text;
                Note(depth, Quote(text));
                break;
            case TnefAttribute.DateSent:
            case TnefAttribute.DateReceived:
            case TnefAttribute.DateModified:
                if (ReadDate(end) is { } date)
                {
                    s.Dates[id] = date;
                    Note(depth, MapiValues.Format(date));
                }
                break;
            case TnefAttribute.Priority:
                if (length >= 2)
                {
                    var priority = _in.U16();
                    s.Priority = priority;
                    Note(depth, priority.ToString(CultureInfo.InvariantCulture));
                }
                break;
            case TnefAttribute.From:
                ReadTriple(s, end, depth);
                break;
            case TnefAttribute.RecipientTable:
                ReadRecipientTable(s.Message, end, depth, s.Ansi);
                break;
            case TnefAttribute.MsgProps:
                ReadPropertyList(s.Message.Properties, end, depth, s.Ansi, null);
                break;
        }
    }

    private void Note(int depth, string text) => _observer?.AttributeValue(depth, text);

    private static string Quote(string s) => "\"" + (s.Length > 200 ? s[..200] + "…" : s).ReplaceLineEndings("\\n") + "\"";

    private DateTime? ReadDate(long end)
    {
        var offset = _in.Position;
        if (end - offset < 14)
        {
            Deviation(TnefError.BadValue, offset, $"{_in.Context}: a date needs 14 bytes, found {end - offset}");
            return null;
        }
        int y = _in.U16(), mo = _in.U16(), d = _in.U16(), h = _in.U16(), mi = _in.U16(), se = _in.U16();
        _in.U16(); // day of week: derived
        if (y is < 1 or > 9999 || mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo) || h > 23 || mi > 59 || se > 59)
        {
            Deviation(TnefError.BadValue, offset, $"{_in.Context}: {y:D4}-{mo:D2}-{d:D2} {h:D2}:{mi:D2}:{se:D2} is not a valid date");
            return null;
        }
        // attDate* is local time of the writer; we have no zone, so it is taken as UTC (our writer writes UTC).
        return new DateTime(y, mo, d, h, mi, se, DateTimeKind.Utc);
    }

    private void ReadTriple(MessageState s, long end, int depth)
    {
        var offset = _in.Position;
        if (end - offset < 8) { Deviation(TnefError.BadValue, offset, $"attFrom holds {end - offset} bytes, expected at least 8"); return; }
        _in.U16(); // TRPid
        _in.U16(); // structure length
        int nameLength = _in.U16(), addressLength = _in.U16();
        if (nameLength + addressLength > end - _in.Position)
        {
            Deviation(TnefError.BadLength, offset, $"attFrom names {nameLength} + {addressLength} bytes but holds {end - _in.Position} after its header");
            return;
        }
        s.FromName = s.Ansi.GetString(_in.Bytes(nameLength)).TrimEnd('\0');
        s.FromAddress = s.Ansi.GetString(_in.Bytes(addressLength)).TrimEnd('\0');
        Note(depth, $"{Quote(s.FromName)} <{s.FromAddress}>");
    }

    private void ReadRecipientTable(MapiMessage message, long end, int depth, Encoding ansi)
    {
        Need(4, end);
        var rows = _in.U32();
        for (uint i = 0; i < rows; i++)
        {
            if (_in.Position + 4 > end)
                throw Error(TnefError.BadLength, _in.Position, $"attRecipTable announces {rows} rows but its data ends after {i}");
            _observer?.Row(depth, (int)i, _in.Position);
            var recipient = new MapiRecipient();
            ReadPropertyList(recipient.Properties, end, depth, ansi, null);
            message.Recipients.Add(recipient);
        }
    }

    // ---------------------------------------------------------------- attachment-level attributes

    private void AttachmentAttribute(AttachmentState a, uint id, long end, int depth)
    {
        var length = end - _in.Position;
        var ansi = a.Ansi;
        switch (id)
        {
            case TnefAttribute.AttachRenderData:
                if (length >= 6)
                {
                    a.RenderType = _in.U16();
                    a.RenderPosition = _in.U32();
                    Note(depth, $"type {a.RenderType}, position 0x{a.RenderPosition:X8}");
                }
                break;
            case TnefAttribute.AttachTitle:
                a.Title = ansi.GetString(_in.Bytes(length)).TrimEnd('\0');
                Note(depth, Quote(a.Title));
                break;
            case TnefAttribute.AttachTransportFilename:
                a.TransportName = ansi.GetString(_in.Bytes(length)).TrimEnd('\0');
                Note(depth, Quote(a.TransportName));
                break;
            case TnefAttribute.AttachCreateDate:
                a.Created = ReadDate(end);
                break;
            case TnefAttribute.AttachModifyDate:
                a.Modified = ReadDate(end);
                break;
            case TnefAttribute.AttachMetaFile:
                a.MetaFile = _in.Bytes(length);
                Note(depth, $"{length} bytes");
                break;
            case TnefAttribute.AttachData:
                a.LegacyData = Content(length);
                Note(depth, $"{length} bytes");
                break;
            case TnefAttribute.Attachment:
                a.SawProperties = true;
                ReadPropertyList(a.Attachment.Properties, end, depth, ansi, a);
                break;
        }
    }

    /// <summary>Data that may be large: a file range when reading a file (checksummed by streaming), else bytes.</summary>
    private BinaryContent Content(long length)
    {
        if (_path is not null)
        {
            var offset = _in.Position;
            _in.Skip(length);
            return BinaryContent.FromFile(_path, offset, length);
        }
        if (length > _options.MaxInMemoryAttachmentBytes)
            throw Error(TnefError.BadLength, _in.Position, $"{_in.Context}: {length} bytes of attachment data exceed the in-memory limit of {_options.MaxInMemoryAttachmentBytes}; read the file with TnefReader.ReadFile");
        return BinaryContent.FromBytes(_in.Bytes(length));
    }

    // ---------------------------------------------------------------- property lists

    private void ReadPropertyList(PropertyBag bag, long end, int depth, Encoding ansi, AttachmentState? attachment)
    {
        var listContext = _in.Context;
        Need(4, end);
        var count = _in.U32();
        for (uint i = 0; i < count; i++)
        {
            if (_in.Position + 4 > end)
                throw Error(TnefError.BadLength, _in.Position, $"{listContext}: the property list announces {count} properties but the data ends after {i}");
            _in.Context = listContext;
            if (!ReadProperty(bag, end, depth, ansi, attachment)) return;
        }
    }

    /// <summary>Reads one property; false when the rest of the list cannot be parsed (Loose mode only).</summary>
    private bool ReadProperty(PropertyBag bag, long end, int depth, Encoding ansi, AttachmentState? attachment)
    {
        var offset = _in.Position;
        var tag = new PropTag(_in.U32());
        PropertyName? name = null;
        if (tag.IsNamed)
        {
            Need(20, end);
            var set = _in.Guid();
            var kind = _in.U32();
            if (kind == 0) name = PropertyName.FromId(set, _in.U32());
            else if (kind == 1)
            {
                Need(4, end);
                var nameLength = _in.U32();
                Need(nameLength, end);
                var text = Encoding.Unicode.GetString(_in.Bytes(nameLength)).TrimEnd('\0');
                SkipPadding(nameLength, end);
                name = PropertyName.FromName(set, text);
            }
            else throw Error(TnefError.BadValue, offset + 20, $"named property {tag}: expected name kind 0 (MNID_ID) or 1 (MNID_STRING), found {kind}");
        }
        _in.PropertyContext(tag, name, offset);
        var type = tag.ValueType;
        if (!IsSupported(type))
        {
            var detail = $"property {Describe(tag, name)} has type 0x{(ushort)tag.Type:X4}, which has no TNEF encoding this reader knows";
            if (!Loose) throw Error(TnefError.UnsupportedPropertyType, offset, detail);
            Warn(offset, detail + "; the rest of the property list is skipped");
            _in.Skip(end - _in.Position);
            return false;
        }

        if (attachment is not null && tag.Id == AttachDataObjId.Id && type is PropType.Object or PropType.Binary && !tag.IsMultiValued)
        {
            ReadAttachmentData(attachment, tag, end, depth);
            return true;
        }

        var variable = TnefWriter.IsVariable(type);
        uint count = 1;
        if (tag.IsMultiValued || variable)
        {
            Need(4, end);
            count = _in.U32();
            if (count > (end - _in.Position) / 4)
                throw Error(TnefError.BadLength, _in.Position - 4, $"{_in.Context}: {count} values announced but the attribute has room for at most {(end - _in.Position) / 4}");
            if (!tag.IsMultiValued && count != 1)
                Deviation(TnefError.BadValue, _in.Position - 4, $"{_in.Context}: a single-valued property must have a value count of 1, found {count}");
        }

        // Grown as values are read, not sized by the count: on a non-seekable stream the attribute's end is only
        // declared, and a count of millions must not allocate before the data backs it.
        var values = new List<object?>((int)Math.Min(count, 64));
        var bad = false;
        for (var i = 0; i < count; i++)
        {
            var v = ReadValue(type, end, ansi);
            values.Add(v);
            bad |= v is null;
        }
        if (bad) return true; // a bad value was reported (Loose): the property is dropped, the list goes on
        object value;
        if (tag.IsMultiValued)
        {
            var array = Array.CreateInstance(MapiValues.ClrTypeOf(type), count);
            for (var i = 0; i < count; i++) array.SetValue(values[i], i);
            value = array;
        }
        else if (count == 0)
        {
            Deviation(TnefError.BadValue, offset, $"{_in.Context}: no value");
            return true;
        }
        else value = values[0]!;
        var property = new MapiProperty(tag, value, name);
        _observer?.Property(depth, offset, tag, name, MapiValues.Format(value));
        bag.Set(property);
        return true;
    }

    private static bool IsSupported(PropType t) => t is PropType.Short or PropType.Long or PropType.Float or PropType.Double
        or PropType.Currency or PropType.AppTime or PropType.Error or PropType.Boolean or PropType.Object or PropType.I8
        or PropType.String8 or PropType.Unicode or PropType.SysTime or PropType.Clsid or PropType.Binary;

    internal static string Describe(PropTag tag, PropertyName? name) =>
        name is not null ? $"{name} ({tag})" : PropTags.NameOf(tag) is { } n ? $"{n} ({tag})" : tag.ToString();

    private void SkipPadding(long size, long end)
    {
        var pad = (4 - (size & 3)) & 3;
        if (pad == 0) return;
        if (_in.Position + pad > end)
        {
            Deviation(TnefError.BadLength, _in.Position, $"{_in.Context}: {pad} padding bytes are missing at the end of the attribute");
            _in.Skip(end - _in.Position);
            return;
        }
        _in.Skip(pad);
    }

    /// <summary>One value; null when it is invalid and Loose mode skips it.</summary>
    private object? ReadValue(PropType type, long end, Encoding ansi)
    {
        switch (type)
        {
            case PropType.Short:
                Need(4, end);
                var s = (short)_in.U16();
                _in.U16();
                return s;
            case PropType.Boolean:
                Need(4, end);
                var b = _in.U16() != 0;
                _in.U16();
                return b;
            case PropType.Long or PropType.Error:
                Need(4, end);
                return (int)_in.U32();
            case PropType.Float:
                Need(4, end);
                return BitConverter.UInt32BitsToSingle(_in.U32());
            case PropType.Double or PropType.AppTime:
                Need(8, end);
                return BitConverter.UInt64BitsToDouble(_in.U64());
            case PropType.Currency or PropType.I8:
                Need(8, end);
                return (long)_in.U64();
            case PropType.SysTime:
                Need(8, end);
                var at = _in.Position;
                var ft = (long)_in.U64();
                if (ft > DateTime.MaxValue.Ticks - TnefWriter.FileTimeEpochTicks || ft < -TnefWriter.FileTimeEpochTicks)
                {
                    Deviation(TnefError.BadValue, at, $"{_in.Context}: FILETIME 0x{ft:X16} is outside the years 1–9999");
                    return null;
                }
                return new DateTime(ft + TnefWriter.FileTimeEpochTicks, DateTimeKind.Utc);
            case PropType.Clsid:
                Need(16, end);
                return _in.Guid();
            default:
                Need(4, end);
                var size = _in.U32();
                Need(size, end);
                object result;
                if (type == PropType.Object)
                {
                    if (size < 16) throw Error(TnefError.BadValue, _in.Position - 4, $"{_in.Context}: a PT_OBJECT value of {size} bytes cannot hold its 16-byte interface id");
                    var iid = _in.Guid();
                    result = new MapiObject(iid, _in.Bytes(size - 16));
                }
                else
                {
                    var bytes = _in.Bytes(size);
                    result = type switch
                    {
                        PropType.String8 => ansi.GetString(bytes).TrimEnd('\0'),
                        PropType.Unicode => Encoding.Unicode.GetString(bytes).TrimEnd('\0'),
                        _ => bytes,
                    };
                }
                SkipPadding(size, end);
                return result;
        }
    }

    /// <summary>PR_ATTACH_DATA_OBJ / PR_ATTACH_DATA_BIN inside attAttachment: an embedded message or the data.</summary>
    private void ReadAttachmentData(AttachmentState a, PropTag tag, long end, int depth)
    {
        var offset = _in.Position - 4;
        Need(4, end);
        var count = _in.U32();
        if (count != 1) Deviation(TnefError.BadValue, _in.Position - 4, $"{_in.Context}: a single-valued property must have a value count of 1, found {count}");
        Need(4, end);
        var size = _in.U32();
        Need(size, end);
        var valueEnd = _in.Position + size;
        if (tag.Type == PropType.Object)
        {
            if (size < 16) throw Error(TnefError.BadValue, _in.Position - 4, $"{_in.Context}: a PT_OBJECT value of {size} bytes cannot hold its 16-byte interface id");
            var iid = _in.Guid();
            if (iid == PropertySets.IidMessage)
            {
                _observer?.Property(depth, offset, tag, null, $"embedded message ({size - 16} bytes)");
                var context = _in.Context;
                a.Attachment.EmbeddedMessage = ParseMessage(valueEnd, depth + 1);
                _in.Context = context;
            }
            else
            {
                _observer?.Property(depth, offset, tag, null, $"object {iid} ({size - 16} bytes)");
                a.ObjectData = Content(size - 16);
                a.ObjectIid = iid;
            }
        }
        else
        {
            _observer?.Property(depth, offset, tag, null, $"{size} bytes");
            a.ObjectData = Content(size);
        }
        if (_in.Position != valueEnd) throw Error(TnefError.BadLength, _in.Position, $"{_in.Context}: the value should end at offset {valueEnd}");
        SkipPadding(size, end);
    }

    // ---------------------------------------------------------------- legacy attributes → properties

    private sealed class MessageState(MapiMessage message)
    {
        public MapiMessage Message { get; } = message;
        public Encoding Ansi { get; set; } = Encoding.GetEncoding(1252);
        public Dictionary<uint, string> Legacy { get; } = [];
        public Dictionary<uint, DateTime> Dates { get; } = [];
        public ushort? Priority { get; set; }
        public string? FromName { get; set; }
        public string? FromAddress { get; set; }
        public List<AttachmentState> Attachments { get; } = [];

        /// <summary>Legacy attributes fill in only what attMsgProps / attAttachment did not give (MS-OXTNEF §2.1.3).</summary>
        public void Finish()
        {
            var p = Message.Properties;
            void String(uint id, PropTag tag)
            {
                if (Legacy.TryGetValue(id, out var v) && p.Find(tag) is null) p.Set(tag.WithType(PropType.String8), v);
            }
            String(TnefAttribute.MessageClass, PropTags.MessageClass);
            String(TnefAttribute.OriginalMessageClass, PropTags.OrigMessageClass);
            String(TnefAttribute.Subject, PropTags.Subject);
            String(TnefAttribute.Body, PropTags.Body);
            void Key(uint id, PropTag tag)
            {
                if (Legacy.TryGetValue(id, out var v) && p.Find(tag) is null && TryHex(v) is { } bytes) p.Set(tag, bytes);
            }
            Key(TnefAttribute.MessageId, PropTags.SearchKey);
            Key(TnefAttribute.ParentId, PropTags.ParentKey);
            Key(TnefAttribute.ConversationId, PropTags.ConversationKey);
            void Date(uint id, PropTag tag)
            {
                if (Dates.TryGetValue(id, out var d) && p.Find(tag) is null) p.Set(tag, d);
            }
            Date(TnefAttribute.DateSent, PropTags.ClientSubmitTime);
            Date(TnefAttribute.DateReceived, PropTags.MessageDeliveryTime);
            Date(TnefAttribute.DateModified, PropTags.LastModificationTime);
            if (Priority is >= 1 and <= 3 && p.Find(PropTags.Importance) is null) p.Set(PropTags.Importance, 3 - (int)Priority.Value);
            if (FromName is { Length: > 0 } && p.Find(PropTags.SenderName) is null) p.Set(PropTags.SenderName.WithType(PropType.String8), FromName);
            if (FromAddress is { } from && from.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
            {
                if (p.Find(PropTags.SenderAddrType) is null) p.Set(PropTags.SenderAddrType.WithType(PropType.String8), from[..colon]);
                if (p.Find(PropTags.SenderEmailAddress) is null) p.Set(PropTags.SenderEmailAddress.WithType(PropType.String8), from[(colon + 1)..]);
            }
            foreach (var a in Attachments) a.Finish();
        }

        private static byte[]? TryHex(string s)
        {
            try { return Convert.FromHexString(s.Trim()); }
            catch (FormatException) { return null; }
        }
    }

    private sealed class AttachmentState(MapiAttachment attachment)
    {
        public MapiAttachment Attachment { get; } = attachment;
        public Encoding Ansi { get; set; } = Encoding.GetEncoding(1252);
        public ushort? RenderType { get; set; }
        public uint? RenderPosition { get; set; }
        public string? Title { get; set; }
        public string? TransportName { get; set; }
        public DateTime? Created { get; set; }
        public DateTime? Modified { get; set; }
        public byte[]? MetaFile { get; set; }
        public BinaryContent? LegacyData { get; set; }
        public BinaryContent? ObjectData { get; set; }
        public Guid? ObjectIid { get; set; }
        public bool SawProperties { get; set; }

        public void Finish()
        {
            var a = Attachment;
            var p = a.Properties;
            if (a.EmbeddedMessage is null) a.Data = ObjectData ?? LegacyData;
            if (Title is not null && p.Find(PropTags.AttachFilename) is null && p.Find(PropTags.AttachLongFilename) is null)
                p.Set(PropTags.AttachFilename.WithType(PropType.String8), Title);
            if (TransportName is not null && p.Find(PropTags.AttachTransportName) is null)
                p.Set(PropTags.AttachTransportName.WithType(PropType.String8), TransportName);
            if (Created is { } c && p.Find(PropTags.CreationTime) is null) p.Set(PropTags.CreationTime, c);
            if (Modified is { } m && p.Find(PropTags.LastModificationTime) is null) p.Set(PropTags.LastModificationTime, m);
            if (MetaFile is not null && p.Find(PropTags.AttachRendering) is null) p.Set(PropTags.AttachRendering, MetaFile);
            if (RenderPosition is { } pos && pos != 0xFFFFFFFF && p.Find(PropTags.RenderingPosition) is null) p.Set(PropTags.RenderingPosition, (int)pos);
            if (!SawProperties && p.Find(PropTags.AttachMethod) is null)
                a.Method = RenderType == 2 ? AttachMethod.Ole : AttachMethod.ByValue;
        }
    }
}
