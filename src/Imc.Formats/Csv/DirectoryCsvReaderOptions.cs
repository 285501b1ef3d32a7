namespace Imc.Formats.Csv;

/// <summary>Limits that keep a hostile or damaged CSV file from allocating without bound.</summary>
public sealed record DirectoryCsvReaderOptions
{
    /// <summary>Most characters in one record (a line, or several when quoted fields hold line breaks).</summary>
    public int MaxRecordLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>Most fields (columns) in one record.</summary>
    public int MaxFields { get; init; } = 10_000;

    public static DirectoryCsvReaderOptions Default { get; } = new();
}
