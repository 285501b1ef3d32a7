using System.Security.Cryptography;
using System.Text;
using Imc.Formats.Mapi;

namespace Imc.Server.Tests.Setup;

/// <summary>A SHA-256 over everything in a message (properties with names, recipients, attachments, streamed data).</summary>
internal static class SampleDigest
{
    public static string Of(MapiMessage m)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Add(h, m);
        return Convert.ToHexString(h.GetHashAndReset());
    }

    private static void Add(IncrementalHash h, MapiMessage m)
    {
        Text(h, $"cp={m.CodePage}");
        Bag(h, "msg", m.Properties);
        foreach (var r in m.Recipients) Bag(h, "rcpt", r.Properties);
        foreach (var a in m.Attachments)
        {
            Bag(h, "att", a.Properties);
            if (a.Data is { } data)
            {
                Text(h, $"data {data.Length}");
                using var s = data.OpenRead();
                var buf = new byte[81920];
                int n;
                while ((n = s.Read(buf)) > 0) h.AppendData(buf, 0, n);
            }
            if (a.EmbeddedMessage is { } e)
            {
                Text(h, "embedded{");
                Add(h, e);
                Text(h, "}");
            }
        }
    }

    private static void Bag(IncrementalHash h, string what, PropertyBag bag)
    {
        Text(h, what);
        foreach (var p in bag)
        {
            Text(h, $"{p.Tag} {p.Name}");
            Value(h, p.Value);
        }
    }

    private static void Value(IncrementalHash h, object v)
    {
        switch (v)
        {
            case byte[] b: Text(h, $"bin{b.Length}"); h.AppendData(b); break;
            case Array a: Text(h, $"mv{a.Length}"); foreach (var x in a) Value(h, x!); break;
            case DateTime d: Text(h, $"t{d.Ticks}{d.Kind}"); break;
            case double d: Text(h, $"d{BitConverter.DoubleToInt64Bits(d)}"); break;
            default: Text(h, $"{v.GetType().Name}:{MapiValues.Format(v)}"); break;
        }
    }

    private static void Text(IncrementalHash h, string s) => h.AppendData(Encoding.UTF8.GetBytes(s + "\n"));
}
