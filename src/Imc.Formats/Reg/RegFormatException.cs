namespace Imc.Formats.Reg;

/// <summary>
/// A .reg file that cannot be read, or registry data that cannot be written in the requested .reg format. The
/// message is one line: where (source and line, when known), what was expected and what was found.
/// </summary>
public sealed class RegFormatException : FormatException
{
    public RegFormatException(string message) : base(message) { }

    public RegFormatException(string message, Exception inner) : base(message, inner) { }

    public RegFormatException(int line, string detail, string? source = null)
        : base($"{(source is null ? "" : source + ": ")}line {line}: {detail}")
    {
        Line = line;
        SourceName = source;
    }

    /// <summary>The 1-based line of the file where the problem is, or null when the problem is not in a file.</summary>
    public int? Line { get; }

    /// <summary>The file name given to the reader, if any.</summary>
    public string? SourceName { get; }
}
