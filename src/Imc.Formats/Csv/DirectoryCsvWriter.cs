using System.Text;
using Imc.Formats.Text;

namespace Imc.Formats.Csv;

/// <summary>
/// Writes the Exchange 5.x directory-export CSV format (Admin <c>/e</c>, DAPI BatchExport): a header line of
/// attribute names with <c>Obj-Class</c> first and <c>Mode</c> second, then one line per object; comma between
/// fields, CRLF line ends.
/// <list type="bullet">
/// <item>Multi-valued attributes: the values joined with <c>%</c> in one field. Inside a value, <c>%</c> is written
/// <c>\%</c>, and a backslash is doubled only where a reader could misread it (before <c>%</c>, before another
/// backslash, at the end of a value), so ordinary paths and <c>DOMAIN\user</c> stay as Exchange wrote them.</item>
/// <item>A field is quoted with <c>"</c> (inner quotes doubled) when a value has a comma, quote, <c>%</c>, CR, LF
/// or a leading/trailing blank — the Exchange 5.0 rule of quoting the whole multi-valued field.</item>
/// <item>An absent attribute (or one with no values) is an empty field; a single empty value is <c>""</c>.</item>
/// <item>Encoding: code page 1252 (what the Exchange 5.x Admin program writes and reads) when every character fits;
/// otherwise UTF-16LE with a BOM, which Admin <c>/i</c> reads as a Unicode file.</item>
/// </list>
/// </summary>
public static class DirectoryCsvWriter
{
    /// <summary>Writes <paramref name="records"/> (at least one) to <paramref name="stream"/>, left open.</summary>
    public static void Write(Stream stream, IReadOnlyList<DirectoryRecord> records)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var text = ToText(records);
        var bytes = Cp1252.CanEncode(text) ? Cp1252.Strict.GetBytes(text) : [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)];
        stream.Write(bytes);
    }

    /// <summary>The file as text, before encoding.</summary>
    public static string ToText(IReadOnlyList<DirectoryRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) throw new ArgumentException("At least one directory record is needed.", nameof(records));
        var header = new List<string> { DirectoryRecord.ObjectClassName, DirectoryRecord.ModeName };
        var known = new HashSet<string>(header, StringComparer.OrdinalIgnoreCase);
        foreach (var record in records)
        {
            if (record.ObjectClass is not { Length: > 0 } || record[DirectoryRecord.ObjectClassName]!.Count != 1)
                throw new ArgumentException($"Every record needs exactly one non-empty {DirectoryRecord.ObjectClassName} value ({record}).", nameof(records));
            foreach (var a in record.Attributes)
            {
                if (a.Name.AsSpan().IndexOfAny(",\"%\r\n") >= 0 || a.Name != a.Name.Trim())
                    throw new ArgumentException($"Attribute name \"{a.Name}\" cannot be a CSV column name.", nameof(records));
                if (known.Add(a.Name)) header.Add(a.Name);
            }
        }

        var sb = new StringBuilder();
        sb.AppendJoin(',', header).Append("\r\n");
        foreach (var record in records)
        {
            for (var i = 0; i < header.Count; i++)
            {
                if (i > 0) sb.Append(',');
                AppendField(sb, record[header[i]] ?? []);
            }
            sb.Append("\r\n");
        }
        return sb.ToString();
    }

    private static void AppendField(StringBuilder sb, IReadOnlyList<string> values)
    {
        if (values.Count == 0) return;
        var quote = (values.Count == 1 && values[0].Length == 0) || values.Any(NeedsQuotes);
        if (quote) sb.Append('"');
        for (var v = 0; v < values.Count; v++)
        {
            if (v > 0) sb.Append('%');
            var value = values[v];
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c == '%') sb.Append("\\%");
                else if (c == '\\' && (i == value.Length - 1 || value[i + 1] is '%' or '\\')) sb.Append("\\\\");
                else if (c == '"') sb.Append("\"\"");
                else sb.Append(c);
            }
        }
        if (quote) sb.Append('"');
    }

    private static bool NeedsQuotes(string value) =>
        value.AsSpan().IndexOfAny(",\"%\r\n") >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '));
}
