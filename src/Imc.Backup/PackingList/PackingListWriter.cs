using System.Globalization;
using Imc.Formats.Ini;

namespace Imc.Backup.PackingList;

/// <summary>
/// Writes <see cref="Imcfls"/> as docs/backup-format.md fixes it: UTF-8 without BOM, CRLF, sections in the order
/// [Imcsave], [Queues], [Files], [Messages], through the shared <see cref="IniStreamWriter"/>. The output is
/// deterministic for a given model.
/// </summary>
public static class PackingListWriter
{
    /// <summary>Writes <paramref name="list"/>; everything is checked first, so a refused list writes nothing.</summary>
    public static void Write(Imcfls list, Stream output)
    {
        ArgumentNullException.ThrowIfNull(list);
        CheckHeader(list);
        foreach (var f in list.Files) CheckFile(f);
        foreach (var m in list.Messages) CheckMessage(m);
        Write(list, list.Files, list.Messages, output);
    }

    /// <summary>
    /// Writes the [Imcsave] and [Queues] sections of <paramref name="header"/> (its own Files and Messages are not
    /// used) and then the [Files] and [Messages] entries as they are enumerated: imcsave streams them from its spool,
    /// so the list of a 100,000-message backup is never in memory. Each entry is checked as it is written, so a
    /// refused one leaves a partial list: write to a temporary file (<see cref="AtomicFile"/>). The entries' paths
    /// must be unique (they are not collected to compare).
    /// </summary>
    public static void Write(Imcfls header, IEnumerable<PackedFile> files, IEnumerable<PackedMessage> messages, Stream output)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(output);
        CheckHeader(header);
        var inv = CultureInfo.InvariantCulture;
        using var ini = new IniStreamWriter(output);
        ini.WriteSection("Imcsave");
        ini.WriteEntry("Format", header.Format.ToString(inv));
        ini.WriteEntry("Tool", header.Tool);
        ini.WriteEntry("Server", header.Server);
        ini.WriteEntry("Organization", header.Organization);
        ini.WriteEntry("Site", header.Site);
        ini.WriteEntry("Gateway", header.Gateway);
        ini.WriteEntry("Started", FormatTime(header.Started));
        ini.WriteEntry("Finished", FormatTime(header.Finished));
        ini.WriteEntry("Items", string.Join(',', header.Items));
        ini.WriteEntry("TransferEnabled", header.TransferEnabled ? "1" : "0");
        ini.WriteEntry("Delete", header.Delete ? "1" : "0");
        ini.WriteEntry("Deleted", header.Deleted.ToString(inv));
        ini.WriteEntry("Kept", header.Kept.ToString(inv));
        ini.WriteSection("Queues");
        foreach (var q in header.Queues) ini.WriteEntry(q.Item, q.Count is { } n ? n.ToString(inv) : "absent");
        ini.WriteSection("Files");
        foreach (var f in files)
        {
            CheckFile(f);
            ini.WriteEntry(f.Path, $"{f.Size.ToString(inv)} {f.Sha256.ToLowerInvariant()}");
        }
        ini.WriteSection("Messages");
        foreach (var m in messages)
        {
            CheckMessage(m);
            ini.WriteEntry(m.Path, $"{m.Folder} {m.SearchKeyHex}");
        }
    }

    /// <summary>Writes <paramref name="list"/> to <paramref name="path"/> atomically (tmp, fsync, rename, fsync folder).</summary>
    public static void WriteFile(Imcfls list, string path)
    {
        ArgumentNullException.ThrowIfNull(list);
        AtomicFile.Write(path, s => Write(list, s));
    }

    /// <summary>The time format of Imcfls: UTC, ISO 8601 with milliseconds (<c>2026-11-25T02:00:00.123Z</c>).</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // A writer must never produce a list its own strict reader refuses: check what could break the line format.
    private static void CheckHeader(Imcfls list)
    {
        foreach (var (key, value) in new[]
                 {
                     ("Tool", list.Tool), ("Server", list.Server), ("Organization", list.Organization), ("Site", list.Site),
                     ("Gateway", list.Gateway),
                 })
            if (value.Any(char.IsControl)) throw new ArgumentException($"Imcfls {key} contains a control character: '{value}'.", nameof(list));
    }

    private static void CheckFile(PackedFile f)
    {
        if (BackupPath.Problem(f.Path) is { } p) throw new ArgumentException($"Imcfls cannot list '{f.Path}': {p}.", "list");
        if (f.Path.Contains('=', StringComparison.Ordinal)) throw new ArgumentException($"Imcfls cannot list '{f.Path}': the name contains '='.", "list");
        if (f.Size < 0 || f.Sha256.Length != 64) throw new ArgumentException($"Imcfls entry for '{f.Path}' has a bad size or SHA-256.", "list");
    }

    private static void CheckMessage(PackedMessage m)
    {
        if (m.SearchKey.Length == 0 || m.Folder.Length == 0 || m.Folder.Contains(' ', StringComparison.Ordinal))
            throw new ArgumentException($"Imcfls message entry for '{m.Path}' needs a folder without spaces and a search key.", "list");
    }
}
