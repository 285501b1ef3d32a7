using Imc.Formats.Ini;

namespace Imc.Backup.PackingList;

/// <summary>
/// Streams the entries of one section of a packing list, in file order, with the reader's line rules; a line that no
/// longer reads (the file changed after it was checked) is the same <see cref="BackupFormatException"/> as before.
/// </summary>
internal sealed class PackingListCursor : IDisposable
{
    private readonly Stream _stream;
    private readonly IniLineReader _lines;
    private readonly string _section;
    private bool _inSection, _done;

    public PackingListCursor(PackingListSource source, string section)
    {
        _stream = source.OpenStream();
        _lines = new IniLineReader(_stream, BackupLayout.PackingListName, PackingListReader.Options);
        _section = section;
    }

    public string Key => _lines.Name;
    public string Value => _lines.Value;
    public int Line => _lines.Line;

    /// <summary>Moves to the next entry of the section; false after its last.</summary>
    public bool Next()
    {
        while (!_done && Read())
        {
            if (_lines.Kind == IniLineKind.Entry)
            {
                if (_inSection) return true;
                continue;
            }
            // Sections do not repeat in a checked list: the next header ends ours.
            if (_inSection) break;
            _inSection = string.Equals(_lines.Name, _section, StringComparison.OrdinalIgnoreCase);
        }
        _done = true;
        return false;
    }

    public PackedFile File() => PackingListReader.ParseFile(Key, Value, Line);

    public PackedMessage Message() => PackingListReader.ParseMessage(Key, Value, Line);

    /// <summary>Adds the current entry to <paramref name="digest"/>: its line, key and value as read.</summary>
    public void AddTo(EntryDigest digest) => digest.Add(Line, Key, Value);

    /// <summary>Every [Files] entry, parsed.</summary>
    public static IEnumerable<PackedFile> Files(PackingListSource source)
    {
        using var cursor = new PackingListCursor(source, "Files");
        while (cursor.Next()) yield return cursor.File();
    }

    /// <summary>Every [Messages] entry, parsed.</summary>
    public static IEnumerable<PackedMessage> Messages(PackingListSource source)
    {
        using var cursor = new PackingListCursor(source, "Messages");
        while (cursor.Next()) yield return cursor.Message();
    }

    public void Dispose()
    {
        _lines.Dispose();
        _stream.Dispose();
    }

    private bool Read()
    {
        try
        {
            return _lines.Read();
        }
        catch (IniFormatException e)
        {
            throw PackingListReader.Error(e);
        }
    }
}
