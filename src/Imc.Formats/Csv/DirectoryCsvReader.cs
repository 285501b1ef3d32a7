using System.Text;
using Imc.Formats.Text;

namespace Imc.Formats.Csv;

/// <summary>
/// Reads directory-export CSV files as <see cref="DirectoryCsvWriter"/> writes them, and as the Exchange 5.x Admin
/// program wrote them: code page 1252 unless a BOM says UTF-16 or UTF-8; CRLF, LF or CR line ends; quoted fields
/// may hold commas, doubled quotes and line breaks. A field splits at unescaped <c>%</c> into values; <c>\%</c> and
/// <c>\\</c> are escapes, any other backslash is literal. An empty unquoted field means the attribute is absent.
/// Blank lines are skipped. Every data line must have as many fields as the header.
/// </summary>
public static class DirectoryCsvReader
{
    public static IReadOnlyList<DirectoryRecord> ReadFile(string path, DirectoryCsvReaderOptions? options = null)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path), options);
    }

    /// <summary>Reads every record; <paramref name="source"/> (e.g. the file name) prefixes error messages.</summary>
    public static IReadOnlyList<DirectoryRecord> Read(Stream stream, string? source = null, DirectoryCsvReaderOptions? options = null)
    {
        options ??= DirectoryCsvReaderOptions.Default;
        using var text = new StreamReader(stream, Cp1252.Strict, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var tokenizer = new CsvTokenizer(text, options, source);

        var header = tokenizer.ReadRecord() ?? throw new CsvFormatException(1, 1, $"expected a header line starting with {DirectoryRecord.ObjectClassName},{DirectoryRecord.ModeName}, found an empty file", source);
        var names = CheckHeader(header, source);

        var records = new List<DirectoryRecord>();
        while (tokenizer.ReadRecord() is { } row)
        {
            if (row.Fields.Count != names.Count)
            {
                var (line, column) = row.Fields.Count > names.Count ? (row.Fields[names.Count].Line, row.Fields[names.Count].Column) : (row.EndLine, row.EndColumn);
                throw new CsvFormatException(line, column, $"expected {names.Count} fields as in the header, found {row.Fields.Count}", source);
            }
            var attributes = new List<DirectoryAttribute>();
            for (var i = 0; i < names.Count; i++)
            {
                var f = row.Fields[i];
                if (f.Text.Length == 0 && !f.Quoted) continue; // absent
                attributes.Add(new DirectoryAttribute(names[i], SplitValues(f.Text)));
            }
            var objectClass = row.Fields[0];
            if (objectClass.Text.Trim().Length == 0)
                throw new CsvFormatException(objectClass.Line, objectClass.Column, $"expected an object class in the {DirectoryRecord.ObjectClassName} column, found an empty field", source);
            records.Add(new DirectoryRecord(attributes));
        }
        return records;
    }

    private static List<string> CheckHeader(CsvRecord header, string? source)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var f = header.Fields[i];
            var name = f.Text.Trim();
            string? expected = i switch { 0 => DirectoryRecord.ObjectClassName, 1 => DirectoryRecord.ModeName, _ => null };
            if (expected is not null && !name.Equals(expected, StringComparison.OrdinalIgnoreCase))
                throw new CsvFormatException(f.Line, f.Column, $"expected {expected} as the {(i == 0 ? "first" : "second")} column of the header, found {Quote(name)}", source);
            if (name.Length == 0) throw new CsvFormatException(f.Line, f.Column, "expected an attribute name in the header, found an empty field", source);
            if (!seen.Add(name)) throw new CsvFormatException(f.Line, f.Column, $"attribute {Quote(name)} appears twice in the header", source);
            names.Add(expected ?? name);
        }
        if (names.Count < 2)
            throw new CsvFormatException(header.EndLine, header.EndColumn, $"expected {DirectoryRecord.ModeName} as the second column of the header, found the end of the line", source);
        return names;
    }

    /// <summary>Splits a field at unescaped % into values, undoing \% and \\.</summary>
    internal static List<string> SplitValues(string field)
    {
        var values = new List<string>();
        var sb = new StringBuilder();
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (c == '\\' && i + 1 < field.Length && field[i + 1] is '%' or '\\') sb.Append(field[++i]);
            else if (c == '%') { values.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        values.Add(sb.ToString());
        return values;
    }

    internal static string Quote(string s) => "\"" + (s.Length > 60 ? s[..57] + "..." : s).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
