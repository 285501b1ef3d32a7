namespace Imc.Formats.Ini;

/// <summary>
/// Writes an .ini file section by section and entry by entry, in <see cref="IniWriter"/>'s format, without an
/// <see cref="IniDocument"/>: imcsave streams a packing list of 100,000 messages from a spool, so no line of it need
/// be in memory at once. Each section name and entry is checked as it comes (the same rules as
/// <see cref="IniWriter"/>); a refused one throws <see cref="ArgumentException"/> with what was written so far
/// already in the stream, so write to a temporary file (AtomicFile). Unlike <see cref="IniDocument"/> it does not
/// look for duplicate keys: the caller's keys must be unique.
/// </summary>
public sealed class IniStreamWriter : IDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private string? _section;

    /// <summary>Writes UTF-8 without a BOM to <paramref name="stream"/> (left open); dispose to flush.</summary>
    public IniStreamWriter(Stream stream)
        : this(new StreamWriter(stream, IniWriter.Utf8, bufferSize: 65536, leaveOpen: true), ownsWriter: true)
    {
    }

    internal IniStreamWriter(TextWriter writer, bool ownsWriter)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _ownsWriter = ownsWriter;
    }

    /// <summary>Starts <c>[name]</c>, with a blank line before it unless it is the first.</summary>
    public void WriteSection(string name)
    {
        IniWriter.CheckSection(name);
        if (_section is not null) _writer.Write("\r\n");
        _section = name;
        _writer.Write('[');
        _writer.Write(name);
        _writer.Write("]\r\n");
    }

    /// <summary>Writes <c>key=value</c> in the current section.</summary>
    public void WriteEntry(string key, string value)
    {
        if (_section is null) throw new InvalidOperationException("An .ini entry needs a section before it.");
        IniWriter.CheckEntry(_section, key, value);
        _writer.Write(key);
        _writer.Write('=');
        _writer.Write(value);
        _writer.Write("\r\n");
    }

    public void Dispose()
    {
        if (_ownsWriter) _writer.Dispose();
        else _writer.Flush();
    }
}
