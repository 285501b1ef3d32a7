using System.Text;
using Imc.Formats.Text;

namespace Imc.Formats.Ini;

/// <summary>
/// Reads .ini files with Windows GetPrivateProfileString semantics: lines and names trimmed, section and key names
/// case-insensitive, <c>;</c> comments only at the start of a line, no inline comments, no continuation lines, one
/// pair of surrounding quotes (<c>"</c> or <c>'</c>) removed from a value. Leniently, the first value of a duplicate
/// key wins and duplicate sections merge; strictly (<see cref="IniReaderOptions.Strict"/>) both are errors.
/// Encoding: a BOM decides (UTF-8, UTF-16LE); otherwise UTF-8, or, when the bytes are not UTF-8 and the reader is
/// lenient on a seekable stream, code page 1252 (an ANSI file from Windows).
/// </summary>
public static class IniReader
{
    public static IniDocument ReadFile(string path, IniReaderOptions? options = null)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path), options);
    }

    public static IniDocument Read(Stream stream, string? source = null, IniReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= IniReaderOptions.Lenient;
        var start = stream.CanSeek ? stream.Position : -1;
        try
        {
            return Parse(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), source, options);
        }
        catch (IniLineReader.InvalidTextException)
        {
            // Only a lenient reader on a seekable stream asks for this: an ANSI file from Windows.
            stream.Position = start;
            return Parse(stream, Cp1252.Strict, source, options);
        }
    }

    private static IniDocument Parse(Stream stream, Encoding encoding, string? source, IniReaderOptions options)
    {
        using var lines = new IniLineReader(stream, encoding, source, options, retryOnInvalidText: !options.Strict);
        var doc = new IniDocument();
        var firstLine = new Dictionary<IniSection, Dictionary<string, int>>(); // strict mode: where keys were first seen
        var sectionLines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        IniSection? current = null;
        while (lines.Read())
        {
            var lineNumber = lines.Line;
            if (lines.Kind == IniLineKind.Section)
            {
                var name = lines.Name;
                if (options.Strict && sectionLines.TryGetValue(name, out var first))
                    throw new IniFormatException(lineNumber, $"section [{name}] appears twice (first on line {first})", source);
                sectionLines.TryAdd(name, lineNumber);
                current = doc.GetOrAdd(name);
                if (current.Line == 0) current.Line = lineNumber;
                continue;
            }
            var (key, value) = (lines.Name, lines.Value);
            if (!current!.TryAdd(key, value, lineNumber) && options.Strict)
                throw new IniFormatException(lineNumber, $"key \"{key}\" appears twice in [{current.Name}] (first on line {firstLine[current][key]})", source);
            if (options.Strict)
            {
                if (!firstLine.TryGetValue(current, out var keys)) firstLine[current] = keys = new(StringComparer.OrdinalIgnoreCase);
                keys.TryAdd(key, lineNumber);
            }
        }
        return doc;
    }
}
