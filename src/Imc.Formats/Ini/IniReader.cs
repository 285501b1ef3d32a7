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
        catch (InvalidUtf8Exception e)
        {
            if (options.Strict || start < 0)
                throw new IniFormatException(start < 0 ? e.Line : LineOfInvalidUtf8(stream, start, options), "expected UTF-8 text, found bytes that are not UTF-8", source);
            stream.Position = start;
            return Parse(stream, Cp1252.Strict, source, options);
        }
    }

    /// <summary>The exact line of the first invalid byte (the decoder works a buffer ahead of the lines).</summary>
    private static int LineOfInvalidUtf8(Stream stream, long start, IniReaderOptions options)
    {
        stream.Position = start;
        var bytes = new byte[(int)Math.Min(stream.Length - start, Math.Min(options.MaxFileLength, Array.MaxLength))];
        stream.ReadExactly(bytes);
        var skip = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
        var index = bytes.Length;
        try { new UTF8Encoding(false, true).GetCharCount(bytes, skip, bytes.Length - skip); }
        catch (DecoderFallbackException e) { index = skip + Math.Max(0, e.Index); }
        return bytes.AsSpan(0, Math.Min(index, bytes.Length)).Count((byte)'\n') + 1;
    }

    private sealed class InvalidUtf8Exception(int line) : Exception
    {
        public int Line { get; } = line;
    }

    private static IniDocument Parse(Stream stream, Encoding encoding, string? source, IniReaderOptions options)
    {
        using var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: true);
        var doc = new IniDocument();
        var firstLine = new Dictionary<IniSection, Dictionary<string, int>>(); // strict mode: where keys were first seen
        var sectionLines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        IniSection? current = null;
        var lineNumber = 0;
        long total = 0;
        var sb = new StringBuilder();
        while (true)
        {
            string? raw;
            try { raw = ReadLine(text, sb, options, lineNumber + 1, ref total, source); }
            catch (DecoderFallbackException) { throw new InvalidUtf8Exception(lineNumber + 1); }
            if (raw is null) break;
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == ';') continue;
            if (line[0] == '[')
            {
                var end = line.IndexOf(']', StringComparison.Ordinal);
                if (end < 0 || end != line.Length - 1)
                {
                    if (options.Strict) throw new IniFormatException(lineNumber, $"expected [Section] alone on the line, found {Quote(line)}", source);
                    if (end < 0) continue; // Windows ignores it
                }
                var name = line[1..end].Trim();
                if (options.Strict && sectionLines.TryGetValue(name, out var first))
                    throw new IniFormatException(lineNumber, $"section [{name}] appears twice (first on line {first})", source);
                sectionLines.TryAdd(name, lineNumber);
                current = doc.GetOrAdd(name);
                if (current.Line == 0) current.Line = lineNumber;
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? "" : line[..eq].TrimEnd();
            if (eq < 0 || key.Length == 0)
            {
                if (options.Strict) throw new IniFormatException(lineNumber, $"expected Key=Value, [Section], a ; comment or a blank line, found {Quote(line)}", source);
                continue;
            }
            if (current is null)
            {
                if (options.Strict) throw new IniFormatException(lineNumber, $"expected a [Section] line before the first Key=Value, found {Quote(line)}", source);
                continue;
            }
            var value = line[(eq + 1)..].TrimStart();
            if (IniWriter.IsQuoted(value)) value = value[1..^1];
            if (!current.TryAdd(key, value, lineNumber) && options.Strict)
                throw new IniFormatException(lineNumber, $"key \"{key}\" appears twice in [{current.Name}] (first on line {firstLine[current][key]})", source);
            if (options.Strict)
            {
                if (!firstLine.TryGetValue(current, out var keys)) firstLine[current] = keys = new(StringComparer.OrdinalIgnoreCase);
                keys.TryAdd(key, lineNumber);
            }
        }
        return doc;
    }

    private static string? ReadLine(TextReader reader, StringBuilder sb, IniReaderOptions options, int lineNumber, ref long total, string? source)
    {
        sb.Clear();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (++total > options.MaxFileLength) throw new IniFormatException(lineNumber, $"file is longer than {options.MaxFileLength} characters", source);
            if (c == '\n') break;
            if (c == '\r')
            {
                if (reader.Peek() == '\n' && reader.Read() >= 0 && ++total > options.MaxFileLength)
                    throw new IniFormatException(lineNumber, $"file is longer than {options.MaxFileLength} characters", source);
                break;
            }
            if (sb.Length >= options.MaxLineLength) throw new IniFormatException(lineNumber, $"line is longer than {options.MaxLineLength} characters", source);
            sb.Append((char)c);
        }
        return c < 0 && sb.Length == 0 ? null : sb.ToString();
    }

    private static string Quote(string s) => "\"" + (s.Length > 60 ? s[..57] + "..." : s) + "\"";
}
