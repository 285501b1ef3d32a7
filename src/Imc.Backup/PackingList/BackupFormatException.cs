namespace Imc.Backup.PackingList;

/// <summary>
/// A Backup folder that must not be trusted: a damaged or tampered file, a malformed packing list, an unsafe name.
/// <see cref="Exception.Message"/> is one line naming the file (relative to Backup), the line when there is one, and
/// what was expected. Executables map it to exit code 5.
/// </summary>
public sealed class BackupFormatException : FormatException
{
    public BackupFormatException(string file, int? line, string problem, Exception? inner = null)
        : base(Printable(line is { } n ? $"{file} line {n}: {problem}" : $"{file}: {problem}"), inner)
    {
        File = file;
        Line = line;
        Problem = Printable(problem);
    }

    public BackupFormatException(string file, string problem, Exception? inner = null) : this(file, null, problem, inner) { }

    /// <summary>The file, relative to the Backup folder with '/' separators (e.g. <c>Imcfls</c>, <c>Mtsout/00000001.tnef</c>).</summary>
    public string File { get; }

    /// <summary>The 1-based line in <see cref="File"/>, when the problem is on a line.</summary>
    public int? Line { get; }

    /// <summary>The problem without the file and line prefix.</summary>
    public string Problem { get; }

    /// <summary>
    /// The text with every control character shown as <c>&lt;0xNN&gt;</c>: a hostile file's names and values end up in
    /// the message, and a NUL, an escape sequence or a line break must not reach the terminal or split the line.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsControl)) return text;
        var sb = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
            if (char.IsControl(c)) sb.Append("<0x").Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)).Append('>');
            else sb.Append(c);
        return sb.ToString();
    }
}
