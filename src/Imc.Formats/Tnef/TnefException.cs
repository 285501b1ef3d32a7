using System.Globalization;

namespace Imc.Formats.Tnef;

/// <summary>
/// A TNEF stream is malformed. The one-line message names the file (when known), the byte offset and what was
/// expected there.
/// </summary>
public sealed class TnefException : FormatException
{
    public TnefException(TnefError error, long offset, string detail, string? fileName = null)
        : base(Compose(error, offset, Printable(detail), fileName))
    {
        Error = error;
        Offset = offset;
        Detail = Printable(detail);
        FileName = fileName;
    }

    public TnefException() : this(TnefError.BadStructure, 0, "malformed TNEF stream") { }

    public TnefException(string message) : base(message) { Detail = message; }

    public TnefException(string message, Exception innerException) : base(message, innerException) { Detail = message; }

    /// <summary>The kind of damage.</summary>
    public TnefError Error { get; }
    /// <summary>The byte offset in the outermost stream where the problem was found.</summary>
    public long Offset { get; }
    /// <summary>The message without file name and offset.</summary>
    public string Detail { get; }
    public string? FileName { get; }

    internal TnefException WithFileName(string fileName) => new(Error, Offset, Detail, fileName);

    private static string Compose(TnefError error, long offset, string detail, string? fileName) =>
        $"{(fileName is null ? "" : fileName + ": ")}TNEF {ErrorText(error)} at offset {offset} (0x{offset:X}): {detail}";

    private static string ErrorText(TnefError error) => error switch
    {
        TnefError.BadSignature => "bad signature",
        TnefError.Truncated => "truncated stream",
        TnefError.BadChecksum => "bad checksum",
        TnefError.BadLevel => "bad attribute level",
        TnefError.BadLength => "bad length",
        TnefError.UnsupportedPropertyType => "unsupported property type",
        TnefError.BadValue => "bad value",
        TnefError.BadStructure => "bad structure",
        TnefError.TrailingData => "trailing data",
        TnefError.TooDeep => "nesting too deep",
        _ => error.ToString(),
    };

    // Names and strings from the stream end up in the detail; a control character (a line break, a NUL, an escape
    // sequence) must not split the one line or reach the terminal: it is shown as <0xNN>.
    private static string Printable(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var sb = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
            if (char.IsControl(c)) sb.Append("<0x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture)).Append('>');
            else sb.Append(c);
        return sb.ToString();
    }
}
