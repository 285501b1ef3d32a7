using System.Text;

namespace Imc.Formats.Ini;

/// <summary>What an <see cref="IniLineReader"/> line is: a <c>[Section]</c> header or a <c>Key=Value</c> entry.</summary>
public enum IniLineKind
{
    Section,
    Entry,
}

/// <summary>
/// Reads an .ini file one meaningful line at a time, with the rules of <see cref="IniReader"/> (which is built on it):
/// lines and names trimmed, <c>;</c> comment lines and blank lines skipped, one pair of quotes removed from a value;
/// strictly, a line that is not <c>[Section]</c>, <c>Key=Value</c>, a comment or blank, an entry before the first
/// section, and bytes that are not UTF-8 throw <see cref="IniFormatException"/>; leniently they are skipped. Over-long
/// lines and files throw in both modes. Duplicate sections and keys are the caller's to judge: a packing list of
/// 100,000 files is read without holding its entries.
/// </summary>
public sealed class IniLineReader : IDisposable
{
    private readonly Stream _stream;
    private readonly long _start;
    private readonly StreamReader _text;
    private readonly string? _source;
    private readonly IniReaderOptions _options;
    private readonly bool _retryOnInvalidText;
    private readonly char[] _buffer = new char[4096];
    private readonly StringBuilder _long = new();
    private int _pos, _len;
    private bool _eof, _inSection;
    private long _total;
    private int _lineNumber;

