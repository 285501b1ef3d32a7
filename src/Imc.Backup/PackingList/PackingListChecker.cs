using System.Globalization;
using Imc.Formats.Ini;
using static Imc.Backup.PackingList.PackingListReader;

namespace Imc.Backup.PackingList;

/// <summary>
/// Checks a packing list in one pass over its lines without holding its entries: for a list in imcsave's order the
/// memory does not grow with the number of entries (a list edited by hand falls back to fingerprints, 8 to 16 bytes
/// an entry, see <see cref="DuplicateGuard"/>). The problems are reported in the order the rules are documented,
/// the first of each kind in file order: a line the .ini rules refuse (at once, like the .ini reader), then an unknown
/// section or control character, a missing section, the header, the queues, a [Files] entry, a [Messages] entry, and
/// last the entries against each other. Problems of later kinds are kept until the end, so a later line cannot
/// hide an earlier kind.
/// </summary>
internal sealed class PackingListChecker(PackingListSource source)
{
    private const string Name = BackupLayout.PackingListName;
    private enum Kind { Header, Queues, Files, Messages, Unknown }

    private readonly Dictionary<string, int> _sectionLines = new(StringComparer.OrdinalIgnoreCase);
    private IniSection? _header, _queues;
    private (string Name, Kind Kind) _section;
    private DuplicateGuard? _keys; // the current section's keys
    private int _currentLine; // of the entry being added
    private bool _heldNames; // the list was not in imcsave's order: names were held as fingerprints

    // [Files] and [Messages] name the same message files in the same order when these agree (see Link).
    private ulong _fileSequence, _messageSequence;
    private int _slashEntries;

    // The first problem of each kind that is reported after the .ini rules.
    private BackupFormatException? _listing, _fileEntry, _messageEntry, _fileKind, _messageFolder;
    private readonly (int Line, string Path)?[] _firstOfItem = new (int, string)?[BackupLayout.ItemOrder.Count];

    // What the entries add up to.
    private readonly EntryDigest _filesDigest = new(), _messagesDigest = new();
    private readonly PackingListIndex.QueueEntries[] _queueEntries = [.. BackupLayout.Queues.Select(q => new PackingListIndex.QueueEntries(q))];
    private bool _hasServiceReg, _hasProfileReg, _hasDirectoryCsv;
    private int _fileCount, _slashFiles, _messageCount;
    private long _total;

    public PackingListIndex Run()
    {
        using (var stream = source.OpenStream())
        using (var lines = new IniLineReader(stream, Name, Options))
        {
            while (ReadLine(lines))
            {
                if (lines.Kind == IniLineKind.Section) StartSection(lines.Name, lines.Line);
                else Entry(lines.Name, lines.Value, lines.Line);
            }
        }
        EndSection();
        return Finish();
    }

    private static bool ReadLine(IniLineReader lines)
    {
        try
        {
            return lines.Read();
        }
        catch (IniFormatException e)
        {
            throw Error(e);
        }
    }

