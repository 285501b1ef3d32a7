using System.Globalization;
using Imc.Formats.Ini;

using Imc.Backup.PackingList;

namespace Imc.Backup.Tests.PackingList;

/// <summary>
/// The packing-list reader as it was before it streamed (the whole list in an IniDocument, then in lists and
/// dictionaries), kept as the oracle for the streaming check: for any input both must accept the same list or refuse
/// it with the same message.
/// </summary>
internal static class ReferencePackingListReader
{
    private const int MaxLineLength = 64 * 1024;
    private const long MaxFileSize = 256L * 1024 * 1024;

    private const string Name = BackupLayout.PackingListName;
    private static readonly IniReaderOptions Options = IniReaderOptions.StrictDefault with { MaxLineLength = MaxLineLength, MaxFileLength = MaxFileSize };
    private static readonly string[] Sections = ["Imcsave", "Queues", "Files", "Messages"];
    private static readonly string[] HeaderKeys =
        ["Format", "Tool", "Server", "Organization", "Site", "Gateway", "Started", "Finished", "Items", "TransferEnabled", "Delete", "Deleted", "Kept"];

    public static Imcfls Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        IniDocument doc;
        try
        {
            doc = IniReader.Read(input, Name, Options);
        }
        catch (IniFormatException e)
        {
            // "Imcfls: line N: detail" → "Imcfls line N: detail", the form of every other packing-list error.
            var prefix = $"{Name}: line {e.Line}: ";
            throw Error(e.Line, e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message, e);
        }
        foreach (var section in doc.Sections)
        {
            if (!Sections.Contains(section.Name, StringComparer.OrdinalIgnoreCase))
                throw Error(section.Line, $"unknown section [{Show(section.Name)}] (expected [Imcsave], [Queues], [Files] or [Messages])");
            foreach (var (key, value) in section.Entries)
                if (key.Any(char.IsControl) || value.Any(char.IsControl)) throw Error(section.LineOf(key), "the line contains a control character");
        }
        foreach (var s in Sections)
            if (doc[s] is null) throw new BackupFormatException(Name, $"section [{s}] is missing");

