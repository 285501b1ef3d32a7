namespace Imc.Backup.PackingList;

/// <summary>
/// The names a packing list may use for its files (docs/backup-format.md): relative to Backup, '/' separators, no
/// '..', '\', ':', empty or '.' segments, control characters. These rules make a name safe before it is ever joined
/// to a folder; <see cref="BackupFolder"/> then checks that no part of it is a symbolic link.
/// </summary>
public static class BackupPath
{
    /// <summary>Why <paramref name="path"/> is not a safe packing-list name, or null when it is.</summary>
    public static string? Problem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0) return "the name is empty";
        if (path[0] == '/' || (path.Length >= 2 && path[1] == ':')) return "the name is an absolute path";
        foreach (var c in path)
        {
            if (char.IsControl(c)) return "the name contains a control character";
            if (c == '\\') return "the name contains '\\' (separators must be '/')";
            if (c == ':') return "the name contains ':'";
        }
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0) return "the name has an empty segment";
            if (segment == "..") return "the name contains '..'";
            if (segment == ".") return "the name contains a '.' segment";
        }
        return null;
    }

    /// <summary>True when <paramref name="path"/> is a safe packing-list name.</summary>
    public static bool IsValid(string path) => Problem(path) is null;

    /// <summary>
    /// The packing-list name of <paramref name="fullPath"/> inside <paramref name="backupDir"/> ('/' separators).
    /// </summary>
    public static string Relative(string backupDir, string fullPath) =>
        Path.GetRelativePath(backupDir, fullPath).Replace(Path.DirectorySeparatorChar, '/');
}