    private void StartSection(string name, int line)
    {
        EndSection();
        if (_sectionLines.TryGetValue(name, out var first)) throw Error(line, $"section [{name}] appears twice (first on line {first})");
        _sectionLines.Add(name, line);
        var kind = Array.FindIndex(Sections, s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0 ? (Kind)i : Kind.Unknown;
        _section = (name, kind);
        _keys = kind is Kind.Header or Kind.Queues ? null : new DuplicateGuard(() => KeysBefore(name));
        switch (kind)
        {
            case Kind.Header: _header = new IniSection(name, line); break;
            case Kind.Queues: _queues = new IniSection(name, line); break;
            case Kind.Files or Kind.Messages: break;
            default:
                _listing ??= Error(line, $"unknown section [{Show(name)}] (expected [Imcsave], [Queues], [Files] or [Messages])");
                break;
        }
    }

    private void EndSection()
    {
        _heldNames |= _keys?.HoldsFingerprints == true;
        _keys = null;
    }

    // The keys the current section had before the key being added (no section repeats before it).
    private IEnumerable<string> KeysBefore(string section)
    {
        using var cursor = new PackingListCursor(source, section);
        while (cursor.Next() && cursor.Line < _currentLine) yield return cursor.Key;
    }

    private void Entry(string key, string value, int line)
    {
        if (key.Any(char.IsControl) || value.Any(char.IsControl)) _listing ??= Error(line, "the line contains a control character");
        if (_section.Kind is Kind.Header or Kind.Queues)
        {
            var section = _section.Kind == Kind.Header ? _header! : _queues!;
            if (!section.TryAdd(key, value, line)) throw Duplicate(key, line, section.LineOf(key));
            return;
        }
        _currentLine = line;
        if (!_keys!.IsNew(key) && FirstLineOf(_section.Name, key, line) is { } first) throw Duplicate(key, line, first);
        if (_section.Kind == Kind.Files) FileEntry(key, value, line);
        else if (_section.Kind == Kind.Messages) MessageEntry(key, value, line);
    }

    private BackupFormatException Duplicate(string key, int line, int first) =>
        Error(line, $"key \"{key}\" appears twice in [{_section.Name}] (first on line {first})");

    // A fingerprint seen before: the earlier line with the same key (in any case), or null for two names that merely
    // share a fingerprint. Read again from the file: only a duplicate, which ends the check, normally comes here.
    private int? FirstLineOf(string section, string key, int before)
    {
        using var cursor = new PackingListCursor(source, section);
        while (cursor.Next() && cursor.Line < before)
            if (string.Equals(cursor.Key, key, StringComparison.OrdinalIgnoreCase)) return cursor.Line;
        return null;
    }

    private void FileEntry(string key, string value, int line)
    {
        if (_fileEntry is not null) return;
        PackedFile file;
        try
        {
            file = ParseFile(key, value, line);
        }
        catch (BackupFormatException e)
        {
            _fileEntry = e;
            return;
        }
        _fileCount++;
        _filesDigest.Add(line, key, value);
        if (file.Path.Contains('/', StringComparison.Ordinal)) _fileSequence = Sequence(_fileSequence, file.Path, ref _slashEntries);
        if (_fileKind is null) _fileKind = ClassifyFile(file);
    }

    // What the file is (a .reg, the .csv or a queue's message) and the running total: the problems that do not depend
    // on Items. Whether Items includes the file's item is decided at the end (the header may come later).
    private BackupFormatException? ClassifyFile(PackedFile f)
    {
        // Each size fits a long, but their sum (progress, summaries) must too.
        if (f.Size > long.MaxValue - _total)
            return Error(f.Line, $"size {f.Size} of {Show(f.Path)} makes the files add up to more than {long.MaxValue} bytes");
        _total += f.Size;
        var slash = f.Path.IndexOf('/', StringComparison.Ordinal);
        string item;
        if (slash < 0)
        {
            item = f.Path switch
            {
                BackupLayout.ServiceRegName or BackupLayout.ProfileRegName => BackupLayout.RegistryItem,
                BackupLayout.DirectoryCsvName => BackupLayout.DirectoryItem,
                _ => "",
            };
            _hasServiceReg |= f.Path == BackupLayout.ServiceRegName;
            _hasProfileReg |= f.Path == BackupLayout.ProfileRegName;
            _hasDirectoryCsv |= f.Path == BackupLayout.DirectoryCsvName;
        }
        else
        {
            var fileName = f.Path[(slash + 1)..];
            var queue = BackupLayout.QueueByBackupFolder(f.Path[..slash]);
            item = queue is null || fileName.Contains('/', StringComparison.Ordinal) || !fileName.EndsWith(BackupLayout.MessageExtension, StringComparison.Ordinal)
                   || fileName.Length == BackupLayout.MessageExtension.Length
                ? ""
                : queue.Item;
            if (item.Length > 0)
            {
                _queueEntries.First(e => e.Queue == queue).AddFile(f.Size);
                _slashFiles++;
            }
        }
        if (item.Length == 0) return Error(f.Line, $"'{Show(f.Path)}' is not a file a backup holds");
        for (var i = 0; i < _firstOfItem.Length; i++)
            if (BackupLayout.ItemOrder[i] == item) _firstOfItem[i] ??= (f.Line, f.Path);
        return null;
    }

    private void MessageEntry(string key, string value, int line)
    {
        if (_messageEntry is not null) return;
        PackedMessage message;
        try
        {
            message = ParseMessage(key, value, line);
        }
        catch (BackupFormatException e)
        {
            _messageEntry = e;
            return;
        }
        _messageSequence = Sequence(_messageSequence, message.Path, ref _messageCount);
        _messagesDigest.Add(line, key, value);
        QueueOf(message.Path)?.AddMessage(line, key, value);
        _messageFolder ??= FolderProblem(message);
    }

    // An order-sensitive fingerprint of the names: equal for [Files]' message files and [Messages] when both list the
    // same names in the same order (as imcsave writes them). Verification then reads them side by side, exactly.
    private static ulong Sequence(ulong sequence, string path, ref int count)
    {
        count++;
        return sequence * 0x9E3779B97F4A7C15UL + FingerprintSet.Of(path, StringComparison.Ordinal);
    }

    private static BackupFormatException? FolderProblem(PackedMessage m)
    {
        var slash = m.Path.IndexOf('/', StringComparison.Ordinal);
        var queue = slash < 0 ? null : BackupLayout.QueueByBackupFolder(m.Path[..slash]);
        if (queue is null) return NotAFile(m);
        if (!string.Equals(m.Folder, queue.StoreFolder, StringComparison.Ordinal))
            return Error(m.Line, $"'{m.Path}' is in {queue.BackupFolder}/, so its folder must be {queue.StoreFolder}, not '{Show(m.Folder)}'");
        return null;
    }

    private static BackupFormatException NotAFile(PackedMessage m) => Error(m.Line, $"[Messages] lists '{m.Path}', which is not a message file in [Files]");

    private PackingListIndex.QueueEntries? QueueOf(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var queue = slash < 0 ? null : BackupLayout.QueueByBackupFolder(path[..slash]);
        return queue is null ? null : _queueEntries.First(q => q.Queue == queue);
    }

    // Each message must name a message file of [Files] exactly, and its folder must be that queue's store folder: the
    // first message that does not. For a list in imcsave's order the names were compared as sequences (a folder
    // problem is then the only one); otherwise [Files] is held as fingerprints and [Messages] read again.
    private BackupFormatException? Link()
    {
        if (_messageSequence == _fileSequence && _messageCount == _slashEntries) return _messageFolder;
        _heldNames = true;
        var files = new FingerprintSet(withValues: true);
        foreach (var f in PackingListCursor.Files(source))
            files.Add(FingerprintSet.Of(f.Path, StringComparison.OrdinalIgnoreCase), FingerprintSet.Of(f.Path, StringComparison.Ordinal));
        foreach (var m in PackingListCursor.Messages(source))
        {
            if (!m.Path.Contains('/', StringComparison.Ordinal) || !files.TryGetValue(FingerprintSet.Of(m.Path, StringComparison.OrdinalIgnoreCase), out var exact)
                || exact != FingerprintSet.Of(m.Path, StringComparison.Ordinal))
                return NotAFile(m);
            if (FolderProblem(m) is { } problem) return problem;
        }
        return null;
    }

    private PackingListIndex Finish()
    {
        if (_listing is not null) throw _listing;
        foreach (var s in Sections)
            if (!_sectionLines.ContainsKey(s)) throw new BackupFormatException(Name, $"section [{s}] is missing");
        var list = new Imcfls();
        ReadHeader(list, _header!);
        ReadQueues(list, _queues!);
        if (_fileEntry is not null) throw _fileEntry;
        if (_messageEntry is not null) throw _messageEntry;
        CheckFiles(list);
        if (Link() is { } link) throw link;
        // Every message names a different message file; with as many messages as message files, each file has one.
        if (_messageCount != _slashFiles) throw FileWithoutMessage();
        foreach (var q in list.Queues)
        {
            var layout = BackupLayout.QueueByItem(q.Item)!;
            var count = _queueEntries.First(e => e.Queue == layout).FileCount;
            if ((q.Count ?? 0) != count)
                throw Error(q.Line, $"{q.Item}={(q.Count?.ToString(CultureInfo.InvariantCulture) ?? "absent")} but [Files] lists {count} file(s) in {layout.BackupFolder}/");
        }
        return new PackingListIndex(list, _fileCount, _total, _messageCount, _queueEntries, _filesDigest.Finish(), _messagesDigest.Finish())
        {
            HeldNames = _heldNames,
        };
    }

    // The files against Items: the first file in list order that is not a backup's, or whose item is not saved.
    private void CheckFiles(Imcfls list)
    {
        var first = _fileKind;
        for (var i = 0; i < _firstOfItem.Length; i++)
            if (_firstOfItem[i] is { } f && !list.HasItem(BackupLayout.ItemOrder[i]) && (first is null || f.Line < first.Line))
                first = Error(f.Line, $"'{f.Path}' is listed, but Items does not include {BackupLayout.ItemOrder[i]}");
        if (first is not null) throw first;
        if (list.HasItem(BackupLayout.RegistryItem))
        {
            if (!_hasServiceReg) throw new BackupFormatException(Name, $"Items includes Registry, but [Files] does not list {BackupLayout.ServiceRegName}");
            if (!_hasProfileReg) throw new BackupFormatException(Name, $"Items includes Registry, but [Files] does not list {BackupLayout.ProfileRegName}");
        }
        if (list.HasItem(BackupLayout.DirectoryItem) && !_hasDirectoryCsv)
            throw new BackupFormatException(Name, $"Items includes Directory, but [Files] does not list {BackupLayout.DirectoryCsvName}");
    }

    // The first message file without a [Messages] entry. Only a refused list comes here, so the names may be held.
    private BackupFormatException FileWithoutMessage()
    {
        var messages = new HashSet<string>(PackingListCursor.Messages(source).Select(m => m.Path), StringComparer.Ordinal);
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in PackingListCursor.Files(source))
        {
            files.Add(f.Path);
            if (f.Path.Contains('/', StringComparison.Ordinal) && !messages.Contains(f.Path))
                return Error(f.Line, $"'{f.Path}' has no entry in [Messages]");
        }
        // Otherwise a message names no file, which only two names sharing a fingerprint let through: say which.
        var stray = PackingListCursor.Messages(source).First(m => !files.Contains(m.Path));
        return Error(stray.Line, $"[Messages] lists '{stray.Path}', which is not a message file in [Files]");
    }
}
