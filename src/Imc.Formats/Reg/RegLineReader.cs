using System.Text;

namespace Imc.Formats.Reg;

/// <summary>Physical lines of a .reg file (CRLF, LF or CR ends), numbered from 1, each at most a fixed length.</summary>
internal sealed class RegLineReader(TextReader reader, int maxLineLength, string? source)
{
    private readonly StringBuilder _line = new();

    public int LineNumber { get; private set; }

    public string? ReadLine()
    {
        _line.Clear();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c == '\n') break;
            if (c == '\r')
            {
                if (reader.Peek() == '\n') reader.Read();
                break;
            }
            if (_line.Length >= maxLineLength)
                throw new RegFormatException(LineNumber + 1, $"line is longer than {maxLineLength} characters", source);
            _line.Append((char)c);
        }
        if (c < 0 && _line.Length == 0) return null;
        LineNumber++;
        return _line.ToString();
    }
}
