namespace Imc.Formats.Reg;

/// <summary>Limits that keep a hostile or damaged .reg file from allocating without bound.</summary>
public sealed record RegReaderOptions
{
    /// <summary>Longest physical line, in characters (an unwrapped 1 MiB binary is about 3 Mi characters).</summary>
    public int MaxLineLength { get; init; } = 8 * 1024 * 1024;

    /// <summary>Largest value data, in bytes (Windows advises values under 1 MB).</summary>
    public int MaxValueBytes { get; init; } = 8 * 1024 * 1024;

    public static RegReaderOptions Default { get; } = new();
}
