using System.Text;
using Imc.Formats.Mapi;

namespace Imc.Formats.Tests.Tnef;

/// <summary>Seeded random MAPI messages covering every property type, for round-trip property tests.</summary>
internal sealed class MessageGenerator(int seed)
{
    private readonly Random _r = new(seed);

    private static readonly PropType[] Types =
    [
        PropType.Short, PropType.Long, PropType.Float, PropType.Double, PropType.Currency, PropType.AppTime, PropType.Error,
        PropType.Boolean, PropType.I8, PropType.String8, PropType.Unicode, PropType.SysTime, PropType.Clsid, PropType.Binary,
        PropType.Object,
    ];

    private static readonly Guid[] Sets = [PropertySets.PublicStrings, PropertySets.InternetHeaders, PropertySets.Common, PropertySets.Appointment];

    public MapiMessage Message(int depth = 0)
    {
        var m = new MapiMessage { CodePage = _r.Next(4) == 0 ? 1251 : 1252 };
        m.Properties.Set(PropTags.MessageClass, "IPM.Note");
        if (_r.Next(2) == 0) m.Properties.Set(PropTags.Subject.WithType(_r.Next(2) == 0 ? PropType.String8 : PropType.Unicode), Text(m.CodePage, 40));
        if (_r.Next(2) == 0) m.Properties.Set(PropTags.ClientSubmitTime, Date());
        if (_r.Next(2) == 0) m.Properties.Set(PropTags.Importance, _r.Next(3));
        if (_r.Next(2) == 0) m.Properties.Set(PropTags.SearchKey, Bytes(16));
        if (_r.Next(2) == 0) m.Properties.Set(PropTags.Body, Text(m.CodePage, 300));
        if (_r.Next(3) == 0)
        {
            m.Properties.Set(PropTags.SenderName, Text(m.CodePage, 20));
            m.Properties.Set(PropTags.SenderAddrType, "SMTP");
            m.Properties.Set(PropTags.SenderEmailAddress, "user" + _r.Next(1000) + "@example.com");
        }
        Fill(m.Properties, m.CodePage, _r.Next(25));
        for (int i = 0, n = _r.Next(6); i < n; i++)
        {
            var rcpt = new MapiRecipient((RecipientType)_r.Next(1, 4), Text(m.CodePage, 15), $"r{i}@example.org");
            Fill(rcpt.Properties, m.CodePage, _r.Next(4));
            m.Recipients.Add(rcpt);
        }
        for (int i = 0, n = _r.Next(4); i < n; i++) m.Attachments.Add(Attachment(m.CodePage, depth));
        return m;
    }

    private MapiAttachment Attachment(int codePage, int depth)
    {
        var a = new MapiAttachment();
        var kind = depth < 2 ? _r.Next(4) : _r.Next(3);
        a.Properties.Set(PropTags.AttachNum, _r.Next(100));
        if (_r.Next(2) == 0) a.Properties.Set(PropTags.AttachLongFilename, "file-" + Text(codePage, 10) + ".bin");
        if (_r.Next(3) == 0) a.Properties.Set(PropTags.AttachFilename.WithType(PropType.String8), "FILE" + _r.Next(100) + ".BIN");
        if (_r.Next(3) == 0) a.Properties.Set(PropTags.RenderingPosition, _r.Next(2) == 0 ? -1 : _r.Next(1000));
        if (_r.Next(3) == 0) a.Properties.Set(PropTags.CreationTime, Date());
        Fill(a.Properties, codePage, _r.Next(5));
        switch (kind)
        {
            case 0: break; // no method property, no data
            case 1: a.Method = AttachMethod.ByValue; a.Data = BinaryContent.FromBytes(Bytes(_r.Next(3) == 0 ? 0 : _r.Next(5000))); break;
            case 2: a.Method = AttachMethod.Ole; a.Data = BinaryContent.FromBytes(Bytes(_r.Next(2000))); break;
            default: a.Method = AttachMethod.EmbeddedMessage; a.EmbeddedMessage = Message(depth + 1); break;
        }
        return a;
    }

    private void Fill(PropertyBag bag, int codePage, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var type = Types[_r.Next(Types.Length)];
            var mv = type != PropType.Object && _r.Next(4) == 0;
            var full = mv ? type | PropType.MultiValued : type;
            object value;
            if (mv)
            {
                var n = _r.Next(0, 5);
                var array = Array.CreateInstance(MapiValues.ClrTypeOf(type), n);
                for (var k = 0; k < n; k++) array.SetValue(Value(type, codePage), k);
                value = array;
            }
            else value = Value(type, codePage);
            switch (_r.Next(3))
            {
                case 0: bag.Set(new PropTag((ushort)_r.Next(0x6700, 0x67FF), full), value); break;
                case 1: bag.Set(PropertyName.FromId(Sets[_r.Next(Sets.Length)], (uint)_r.Next(0x8000, 0x9000)), full, value); break;
                default: bag.Set(PropertyName.FromName(Sets[_r.Next(Sets.Length)], "x-" + Text(1252, 12, asciiOnly: true)), full, value); break;
            }
        }
    }

    public object Value(PropType type, int codePage) => type switch
    {
        PropType.Short => (short)_r.Next(short.MinValue, short.MaxValue),
        PropType.Long or PropType.Error => _r.Next(int.MinValue, int.MaxValue),
        PropType.Float => (float)(_r.NextDouble() * 1e6 - 5e5),
        PropType.Double or PropType.AppTime => _r.NextDouble() * 1e12,
        PropType.Currency or PropType.I8 => _r.NextInt64(long.MinValue, long.MaxValue),
        PropType.Boolean => _r.Next(2) == 0,
        PropType.String8 => Text(codePage, 50),
        PropType.Unicode => Text(0, 50),
        PropType.SysTime => Date(),
        PropType.Clsid => new Guid(Bytes(16)),
        PropType.Binary => Bytes(_r.Next(0, 200)),
        PropType.Object => new MapiObject(PropertySets.IidStream, Bytes(_r.Next(0, 100))),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private DateTime Date() => new(1990 + _r.Next(40), 1 + _r.Next(12), 1 + _r.Next(28), _r.Next(24), _r.Next(60), _r.Next(60), DateTimeKind.Utc);

    private byte[] Bytes(int n)
    {
        var b = new byte[n];
        _r.NextBytes(b);
        return b;
    }

    /// <summary>Text representable in <paramref name="codePage"/> (0 = any Unicode, including non-BMP).</summary>
    public string Text(int codePage, int max, bool asciiOnly = false)
    {
        var sb = new StringBuilder();
        var n = _r.Next(0, max);
        for (var i = 0; i < n; i++)
        {
            var pick = asciiOnly ? 0 : _r.Next(5);
            switch (pick)
            {
                case 0: case 1: sb.Append((char)_r.Next(0x20, 0x7F)); break;
                case 2: sb.Append(codePage == 1251 ? (char)_r.Next(0x410, 0x450) : "éèüßñÆø€"[_r.Next(8)]); break;
                case 3: sb.Append(codePage == 0 ? (char)_r.Next(0x4E00, 0x9FFF) : ' '); break;
                default: if (codePage == 0) sb.Append("😀"); else sb.Append("\r\n"); break;
            }
        }
        return sb.ToString();
    }
}