        var list = new Imcfls();
        ReadHeader(list, doc["Imcsave"]!);
        ReadQueues(list, doc["Queues"]!);
        var files = doc["Files"]!;
        foreach (var (key, value) in files.Entries) list.Files.Add(ParseFile(key, value, files.LineOf(key)));
        var messages = doc["Messages"]!;
        foreach (var (key, value) in messages.Entries) list.Messages.Add(ParseMessage(key, value, messages.LineOf(key)));
        CheckConsistency(list);
        return list;
    }

    private static void ReadHeader(Imcfls list, IniSection h)
    {
        foreach (var (key, _) in h.Entries)
            if (!HeaderKeys.Contains(key, StringComparer.OrdinalIgnoreCase)) throw Error(h.LineOf(key), $"unknown key '{Show(key)}' in [Imcsave]");
        foreach (var key in HeaderKeys)
            if (!h.Contains(key)) throw Error(h.Line, $"[Imcsave] has no {key}= (required)");

        var (format, fl) = (h["Format"]!, h.LineOf("Format"));
        if (format != "1") throw Error(fl, $"Format={Show(format)} is not supported (this version reads Format=1)");
        list.Format = 1;
        list.Tool = Text(h, "Tool", required: true);
        list.Server = Text(h, "Server", required: true);
        list.Organization = Text(h, "Organization", required: true);
        list.Site = Text(h, "Site", required: true);
        list.Gateway = Text(h, "Gateway", required: true);
        list.Started = Time(h, "Started");
        list.Finished = Time(h, "Finished");

        var (items, il) = (h["Items"]!, h.LineOf("Items"));
        if (items.Length > 0)
        {
            var names = items.Split(',');
            var last = -1;
            foreach (var item in names)
            {
                var index = Array.IndexOf(BackupLayout.ItemOrder.ToArray(), item);
                if (index < 0) throw Error(il, $"Items has '{Show(item)}', which is not an item (expected {string.Join(", ", BackupLayout.ItemOrder)})");
                if (index <= last) throw Error(il, $"Items lists '{item}' twice or out of the fixed order {string.Join(",", BackupLayout.ItemOrder)}");
                last = index;
                list.Items.Add(item);
            }
        }
        list.TransferEnabled = Flag(h, "TransferEnabled");
        list.Delete = Flag(h, "Delete");
        list.Deleted = Count(h, "Deleted");
        list.Kept = Count(h, "Kept");
    }

    private static void ReadQueues(Imcfls list, IniSection entries)
    {
        var sectionLine = entries.Line;
        foreach (var (key, value) in entries.Entries)
        {
            var n = entries.LineOf(key);
            var queue = BackupLayout.Queues.FirstOrDefault(q => string.Equals(q.Item, key, StringComparison.OrdinalIgnoreCase))
                ?? throw Error(n, $"unknown queue '{Show(key)}' in [Queues] (expected {string.Join(", ", BackupLayout.Queues.Select(q => q.Item))})");
            if (!list.HasItem(queue.Item)) throw Error(n, $"[Queues] lists {queue.Item}, but Items does not");
            int? count = value == "absent" ? null : ParseCount(value, n, $"{key}=");
            list.Queues.Add(new PackedQueue(queue.Item, count) { Line = n });
        }
        foreach (var queue in BackupLayout.Queues)
            if (list.HasItem(queue.Item) && !list.Queues.Any(q => q.Item == queue.Item))
                throw Error(sectionLine, $"[Queues] has no {queue.Item}= although Items lists it");
    }

    private static PackedFile ParseFile(string path, string value, int n)
    {
        CheckPath(path, n);
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || value.IndexOf(' ', space + 1) >= 0)
            throw Error(n, $"'{Show(value)}' for {Show(path)} is not 'SIZE SHA256'");
        var sizeText = value[..space];
        var hash = value[(space + 1)..];
        if (sizeText.Length == 0 || sizeText.Length > 19 || !sizeText.All(char.IsAsciiDigit)
            || !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            throw Error(n, $"size '{Show(sizeText)}' of {Show(path)} is not a number of bytes");
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
            throw Error(n, $"SHA-256 '{Show(hash)}' of {Show(path)} is not 64 hex digits");
        return new PackedFile(path, size, hash.ToLowerInvariant()) { Line = n };
    }

    private static PackedMessage ParseMessage(string path, string value, int n)
    {
        CheckPath(path, n);
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || value.IndexOf(' ', space + 1) >= 0)
            throw Error(n, $"'{Show(value)}' for {Show(path)} is not 'FOLDER SEARCHKEY'");
        var folder = value[..space];
        var hex = value[(space + 1)..];
        if (hex.Length == 0 || hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit))
            throw Error(n, $"search key '{Show(hex)}' of {Show(path)} is not an even number of hex digits");
        return new PackedMessage(path, folder, Convert.FromHexString(hex)) { Line = n };
    }

    private static void CheckPath(string path, int n)
    {
        if (BackupPath.Problem(path) is { } problem) throw Error(n, $"unsafe file name '{Show(path)}': {problem}");
    }

    // Every entry must agree with every other: the files are exactly those the items produce, every TNEF file has
    // its message entry in the right queue, and the queue counts match.
    private static void CheckConsistency(Imcfls list)
    {
        var files = new Dictionary<string, PackedFile>(StringComparer.Ordinal);
        long total = 0;
        foreach (var f in list.Files)
        {
            files[f.Path] = f;
            // Each size fits a long, but their sum (progress, summaries) must too.
            if (f.Size > long.MaxValue - total)
                throw Error(f.Line, $"size {f.Size} of {Show(f.Path)} makes the files add up to more than {long.MaxValue} bytes");
            total += f.Size;
            var slash = f.Path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                var item = f.Path switch
                {
                    BackupLayout.ServiceRegName or BackupLayout.ProfileRegName => BackupLayout.RegistryItem,
                    BackupLayout.DirectoryCsvName => BackupLayout.DirectoryItem,
                    _ => throw Error(f.Line, $"'{Show(f.Path)}' is not a file a backup holds"),
                };
                if (!list.HasItem(item)) throw Error(f.Line, $"'{f.Path}' is listed, but Items does not include {item}");
                continue;
            }
            var folder = f.Path[..slash];
            var fileName = f.Path[(slash + 1)..];
            var queue = BackupLayout.QueueByBackupFolder(folder);
            if (queue is null || fileName.Contains('/', StringComparison.Ordinal) || !fileName.EndsWith(BackupLayout.MessageExtension, StringComparison.Ordinal)
                || fileName.Length == BackupLayout.MessageExtension.Length)
                throw Error(f.Line, $"'{Show(f.Path)}' is not a file a backup holds");
            if (!list.HasItem(queue.Item)) throw Error(f.Line, $"'{f.Path}' is listed, but Items does not include {queue.Item}");
        }
        if (list.HasItem(BackupLayout.RegistryItem))
            foreach (var required in new[] { BackupLayout.ServiceRegName, BackupLayout.ProfileRegName })
                if (!files.ContainsKey(required)) throw new BackupFormatException(Name, $"Items includes Registry, but [Files] does not list {required}");
        if (list.HasItem(BackupLayout.DirectoryItem) && !files.ContainsKey(BackupLayout.DirectoryCsvName))
            throw new BackupFormatException(Name, $"Items includes Directory, but [Files] does not list {BackupLayout.DirectoryCsvName}");

        var messages = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in list.Messages)
        {
            if (!files.ContainsKey(m.Path) || !m.Path.Contains('/', StringComparison.Ordinal))
                throw Error(m.Line, $"[Messages] lists '{m.Path}', which is not a message file in [Files]");
            var queue = BackupLayout.QueueByBackupFolder(m.Path[..m.Path.IndexOf('/', StringComparison.Ordinal)])!;
            if (!string.Equals(m.Folder, queue.StoreFolder, StringComparison.Ordinal))
                throw Error(m.Line, $"'{m.Path}' is in {queue.BackupFolder}/, so its folder must be {queue.StoreFolder}, not '{Show(m.Folder)}'");
            messages.Add(m.Path);
        }
        foreach (var f in list.Files)
            if (f.Path.Contains('/', StringComparison.Ordinal) && !messages.Contains(f.Path))
                throw Error(f.Line, $"'{f.Path}' has no entry in [Messages]");
        foreach (var q in list.Queues)
        {
            var layout = BackupLayout.QueueByItem(q.Item)!;
            var count = list.Files.Count(f => f.Path.StartsWith(layout.BackupFolder + "/", StringComparison.Ordinal));
            if ((q.Count ?? 0) != count)
                throw Error(q.Line, $"{q.Item}={(q.Count?.ToString(CultureInfo.InvariantCulture) ?? "absent")} but [Files] lists {count} file(s) in {layout.BackupFolder}/");
        }
    }

    private static string Text(IniSection h, string key, bool required)
    {
        var (value, n) = (h[key]!, h.LineOf(key));
        if (required && value.Length == 0) throw Error(n, $"{key}= is empty");
        return value;
    }

    private static DateTimeOffset Time(IniSection h, string key)
    {
        var (value, n) = (h[key]!, h.LineOf(key));
        if (!DateTimeOffset.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            throw Error(n, $"{key}={Show(value)} is not a UTC time like 2026-11-25T02:00:00.123Z");
        return time;
    }

    private static bool Flag(IniSection h, string key)
    {
        var (value, n) = (h[key]!, h.LineOf(key));
        return value switch
        {
            "0" => false,
            "1" => true,
            _ => throw Error(n, $"{key}={Show(value)} is not 0 or 1"),
        };
    }

    private static int Count(IniSection h, string key)
    {
        var (value, n) = (h[key]!, h.LineOf(key));
        return ParseCount(value, n, key + "=");
    }

    private static int ParseCount(string value, int n, string what)
    {
        if (value.Length == 0 || value.Length > 10 || !value.All(char.IsAsciiDigit)
            || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            throw Error(n, $"{what}{Show(value)} is not a count");
        return count;
    }

    // Keep messages one line and readable whatever the file holds.
    private static string Show(string text) => text.Length > 200 ? string.Concat(text.AsSpan(0, 200), "…") : text;

    private static BackupFormatException Error(int line, string problem, Exception? inner = null) => new(Name, line, problem, inner);
}
