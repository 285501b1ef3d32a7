using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Imc.Formats.Text;

namespace Imc.Formats.Reg;

/// <summary>
/// Reads .reg files as regedit imports them: <c>REGEDIT4</c> (code page 1252) and <c>Windows Registry Editor Version
/// 5.00</c> (UTF-16LE with a BOM; a UTF-8 BOM is accepted too; without a BOM the file is ANSI, as on Windows).
/// Accepts any hex wrapping (backslash at the end of a line, leading blanks on the next), blanks after commas,
/// <c>;</c> comment lines, <c>[-KEY]</c>, <c>"name"=-</c>, CRLF or LF. Values come back in the registry's stored
/// form: strings as UTF-16LE with a NUL, and REGEDIT4 hex(2)/hex(7) ANSI bytes converted to UTF-16LE as Windows does.
/// </summary>
public static class RegReader
{
    private static readonly string[] Roots =
        ["HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER", "HKEY_CLASSES_ROOT", "HKEY_USERS", "HKEY_CURRENT_CONFIG", "HKEY_DYN_DATA"];

    private static readonly Dictionary<string, string> ShortRoots = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HKLM"] = "HKEY_LOCAL_MACHINE", ["HKCU"] = "HKEY_CURRENT_USER", ["HKCR"] = "HKEY_CLASSES_ROOT",
        ["HKU"] = "HKEY_USERS", ["HKCC"] = "HKEY_CURRENT_CONFIG", ["HKDD"] = "HKEY_DYN_DATA",
    };

    /// <summary>Reads a .reg file from <paramref name="path"/>; error messages name the file.</summary>
    public static IReadOnlyList<RegKey> ReadFile(string path, RegReaderOptions? options = null)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path), options);
    }

    /// <summary>
    /// Reads every key block of the file in order. <paramref name="source"/> (e.g. the file name) prefixes error
    /// messages. Throws <see cref="RegFormatException"/> naming the line and what was expected.
    /// </summary>
    public static IReadOnlyList<RegKey> Read(Stream stream, string? source = null, RegReaderOptions? options = null)
    {
        options ??= RegReaderOptions.Default;
        using var text = new StreamReader(stream, Cp1252.Strict, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return new Parser(new RegLineReader(text, options.MaxLineLength, source), options, source).Parse();
    }

    private sealed class Parser(RegLineReader lines, RegReaderOptions options, string? source)
    {
        private bool _regedit4;

        private RegFormatException Error(string detail, int? line = null) => new(line ?? lines.LineNumber, detail, source);

        public List<RegKey> Parse()
        {
            var header = lines.ReadLine() ?? throw Error("expected \"REGEDIT4\" or \"Windows Registry Editor Version 5.00\", found an empty file", 1);
            header = header.TrimEnd(' ', '\t');
            if (header == RegWriter.Regedit4Header) _regedit4 = true;
            else if (header != RegWriter.Version5Header)
                throw Error($"expected \"REGEDIT4\" or \"Windows Registry Editor Version 5.00\", found {Quote(header)}");

            var keys = new List<RegKey>();
            RegKey? current = null;
            while (lines.ReadLine() is { } raw)
            {
                var line = raw.TrimStart(' ', '\t');
                if (line.Length == 0 || line[0] == ';') continue;
                if (line[0] == '[')
                {
                    current = ParseKey(line);
                    keys.Add(current);
                }
                else if (line[0] is '@' or '"')
                {
                    if (current is null) throw Error($"expected a [KEY] line before the first value, found {Quote(line)}");
                    if (current.Delete) throw Error($"a value cannot follow the key deletion [-{current.Path}], found {Quote(line)}");
                    ParseValue(line, current);
                }
                else throw Error($"expected [KEY], \"Name\"=value, @=value, a ; comment or a blank line, found {Quote(line)}");
            }
            return keys;
        }

        private RegKey ParseKey(string line)
        {
            var end = line.LastIndexOf(']');
            if (end < 0) throw Error($"expected ] at the end of the key line, found {Quote(line)}");
            if (line.AsSpan(end + 1).Trim(" \t").Length != 0) throw Error($"expected nothing after ] on a key line, found {Quote(line)}");
            var name = line[1..end];
            var delete = name.StartsWith('-');
            if (delete) name = name[1..];
            var slash = name.IndexOf('\\');
            var root = slash < 0 ? name : name[..slash];
            var canonical = Roots.FirstOrDefault(r => r.Equals(root, StringComparison.OrdinalIgnoreCase)) ?? ShortRoots.GetValueOrDefault(root);
            if (canonical is null)
                throw Error($"expected a key under HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, HKEY_CLASSES_ROOT, HKEY_USERS or HKEY_CURRENT_CONFIG, found {Quote("[" + line[1..end] + "]")}");
            var rest = slash < 0 ? "" : name[slash..];
            if (rest.Contains("\\\\", StringComparison.Ordinal) || rest == "\\")
                throw Error($"expected a key path without empty parts, found {Quote("[" + line[1..end] + "]")}");
            return new RegKey(canonical + rest.TrimEnd('\\')) { Delete = delete };
        }

        private void ParseValue(string line, RegKey key)
        {
            var pos = 0;
            string name;
            if (line[0] == '@') { name = ""; pos = 1; }
            else name = ReadQuoted(line, ref pos, "value name");
            SkipBlanks(line, ref pos);
            if (pos >= line.Length || line[pos] != '=') throw Error($"expected = after the value name, found {Quote(line)}");
            pos++;
            SkipBlanks(line, ref pos);
            var data = line.AsSpan(pos);
            if (data.TrimEnd(" \t").SequenceEqual("-"))
            {
                key.DeletedValues.Add(name);
                return;
            }
            if (data.StartsWith("\""))
            {
                var s = ReadQuoted(line, ref pos, "string");
                ExpectEnd(line, pos, "after the closing quote of the string");
                key.Values.Add(new RegValue(name, RegType.Sz, Encoding.Unicode.GetBytes(s + "\0")));
                return;
            }
            if (data.StartsWith("dword:", StringComparison.OrdinalIgnoreCase))
            {
                var digits = data[6..].TrimEnd(" \t");
                if (digits.Length is < 1 or > 8 || !uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var dw))
                    throw Error($"expected dword:XXXXXXXX (1 to 8 hex digits), found {Quote(data.ToString())}");
                var bytes = new byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, dw);
                key.Values.Add(new RegValue(name, RegType.DWord, bytes));
                return;
            }
            if (data.StartsWith("hex", StringComparison.OrdinalIgnoreCase))
            {
                key.Values.Add(ParseHexValue(name, data.ToString()));
                return;
            }
            throw Error($"expected \"string\", dword:, hex:, hex(N): or - after =, found {Quote(data.ToString())}");
        }

        private RegValue ParseHexValue(string name, string data)
        {
            uint type;
            int start;
            if (data.StartsWith("hex:", StringComparison.OrdinalIgnoreCase)) { type = RegType.Binary; start = 4; }
            else
            {
                var close = data.IndexOf("):", StringComparison.Ordinal);
                var digits = close > 4 && data[3] == '(' ? data.AsSpan(4, close - 4) : default;
                if (digits.Length is < 1 or > 8 || !uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out type))
                    throw Error($"expected hex: or hex(N): with N as 1 to 8 hex digits, found {Quote(data)}");
                start = close + 2;
            }
            var bytes = ParseHexBytes(data, start);
            if (_regedit4 && type is RegType.ExpandSz or RegType.MultiSz)
                bytes = Encoding.Unicode.GetBytes(Cp1252.Strict.GetString(bytes)); // ANSI → UTF-16 like regedit's import
            return new RegValue(name, type, bytes);
        }

        /// <summary>Comma-separated bytes, following "\" continuations onto the next lines.</summary>
        private byte[] ParseHexBytes(string first, int start)
        {
            var text = new StringBuilder();
            var segments = new List<(int Offset, int Line)>();
            var maxChars = (long)options.MaxValueBytes * 4 + 64;
            var segment = first[start..];
            while (true)
            {
                segments.Add((text.Length, lines.LineNumber));
                var trimmed = segment.AsSpan().TrimEnd(" \t");
                var continues = trimmed.EndsWith("\\");
                text.Append(continues ? trimmed[..^1] : trimmed);
                if (text.Length > maxChars) throw Error($"value data is larger than {options.MaxValueBytes} bytes", segments[0].Line);
                if (!continues) break;
                var next = lines.ReadLine() ?? throw Error("expected another line of hex data after the \\ at the end of the file");
                segment = next.TrimStart(' ', '\t');
            }

            var all = text.ToString();
            var output = new MemoryStream();
            var tokenStart = 0;
            while (tokenStart <= all.Length)
            {
                var comma = all.IndexOf(',', tokenStart);
                var end = comma < 0 ? all.Length : comma;
                var token = all.AsSpan(tokenStart, end - tokenStart).Trim(" \t");
                var isLast = comma < 0;
                if (!(isLast && token.Length == 0)) // "hex:" with no data, or a trailing comma
                {
                    if (token.Length is < 1 or > 2 || !byte.TryParse(token, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                    {
                        var line = segments.Last(sg => sg.Offset <= tokenStart).Line;
                        throw Error($"expected a hex byte (00 to ff) in the hex data, found {Quote(token.ToString())}", line);
                    }
                    if (output.Length >= options.MaxValueBytes) throw Error($"value data is larger than {options.MaxValueBytes} bytes", segments[0].Line);
                    output.WriteByte(b);
                }
                tokenStart = end + 1;
            }
            return output.ToArray();
        }

        private string ReadQuoted(string line, ref int pos, string what)
        {
            var sb = new StringBuilder();
            for (pos++; pos < line.Length; pos++)
            {
                var c = line[pos];
                if (c == '"') { pos++; return sb.ToString(); }
                if (c == '\\' && pos + 1 < line.Length)
                {
                    var e = line[++pos];
                    switch (e)
                    {
                        case '\\' or '"': sb.Append(e); break;
                        case 'n': sb.Append('\n'); break; // Wine writes line breaks this way
                        case 'r': sb.Append('\r'); break;
                        case '0': sb.Append('\0'); break;
                        default: sb.Append('\\').Append(e); break; // regedit keeps unknown escapes as they are
                    }
                    continue;
                }
                sb.Append(c);
            }
            throw Error($"expected a closing quote at the end of the {what}, found {Quote(line)}");
        }

        private void ExpectEnd(string line, int pos, string where)
        {
            var rest = line.AsSpan(pos).TrimStart(" \t");
            if (rest.Length != 0 && rest[0] != ';') throw Error($"expected the end of the line {where}, found {Quote(rest.ToString())}");
        }

        private static void SkipBlanks(string line, ref int pos)
        {
            while (pos < line.Length && line[pos] is ' ' or '\t') pos++;
        }
    }

    /// <summary>Quotes a piece of input for a message, shortened so that the message stays one readable line.</summary>
    internal static string Quote(string s)
    {
        var shown = s.Length > 60 ? s[..57] + "..." : s;
        return "\"" + shown.Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
    }
}
