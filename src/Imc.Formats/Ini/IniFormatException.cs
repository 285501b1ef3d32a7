namespace Imc.Formats.Ini;

/// <summary>An .ini file that cannot be read (strict mode, or over the size limits). One line: source, line, problem.</summary>
public sealed class IniFormatException : FormatException
{
    public IniFormatException(int line, string detail, string? source = null)
        : base($"{(source is null ? "" : source + ": ")}line {line}: {detail}")
    {
        Line = line;
        SourceName = source;
    }

    /// <summary>1-based line in the file.</summary>
    public int Line { get; }

    /// <summary>The file name given to the reader, if any.</summary>
    public string? SourceName { get; }
}
