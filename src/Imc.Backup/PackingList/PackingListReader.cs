using System.Globalization;
using Imc.Formats.Ini;

namespace Imc.Backup.PackingList;

/// <summary>
/// Reads our own packing list strictly (docs/backup-format.md) with the shared .ini line rules in their strict mode
/// (<see cref="IniLineReader"/>): a duplicate section or key (in any case), an unknown section or key, a line that is
/// not <c>Key=Value</c>, bytes that are not UTF-8, a missing required key, a bad number, time, hex string or file
/// name, entries that contradict each other — each is a <see cref="BackupFormatException"/> naming <c>Imcfls</c> and
/// the line. What the .ini rules allow is tolerated (LF or CRLF, a UTF-8 BOM, <c>;</c> comment lines, blanks around
/// names and values). A list that reads is self-consistent. The check (<see cref="PackingListChecker"/>) streams: a
/// list of 100,000 entries is checked, verified against its files and restored without holding the entries.
/// </summary>
public static class PackingListReader
{
    public const int MaxLineLength = 64 * 1024;
    public const long MaxFileSize = 256L * 1024 * 1024;

    private const string Name = BackupLayout.PackingListName;
    internal static readonly IniReaderOptions Options = IniReaderOptions.StrictDefault with { MaxLineLength = MaxLineLength, MaxFileLength = MaxFileSize };
    internal static readonly string[] Sections = ["Imcsave", "Queues", "Files", "Messages"];
    private static readonly string[] HeaderKeys =
        ["Format", "Tool", "Server", "Organization", "Site", "Gateway", "Started", "Finished", "Items", "TransferEnabled", "Delete", "Deleted", "Kept"];

    /// <summary>Reads the packing list at <paramref name="path"/>; a missing file is a <see cref="BackupFormatException"/> too.</summary>
    public static Imcfls ReadFile(string path)
    {
        using var source = PackingListSource.OpenFile(path);
        return Read(source);
    }

    public static Imcfls Read(Stream input)
    {
        using var source = PackingListSource.FromStream(input);
        return Read(source);
    }

    /// <summary>
    /// The whole list in memory (tests, tools, small lists); verification and restore keep only the
    /// <see cref="PackingListIndex"/> of <see cref="Check"/> and stream the entries.
    /// </summary>
    private static Imcfls Read(PackingListSource source)
    {
        var list = Check(source).Header;
        list.Files.AddRange(PackingListCursor.Files(source));
        list.Messages.AddRange(PackingListCursor.Messages(source));
        return list;
    }

    /// <summary>
    /// Checks the list completely in one pass without holding its entries: the first problem, in the order the checks
    /// are documented (syntax, then sections, header, queues, entries, then the entries against each other), is a
    /// <see cref="BackupFormatException"/>.
    /// </summary>
    internal static PackingListIndex Check(PackingListSource source) => new PackingListChecker(source).Run();

    internal static void ReadHeader(Imcfls list, IniSection h)
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

    internal static void ReadQueues(Imcfls list, IniSection entries)
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

    internal static PackedFile ParseFile(string path, string value, int n)
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

    internal static PackedMessage ParseMessage(string path, string value, int n)
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
    internal static string Show(string text) => text.Length > 200 ? string.Concat(text.AsSpan(0, 200), "…") : text;

    internal static BackupFormatException Error(int line, string problem, Exception? inner = null) => new(Name, line, problem, inner);

    /// <summary>"Imcfls: line N: detail" → "Imcfls line N: detail", the form of every other packing-list error.</summary>
    internal static BackupFormatException Error(IniFormatException e)
    {
        var prefix = $"{Name}: line {e.Line}: ";
        return Error(e.Line, e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message, e);
    }
}
