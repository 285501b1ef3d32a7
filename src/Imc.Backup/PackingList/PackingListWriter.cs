using System.Globalization;
using System.Text;

namespace Imc.Backup.PackingList;

/// <summary>
/// Writes <see cref="Imcfls"/> as docs/backup-format.md fixes it: UTF-8 without BOM, CRLF, sections in the order
/// [Imcsave], [Queues], [Files], [Messages]. The output is deterministic for a given model.
/// </summary>
public static class PackingListWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Write(Imcfls list, Stream output)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(output);
        Check(list);
        using var w = new StreamWriter(output, Utf8NoBom, bufferSize: 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine("[Imcsave]");
        w.WriteLine($"Format={list.Format.ToString(inv)}");
        w.WriteLine($"Tool={list.Tool}");
        w.WriteLine($"Server={list.Server}");
        w.WriteLine($"Organization={list.Organization}");
        w.WriteLine($"Site={list.Site}");
        w.WriteLine($"Gateway={list.Gateway}");
        w.WriteLine($"Started={FormatTime(list.Started)}");
        w.WriteLine($"Finished={FormatTime(list.Finished)}");
        w.WriteLine($"Items={string.Join(',', list.Items)}");
        w.WriteLine($"TransferEnabled={(list.TransferEnabled ? 1 : 0)}");
        w.WriteLine($"Delete={(list.Delete ? 1 : 0)}");
        w.WriteLine($"Deleted={list.Deleted.ToString(inv)}");
        w.WriteLine($"Kept={list.Kept.ToString(inv)}");
        w.WriteLine();
        w.WriteLine("[Queues]");
        foreach (var q in list.Queues) w.WriteLine($"{q.Item}={(q.Count is { } n ? n.ToString(inv) : "absent")}");
        w.WriteLine();
        w.WriteLine("[Files]");
        foreach (var f in list.Files) w.WriteLine($"{f.Path}={f.Size.ToString(inv)} {f.Sha256.ToLowerInvariant()}");
        w.WriteLine();
        w.WriteLine("[Messages]");
        foreach (var m in list.Messages) w.WriteLine($"{m.Path}={m.Folder} {m.SearchKeyHex}");
        w.Flush();
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
