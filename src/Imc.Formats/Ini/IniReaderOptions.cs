namespace Imc.Formats.Ini;

/// <summary>How an .ini file is read.</summary>
public sealed record IniReaderOptions
{
    /// <summary>
    /// False (default): GetPrivateProfileString semantics — lines that mean nothing are ignored, a duplicate key keeps
    /// its first value, duplicate sections merge. True: for verifying our own files — any such line, duplicate key or
    /// duplicate section, key before a section, or (without a BOM) bytes that are not UTF-8 throw
    /// <see cref="IniFormatException"/>.
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>Longest line in characters.</summary>
    public int MaxLineLength { get; init; } = 64 * 1024;

    /// <summary>Most characters in the whole file.</summary>
    public long MaxFileLength { get; init; } = 256L * 1024 * 1024;

    public static IniReaderOptions Lenient { get; } = new();

    public static IniReaderOptions StrictDefault { get; } = new() { Strict = true };
}
