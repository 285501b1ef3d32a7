using System.Text;

namespace Imc.Formats.Text;

/// <summary>
/// Windows code page 1252, the ANSI code page of western Windows installations, which REGEDIT4 files and Exchange
/// 5.x directory exports are written in. Obtained from the provider directly so that the library does not change the
/// process-wide encoding registry. Every one of the 256 bytes maps to one character and back (0x81 ↔ U+0081, as
/// Windows does), so decoding never fails.
/// </summary>
internal static class Cp1252
{
    /// <summary>Strict: encoding a character outside the code page throws <see cref="EncoderFallbackException"/>.</summary>
    public static Encoding Strict { get; } =
        CodePagesEncodingProvider.Instance.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
        ?? throw new InvalidOperationException("Code page 1252 is not available.");

    // The characters of bytes 0x80-0x9F; all other bytes map to the same code point.
    private static readonly string High = Strict.GetString(Enumerable.Range(0x80, 32).Select(i => (byte)i).ToArray());

    public static bool CanEncode(char c) => c < 0x80 || (c >= 0xA0 && c <= 0xFF) || High.Contains(c, StringComparison.Ordinal);

    /// <summary>True when every character of <paramref name="text"/> has a code page 1252 byte.</summary>
    public static bool CanEncode(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (!CanEncode(c)) return false;
        return true;
    }

    /// <summary>The first character of <paramref name="text"/> that has no code page 1252 byte, or null.</summary>
    public static char? FirstUnencodable(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (!CanEncode(c)) return c;
        return null;
    }
}
