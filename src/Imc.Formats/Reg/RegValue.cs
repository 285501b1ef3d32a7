using System.Buffers.Binary;
using System.Text;

namespace Imc.Formats.Reg;

/// <summary>Registry value types (REG_*), as Windows numbers them. Any other number is valid too.</summary>
public static class RegType
{
    public const uint None = 0;
    public const uint Sz = 1;
    public const uint ExpandSz = 2;
    public const uint Binary = 3;
    public const uint DWord = 4;
    public const uint DWordBigEndian = 5;
    public const uint Link = 6;
    public const uint MultiSz = 7;
    public const uint ResourceList = 8;
    public const uint FullResourceDescriptor = 9;
    public const uint ResourceRequirementsList = 10;
    public const uint QWord = 11;

    public static string Name(uint type) => type switch
    {
        None => "REG_NONE",
        Sz => "REG_SZ",
        ExpandSz => "REG_EXPAND_SZ",
        Binary => "REG_BINARY",
        DWord => "REG_DWORD",
        DWordBigEndian => "REG_DWORD_BIG_ENDIAN",
        Link => "REG_LINK",
        MultiSz => "REG_MULTI_SZ",
        ResourceList => "REG_RESOURCE_LIST",
        FullResourceDescriptor => "REG_FULL_RESOURCE_DESCRIPTOR",
        ResourceRequirementsList => "REG_RESOURCE_REQUIREMENTS_LIST",
        QWord => "REG_QWORD",
        _ => $"0x{type:x}",
    };
}

/// <summary>
/// A registry value exactly as Windows keeps it: a name ("" for the default value), a type number and the raw data
/// bytes. String types hold UTF-16LE with their terminating NULs, as the Win32 registry stores them.
/// </summary>
public sealed record RegValue(string Name, uint Type, byte[] Data)
{
    public static RegValue String(string name, string value) => new(name, RegType.Sz, Utf16z(value));
    public static RegValue ExpandString(string name, string value) => new(name, RegType.ExpandSz, Utf16z(value));
    public static RegValue MultiString(string name, IEnumerable<string> values) =>
        new(name, RegType.MultiSz, Utf16z(string.Concat(values.Select(v => v + "\0"))));
    public static RegValue Binary(string name, byte[] value) => new(name, RegType.Binary, value);

    public static RegValue DWord(string name, uint value)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        return new(name, RegType.DWord, data);
    }

    public static RegValue QWord(string name, ulong value)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(data, value);
        return new(name, RegType.QWord, data);
    }

    /// <summary>The data as text for REG_SZ / REG_EXPAND_SZ (UTF-16LE, up to the first NUL).</summary>
    public string? AsString()
    {
        if (Type is not (RegType.Sz or RegType.ExpandSz)) return null;
        var s = Encoding.Unicode.GetString(Data, 0, Data.Length & ~1);
        var nul = s.IndexOf('\0');
        return nul >= 0 ? s[..nul] : s;
    }

    /// <summary>The strings of a REG_MULTI_SZ.</summary>
    public IReadOnlyList<string>? AsMultiString()
    {
        if (Type != RegType.MultiSz) return null;
        var s = Encoding.Unicode.GetString(Data, 0, Data.Length & ~1).TrimEnd('\0');
        return s.Length == 0 ? [] : s.Split('\0');
    }

    public uint? AsDWord() => Type == RegType.DWord && Data.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Data) : null;

    public bool Equals(RegValue? other) =>
        other is not null && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase) && Type == other.Type && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(Name), Type, Data.Length);

    private static byte[] Utf16z(string s) => Encoding.Unicode.GetBytes(s + "\0");
}
