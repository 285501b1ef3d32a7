namespace Imc.Formats.Csv;

/// <summary>
/// A directory-export CSV file that cannot be read. The message is one line: source, line and column, what was
/// expected and what was found.
/// </summary>
public sealed class CsvFormatException : FormatException
{
    public CsvFormatException(int line, int column, string detail, string? source = null)
        : base($"{(source is null ? "" : source + ": ")}line {line}, column {column}: {detail}")
    {
        Line = line;
        Column = column;
        SourceName = source;
    }

    /// <summary>1-based line in the file.</summary>
    public int Line { get; }

    /// <summary>1-based column (in characters) in that line.</summary>
    public int Column { get; }

    /// <summary>The file name given to the reader, if any.</summary>
    public string? SourceName { get; }
}
