using System.Globalization;
using Imc.Formats.Ini;

namespace Imc.Backup.PackingList;

/// <summary>
/// Writes <see cref="Imcfls"/> as docs/backup-format.md fixes it: UTF-8 without BOM, CRLF, sections in the order
/// [Imcsave], [Queues], [Files], [Messages], through the shared <see cref="IniWriter"/>. The output is deterministic
/// for a given model.
/// </summary>
public static class PackingListWriter
{
    public static void Write(Imcfls list, Stream output)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(output);
        Check(list);
        IniWriter.Write(output, ToDocument(list));
    }

    /// <summary>The packing list as an .ini document, sections and keys in the documented order.</summary>
    public static IniDocument ToDocument(Imcfls list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var inv = CultureInfo.InvariantCulture;
        var doc = new IniDocument();
        doc.Add("Imcsave")
            .Add("Format", list.Format.ToString(inv))
            .Add("Tool", list.Tool)
            .Add("Server", list.Server)
            .Add("Organization", list.Organization)
            .Add("Site", list.Site)
            .Add("Gateway", list.Gateway)
            .Add("Started", FormatTime(list.Started))
            .Add("Finished", FormatTime(list.Finished))
            .Add("Items", string.Join(',', list.Items))
            .Add("TransferEnabled", list.TransferEnabled ? "1" : "0")
            .Add("Delete", list.Delete ? "1" : "0")
            .Add("Deleted", list.Deleted.ToString(inv))
            .Add("Kept", list.Kept.ToString(inv));
        var queues = doc.Add("Queues");
        foreach (var q in list.Queues) queues.Add(q.Item, q.Count is { } n ? n.ToString(inv) : "absent");
        var files = doc.Add("Files");
        foreach (var f in list.Files) files.Add(f.Path, $"{f.Size.ToString(inv)} {f.Sha256.ToLowerInvariant()}");
        var messages = doc.Add("Messages");
        foreach (var m in list.Messages) messages.Add(m.Path, $"{m.Folder} {m.SearchKeyHex}");
        return doc;
    }

    /// <summary>Writes <paramref name="list"/> to <paramref name="path"/> atomically (tmp, fsync, rename, fsync folder).</summary>
    public static void WriteFile(Imcfls list, string path)
    {
        ArgumentNullException.ThrowIfNull(list);
        Check(list);
        AtomicFile.Write(path, s => Write(list, s));
    }

    /// <summary>The time format of Imcfls: UTC, ISO 8601 with milliseconds (<c>2026-11-25T02:00:00.123Z</c>).</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // A writer must never produce a list its own strict reader refuses: check what could break the line format.
    private static void Check(Imcfls list)
    {
        foreach (var (key, value) in new[]
                 {
                     ("Tool", list.Tool), ("Server", list.Server), ("Organization", list.Organization), ("Site", list.Site),
                     ("Gateway", list.Gateway),
                 })
            if (value.Any(char.IsControl)) throw new ArgumentException($"Imcfls {key} contains a control character: '{value}'.", nameof(list));
        foreach (var f in list.Files)
        {
            if (BackupPath.Problem(f.Path) is { } p) throw new ArgumentException($"Imcfls cannot list '{f.Path}': {p}.", nameof(list));
            if (f.Path.Contains('=', StringComparison.Ordinal)) throw new ArgumentException($"Imcfls cannot list '{f.Path}': the name contains '='.", nameof(list));
            if (f.Size < 0 || f.Sha256.Length != 64) throw new ArgumentException($"Imcfls entry for '{f.Path}' has a bad size or SHA-256.", nameof(list));
        }
        foreach (var m in list.Messages)
            if (m.SearchKey.Length == 0 || m.Folder.Length == 0 || m.Folder.Contains(' ', StringComparison.Ordinal))
                throw new ArgumentException($"Imcfls message entry for '{m.Path}' needs a folder without spaces and a search key.", nameof(list));
    }
}
