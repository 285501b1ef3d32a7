using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Imc.Formats.Text;

namespace Imc.Formats.Reg;

/// <summary>
/// Writes .reg files byte for byte the way Windows (and Wine) regedit export them: the header line, then for every
/// key a blank line, <c>[KEY]</c> and its value lines; CRLF line ends; a blank line at the end. Hex data wrap after
/// the comma at which the line reaches column 77, continuing with two spaces (regedit's REG_FILE_HEX_LINE_LEN).
/// </summary>
public static class RegWriter
{
    public const string Regedit4Header = "REGEDIT4";
    public const string Version5Header = "Windows Registry Editor Version 5.00";

    /// <summary>Column after which a hex line is continued: 2 spaces + 25 × "xx,".</summary>
    internal const int HexLineLength = 2 + 25 * 3;

    /// <summary>
    /// Writes <paramref name="keys"/> to <paramref name="stream"/> (left open). With <see cref="RegFileFormat.Regedit4"/>,
    /// data that code page 1252 cannot hold exactly throws <see cref="RegFormatException"/> before anything is written.
    /// Returns the format actually written (useful with <see cref="RegFileFormat.Auto"/>).
    /// </summary>
    public static RegFileFormat Write(Stream stream, IEnumerable<RegKey> keys, RegFileFormat format = RegFileFormat.Regedit4)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var list = keys.ToList();
        if (format != RegFileFormat.Version5)
        {
            var problem = FindRegedit4Problem(list);
            if (problem is not null)
            {
                if (format == RegFileFormat.Regedit4) throw new RegFormatException(problem + "; write the Version 5.00 (Unicode) format instead");
                format = RegFileFormat.Version5;
            }
            else format = RegFileFormat.Regedit4;
        }
        var text = ToText(list, format);
        var bytes = format == RegFileFormat.Regedit4
            ? Cp1252.Strict.GetBytes(text)
            : [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)];
        stream.Write(bytes);
        return format;
    }

    /// <summary>The file as text (before encoding) in <paramref name="format"/> (Regedit4 or Version5).</summary>
    public static string ToText(IEnumerable<RegKey> keys, RegFileFormat format)
    {
        if (format == RegFileFormat.Auto) throw new ArgumentException("Choose Regedit4 or Version5 for text output.", nameof(format));
        var unicode = format == RegFileFormat.Version5;
        var sb = new StringBuilder();
        sb.Append(unicode ? Version5Header : Regedit4Header).Append("\r\n");
        foreach (var key in keys)
        {
            CheckKeyPath(key.Path);
            sb.Append("\r\n[");
            if (key.Delete)
            {
                if (key.Values.Count > 0 || key.DeletedValues.Count > 0)
                    throw new ArgumentException($"Key [{key.Path}] is marked for deletion but also has values.", nameof(keys));
                sb.Append('-');
            }
            sb.Append(key.Path).Append("]\r\n");
            foreach (var value in key.Values) AppendValue(sb, value, unicode);
            foreach (var name in key.DeletedValues) AppendName(sb, name).Append("-\r\n");
        }
        sb.Append("\r\n");
        return sb.ToString();
    }

    /// <summary>
    /// Why <paramref name="keys"/> cannot be written as REGEDIT4 without loss, or null when they can: a key path,
    /// value name or string with a character outside code page 1252, or REG_EXPAND_SZ/REG_MULTI_SZ data that is not
    /// whole UTF-16 text (regedit converts those to ANSI bytes and back).
    /// </summary>
    public static string? FindRegedit4Problem(IEnumerable<RegKey> keys)
    {
        foreach (var key in keys)
        {
            if (Cp1252.FirstUnencodable(key.Path) is { } c) return $"key [{key.Path}] has {Describe(c)}, which code page 1252 (REGEDIT4) cannot hold";
            foreach (var name in key.DeletedValues)
                if (Cp1252.FirstUnencodable(name) is { } d) return $"value name \"{name}\" in [{key.Path}] has {Describe(d)}, which code page 1252 (REGEDIT4) cannot hold";
            foreach (var v in key.Values)
            {
                var where = $"value {DisplayName(v.Name)} in [{key.Path}]";
                if (Cp1252.FirstUnencodable(v.Name) is { } n) return $"{where}: its name has {Describe(n)}, which code page 1252 (REGEDIT4) cannot hold";
                if (v.Type == RegType.Sz && AsPlainString(v.Data) is { } s && Cp1252.FirstUnencodable(s) is { } sc)
                    return $"{where}: the string has {Describe(sc)}, which code page 1252 (REGEDIT4) cannot hold";
                if (v.Type is RegType.ExpandSz or RegType.MultiSz)
                {
                    if (v.Data.Length % 2 != 0) return $"{where}: {RegType.Name(v.Type)} data has an odd length ({v.Data.Length} bytes), which REGEDIT4 cannot hold";
                    var text = Encoding.Unicode.GetString(v.Data);
                    if (Cp1252.FirstUnencodable(text) is { } xc) return $"{where}: {RegType.Name(v.Type)} data has {Describe(xc)}, which code page 1252 (REGEDIT4) cannot hold";
                }
            }
        }
        return null;
    }

    private static void AppendValue(StringBuilder sb, RegValue v, bool unicode)
    {
        var lineStart = sb.Length;
        AppendName(sb, v.Name);
        if (v.Type == RegType.Sz && AsPlainString(v.Data) is { } s)
        {
            sb.Append('"');
            AppendEscaped(sb, s);
            sb.Append("\"\r\n");
            return;
        }
        if (v.Type == RegType.DWord && v.Data.Length == 4)
        {
            sb.Append("dword:").Append(BinaryPrimitives.ReadUInt32LittleEndian(v.Data).ToString("x8", CultureInfo.InvariantCulture)).Append("\r\n");
            return;
        }
        sb.Append(v.Type == RegType.Binary ? "hex:" : $"hex({v.Type.ToString("x", CultureInfo.InvariantCulture)}):");
        var data = v.Data;
        if (!unicode && v.Type is RegType.ExpandSz or RegType.MultiSz)
            data = Cp1252.Strict.GetBytes(Encoding.Unicode.GetString(v.Data));
        AppendHex(sb, data, sb.Length - lineStart);
        sb.Append("\r\n");
    }

    /// <summary>Bytes as "xx,xx,…", continued with "\\" CRLF and two spaces once a line reaches column 77.</summary>
    private static void AppendHex(StringBuilder sb, byte[] data, int column)
    {
        for (var i = 0; i < data.Length; i++)
        {
            sb.Append(data[i].ToString("x2", CultureInfo.InvariantCulture));
            if (i == data.Length - 1) break;
            sb.Append(',');
            column += 3;
            if (column >= HexLineLength)
            {
                sb.Append("\\\r\n  ");
                column = 2;
            }
        }
    }

    private static StringBuilder AppendName(StringBuilder sb, string name)
    {
        if (name.Length == 0) return sb.Append("@=");
        sb.Append('"');
        AppendEscaped(sb, name);
        return sb.Append("\"=");
    }

    private static void AppendEscaped(StringBuilder sb, string s)
    {
        foreach (var c in s)
        {
            if (c is '\\' or '"') sb.Append('\\');
            sb.Append(c);
        }
    }

    /// <summary>
    /// The text of a REG_SZ that can be written as "…": UTF-16 ending with exactly one NUL, no other NUL and no
    /// line breaks (which regedit cannot carry inside quotes). Anything else is written as hex(1).
    /// </summary>
    internal static string? AsPlainString(byte[] data)
    {
        if (data.Length < 2 || data.Length % 2 != 0 || data[^1] != 0 || data[^2] != 0) return null;
        var s = Encoding.Unicode.GetString(data, 0, data.Length - 2);
        foreach (var c in s)
            if (c is '\0' or '\r' or '\n') return null;
        // Lone surrogates do not survive decoding; such data stays hex so that it round-trips byte for byte.
        return Encoding.Unicode.GetBytes(s).AsSpan().SequenceEqual(data.AsSpan(0, data.Length - 2)) ? s : null;
    }

    private static void CheckKeyPath(string path)
    {
        if (path.Length == 0 || path.Contains('\r', StringComparison.Ordinal) || path.Contains('\n', StringComparison.Ordinal))
            throw new ArgumentException($"Key path \"{path}\" is empty or has a line break.", nameof(path));
    }

    private static string DisplayName(string name) => name.Length == 0 ? "@ (default)" : $"\"{name}\"";

    private static string Describe(char c) => $"'{c}' (U+{(int)c:X4})";
}
