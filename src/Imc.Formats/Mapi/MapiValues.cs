using System.Globalization;

namespace Imc.Formats.Mapi;

/// <summary>Type checks, equality and display of property values in their CLR form (see <see cref="MapiProperty"/>).</summary>
public static class MapiValues
{
    /// <summary>The CLR type that holds a value of <paramref name="type"/>.</summary>
    public static Type ClrTypeOf(PropType type)
    {
        if ((type & PropType.MultiValued) != 0)
            return ClrTypeOf(type & ~PropType.MultiValued).MakeArrayType();
        return type switch
        {
            PropType.Short => typeof(short),
            PropType.Long or PropType.Error => typeof(int),
            PropType.Float => typeof(float),
            PropType.Double or PropType.AppTime => typeof(double),
            PropType.Currency or PropType.I8 => typeof(long),
            PropType.Boolean => typeof(bool),
            PropType.String8 or PropType.Unicode => typeof(string),
            PropType.SysTime => typeof(DateTime),
            PropType.Clsid => typeof(Guid),
            PropType.Binary => typeof(byte[]),
            PropType.Object => typeof(MapiObject),
            _ => throw new ArgumentException($"Property type 0x{(ushort)type:X4} is not supported.", nameof(type)),
        };
    }

    public static void CheckType(PropType type, object value)
    {
        var expected = ClrTypeOf(type);
        if (value.GetType() != expected)
            throw new ArgumentException($"A value of type {(ushort)type:X4} must be {expected.Name}, not {value.GetType().Name}.", nameof(value));
    }

    /// <summary>Structural equality: arrays element by element, floating point by bits, dates by ticks.</summary>
    public static bool AreEqual(object a, object b)
    {
        switch (a, b)
        {
            case (byte[] x, byte[] y): return x.AsSpan().SequenceEqual(y);
            case (MapiObject x, MapiObject y): return x.Iid == y.Iid && x.Data.AsSpan().SequenceEqual(y.Data);
            case (double x, double y): return BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y);
            case (float x, float y): return BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y);
            case (DateTime x, DateTime y): return x.Ticks == y.Ticks;
            case (Array x, Array y):
                if (x.GetType() != y.GetType() || x.Length != y.Length) return false;
                for (var i = 0; i < x.Length; i++)
                    if (!AreEqual(x.GetValue(i)!, y.GetValue(i)!)) return false;
                return true;
            default: return a.Equals(b);
        }
    }

    /// <summary>A short human-readable rendering for dumps and error messages.</summary>
    public static string Format(object value) => value switch
    {
        string s => "\"" + s + "\"",
        byte[] b => b.Length <= 64 ? Convert.ToHexString(b) : Convert.ToHexString(b, 0, 64) + $"… ({b.Length} bytes)",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        bool v => v ? "TRUE" : "FALSE",
        MapiObject o => $"object {o.Iid} ({o.Data.Length} bytes)",
        Array a => "[" + string.Join(", ", a.Cast<object>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
