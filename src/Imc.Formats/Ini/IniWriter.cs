using System.Text;

namespace Imc.Formats.Ini;

/// <summary>
/// Writes an .ini file: <c>[Section]</c> lines, <c>Key=Value</c> lines, a blank line between sections, CRLF, no
/// quoting, no comments, UTF-8 without a BOM. UTF-8 because our packing list holds file names that may be
/// non-ASCII; a file of ASCII text (the usual case) is byte for byte the ANSI file Windows would write. Anything the
/// reader would read back differently (line breaks, blanks at either end, surrounding quotes, '=' in a key, ...) is
/// refused with <see cref="ArgumentException"/>.
/// </summary>
public static class IniWriter
{
    internal static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Writes <paramref name="document"/> line by line (a packing list of 100,000 messages is never one string in
    /// memory). Everything is checked before the first byte is written, so a refused document writes nothing.
    /// </summary>
    public static void Write(Stream stream, IniDocument document)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Validate(document);
        using var writer = new IniStreamWriter(stream);
        WriteLines(writer, document);
    }

    public static string ToText(IniDocument document)
    {
        Validate(document);
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using (var writer = new IniStreamWriter(text, ownsWriter: false)) WriteLines(writer, document);
        return text.ToString();
    }

    private static void Validate(IniDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        foreach (var section in document.Sections)
        {
            CheckSection(section.Name);
            foreach (var (key, value) in section.Entries) CheckEntry(section.Name, key, value);
        }
    }

    private static void WriteLines(IniStreamWriter writer, IniDocument document)
    {
        foreach (var section in document.Sections)
        {
            writer.WriteSection(section.Name);
            foreach (var (key, value) in section.Entries) writer.WriteEntry(key, value);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> for a section name the reader would read back differently.</summary>
    internal static void CheckSection(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Check(name, "Section name", name.Contains(']', StringComparison.Ordinal));
    }

    /// <summary>Throws <see cref="ArgumentException"/> for an entry of [<paramref name="section"/>] the reader would read back differently.</summary>
    internal static void CheckEntry(string section, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        Check(key, $"Key in [{section}]", key.Contains('=', StringComparison.Ordinal) || (key.Length > 0 && key[0] is ';' or '['));
        if (value.Length > 0) Check(value, $"Value of {key} in [{section}]", IsQuoted(value));
    }

    internal static bool IsQuoted(string value) => value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0];

    private static void Check(string text, string what, bool extraProblem)
    {
        if (text.Length == 0 || extraProblem || text != text.Trim() || text.AsSpan().IndexOfAny("\r\n\0") >= 0 || char.IsSurrogate(text[^1]) && !char.IsLowSurrogate(text[^1]))
            throw new ArgumentException($"{what} \"{text}\" cannot be written to an .ini file unchanged.");
    }
}
