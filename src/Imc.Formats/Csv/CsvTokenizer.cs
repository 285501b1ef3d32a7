using System.Text;

namespace Imc.Formats.Csv;

/// <summary>A field as read: its text (quotes removed, "" undone), whether it was quoted, where it started.</summary>
internal readonly record struct CsvField(string Text, bool Quoted, int Line, int Column);

/// <summary>One record: its fields and where it ended (for messages about missing fields).</summary>
internal sealed record CsvRecord(List<CsvField> Fields, int EndLine, int EndColumn);

/// <summary>Splits comma-separated text into records, tracking lines and columns, with bounded memory.</summary>
internal sealed class CsvTokenizer(TextReader reader, DirectoryCsvReaderOptions options, string? source)
{
    private int _line = 1;
    private int _column = 1; // column of the next character
    private int _recordChars;

    private int Peek() => reader.Peek();

    private int Next()
    {
        var c = reader.Read();
        if (c < 0) return c;
        if (++_recordChars > options.MaxRecordLength)
            throw new CsvFormatException(_line, _column, $"record is longer than {options.MaxRecordLength} characters", source);
        if (c == '\n' || (c == '\r' && reader.Peek() != '\n')) { _line++; _column = 1; }
        else _column++;
        return c;
    }

    /// <summary>The next non-blank record, or null at the end of the file.</summary>
    public CsvRecord? ReadRecord()
    {
        while (true)
        {
            if (Peek() < 0) return null;
            _recordChars = 0;
            if (Peek() is '\r' or '\n') { SkipLineEnd(); continue; } // blank line
            return ReadFields();
        }
    }

    private CsvRecord ReadFields()
    {
        var fields = new List<CsvField>();
        var sb = new StringBuilder();
        while (true)
        {
            if (fields.Count >= options.MaxFields)
                throw new CsvFormatException(_line, _column, $"record has more than {options.MaxFields} fields", source);
            var (line, column) = (_line, _column);
            sb.Clear();
            var quoted = Peek() == '"';
            if (quoted)
            {
                Next();
                while (true)
                {
                    var c = Next();
                    if (c < 0) throw new CsvFormatException(line, column, "expected a closing quote for the quoted field that starts here, found the end of the file", source);
                    if (c == '"')
                    {
                        if (Peek() != '"') break;
                        Next();
                    }
                    sb.Append((char)c);
                }
                if (Peek() is >= 0 and not (',' or '\r' or '\n'))
                    throw new CsvFormatException(_line, _column, $"expected , or the end of the line after a closing quote, found '{(char)Peek()}'", source);
            }
            else
            {
                while (Peek() is >= 0 and not (',' or '\r' or '\n'))
                {
                    if (Peek() == '"')
                        throw new CsvFormatException(_line, _column, "expected no quote inside an unquoted field (quote the whole field and double the quote)", source);
                    sb.Append((char)Next());
                }
            }
            fields.Add(new CsvField(sb.ToString(), quoted, line, column));
            if (Peek() == ',') { Next(); continue; }
            var end = (_line, _column);
            SkipLineEnd();
            return new CsvRecord(fields, end.Item1, end.Item2);
        }
    }

    private void SkipLineEnd()
    {
        if (Peek() == '\r') Next();
        if (Peek() == '\n') Next();
    }
}