    /// <summary>Reads UTF-8 (a BOM may choose UTF-16); <paramref name="stream"/> stays open.</summary>
    public IniLineReader(Stream stream, string? source, IniReaderOptions options)
        : this(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), source, options, retryOnInvalidText: false)
    {
    }

    internal IniLineReader(Stream stream, Encoding encoding, string? source, IniReaderOptions options, bool retryOnInvalidText)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        _stream = stream;
        _start = stream.CanSeek ? stream.Position : -1;
        _text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: true);
        _source = source;
        _options = options;
        _retryOnInvalidText = retryOnInvalidText;
    }

    public IniLineKind Kind { get; private set; }

    /// <summary>The section name, or the entry's key.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The entry's value ("" for a section).</summary>
    public string Value { get; private set; } = "";

    /// <summary>The 1-based line of the current section or entry.</summary>
    public int Line { get; private set; }

    /// <summary>Moves to the next section or entry; false at the end of the file.</summary>
    public bool Read()
    {
        while (NextLine(out var raw))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == ';') continue;
            if (line[0] == '[')
            {
                var end = line.IndexOf(']');
                if (end < 0 || end != line.Length - 1)
                {
                    if (_options.Strict) throw Error($"expected [Section] alone on the line, found {Quote(line)}");
                    if (end < 0) continue; // Windows ignores it
                }
                _inSection = true;
                return Found(IniLineKind.Section, line[1..end].Trim().ToString(), "");
            }
            var eq = line.IndexOf('=');
            var key = eq < 0 ? default : line[..eq].TrimEnd();
            if (eq < 0 || key.Length == 0)
            {
                if (_options.Strict) throw Error($"expected Key=Value, [Section], a ; comment or a blank line, found {Quote(line)}");
                continue;
            }
            if (!_inSection)
            {
                if (_options.Strict) throw Error($"expected a [Section] line before the first Key=Value, found {Quote(line)}");
                continue;
            }
            var value = line[(eq + 1)..].TrimStart().ToString();
            if (IniWriter.IsQuoted(value)) value = value[1..^1];
            return Found(IniLineKind.Entry, key.ToString(), value);
        }
        return false;
    }

    public void Dispose() => _text.Dispose();

    private bool Found(IniLineKind kind, string name, string value)
    {
        (Kind, Name, Value, Line) = (kind, name, value, _lineNumber);
        return true;
    }

    private IniFormatException Error(string detail) => new(_lineNumber, detail, _source);

    private static string Quote(ReadOnlySpan<char> s) => "\"" + (s.Length > 60 ? string.Concat(s[..57], "...") : s.ToString()) + "\"";

    /// <summary>
    /// The next raw line without its end (CRLF, LF or a lone CR); false at the end. Counts every character against the
    /// file limit and the line's against the line limit, in the order they come, as a character-by-character reader
    /// would. The line is a view of the buffer, valid until the next call.
    /// </summary>
    private bool NextLine(out ReadOnlySpan<char> line)
    {
        _lineNumber++;
        _long.Clear();
        while (true)
        {
            if (_pos == _len && !Fill())
            {
                // The last line has no end; an empty one is no line.
                line = _long.ToString();
                if (_long.Length > 0) return true;
                _lineNumber--;
                return false;
            }
            var rest = _buffer.AsSpan(_pos, _len - _pos);
            var stop = rest.IndexOfAny('\r', '\n');
            CheckLimits(stop < 0 ? rest.Length : stop);
            if (stop < 0)
            {
                _long.Append(rest);
                _pos = _len;
                continue;
            }
            var crAtEnd = rest[stop] == '\r' && stop == rest.Length - 1;
            // A line that spans buffers, or whose CR ends the buffer (the next fill overwrites it), is copied.
            if (_long.Length > 0 || crAtEnd)
            {
                _long.Append(rest[..stop]);
                line = _long.ToString();
            }
            else line = rest[..stop];
            var cr = rest[stop] == '\r';
            _pos += stop + 1;
            Count(1);
            if (cr && (_pos < _len || Fill()) && _buffer[_pos] == '\n')
            {
                _pos++;
                Count(1);
            }
            return true;
        }
    }

    // `content` more characters of the current line: the first that passes the file limit or the line limit throws,
    // the file limit first when one character passes both.
    private void CheckLimits(int content)
    {
        var toFileLimit = _options.MaxFileLength - _total; // the character at this index passes the file limit
        var toLineLimit = (long)_options.MaxLineLength - _long.Length; // ... the line limit
        if (toFileLimit < content && toFileLimit <= toLineLimit)
            throw Error($"file is longer than {_options.MaxFileLength} characters");
        if (toLineLimit < content)
            throw Error($"line is longer than {_options.MaxLineLength} characters");
        _total += content;
    }

    private void Count(int n)
    {
        _total += n;
        if (_total > _options.MaxFileLength) throw Error($"file is longer than {_options.MaxFileLength} characters");
    }

    private bool Fill()
    {
        if (_eof) return false;
        // A line that spans buffers keeps what it has read so far in _long; the rest of _buffer is consumed.
        try
        {
            _len = _text.Read(_buffer, 0, _buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            if (_retryOnInvalidText && _start >= 0) throw new InvalidTextException();
            throw new IniFormatException(_start >= 0 ? LineOfInvalidUtf8() : _lineNumber, "expected UTF-8 text, found bytes that are not UTF-8", _source);
        }
        _pos = 0;
        if (_len == 0) _eof = true;
        return _len > 0;
    }

    /// <summary>The exact line of the first invalid byte (the decoder works a buffer ahead of the lines).</summary>
    private int LineOfInvalidUtf8()
    {
        _stream.Position = _start;
        var bytes = new byte[(int)Math.Min(_stream.Length - _start, Math.Min(_options.MaxFileLength, Array.MaxLength))];
        _stream.ReadExactly(bytes);
        var skip = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
        var index = bytes.Length;
        try { new UTF8Encoding(false, true).GetCharCount(bytes, skip, bytes.Length - skip); }
        catch (DecoderFallbackException e) { index = skip + Math.Max(0, e.Index); }
        return bytes.AsSpan(0, Math.Min(index, bytes.Length)).Count((byte)'\n') + 1;
    }

    /// <summary>The bytes are not text in the reader's encoding; a lenient reader tries code page 1252 instead.</summary>
    internal sealed class InvalidTextException : Exception;
}
