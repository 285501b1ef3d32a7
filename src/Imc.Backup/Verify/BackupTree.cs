using Imc.Backup.PackingList;

namespace Imc.Backup.Verify;

/// <summary>
/// The folder against the packing list: it must hold exactly Imcfls, the listed files and the folders of the saved
/// queues — nothing else, no symbolic link (not even one pointing inside), nothing that is not a regular file.
/// Checked without holding the names: the folder is walked and its regular files counted. As many as listed, and every
/// listed file there (the caller opens each one next), means no extra one either. A folder that fails, or a listed file
/// the caller then finds missing or wrong, is walked again holding the names (<see cref="CheckExactly"/>), to name the
/// first problem as before: an extra file in the order the folder is read, a missing queue folder, a missing file.
/// </summary>
internal static class BackupTree
{
    /// <summary>
    /// Throws the folder's first problem, except that a listed file may still be missing (with an extra file in its
    /// place): the caller checks every listed file and, before reporting any problem with one, calls <see cref="CheckExactly"/>.
    /// </summary>
    public static void Check(string root, PackingListIndex list, PackingListSource source)
    {
        var folders = Folders(list);
        var walk = new Walk(root, folders, listed: null);
        if (walk.Problem is null && walk.Files == list.FileCount && folders.All(walk.Folders.Contains)) return;
        CheckExactly(root, list, source);
    }

    /// <summary>Throws the folder's first problem, holding the listed names (a folder that is not as listed comes here).</summary>
    public static void CheckExactly(string root, PackingListIndex list, PackingListSource source)
    {
        var folders = Folders(list);
        var listed = PackingListCursor.Files(source).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var walk = new Walk(root, folders, listed);
        if (walk.Problem is not null) throw walk.Problem;
        foreach (var folder in folders)
            if (!walk.Folders.Contains(folder))
                throw new BackupFormatException(folder + "/", "the queue folder is missing (Imcfls lists the queue as saved)");
        foreach (var file in PackingListCursor.Files(source))
            if (!FileKind.IsRegularFile(Path.Combine(root, file.Path.Replace('/', Path.DirectorySeparatorChar)))) throw Missing(file.Path, file.Line);
    }

    private static HashSet<string> Folders(PackingListIndex list) =>
        list.Header.Queues.Where(q => !q.Absent).Select(q => BackupLayout.QueueByItem(q.Item)!.BackupFolder).ToHashSet(StringComparer.Ordinal);

    public static BackupFormatException Missing(string path, int line) => new(path, $"the file is missing (listed in Imcfls line {line})");

    /// <summary>One walk of the folder: the first problem (an unlisted file only when <c>listed</c> is given), the files and queue folders seen.</summary>
    private sealed class Walk
    {
        private readonly HashSet<string> _allowed;
        private readonly HashSet<string>? _listed;

        public Walk(string root, HashSet<string> allowed, HashSet<string>? listed)
        {
            (_allowed, _listed) = (allowed, listed);
            Problem = Visit(new DirectoryInfo(root), "");
        }

        public BackupFormatException? Problem { get; }
        public int Files { get; private set; }
        public HashSet<string> Folders { get; } = new(StringComparer.Ordinal);

        private BackupFormatException? Visit(DirectoryInfo dir, string prefix)
        {
            foreach (var entry in dir.EnumerateFileSystemInfos())
            {
                var name = prefix + entry.Name;
                if (entry.LinkTarget is not null)
                    return new BackupFormatException(name, $"is a symbolic link (to {entry.LinkTarget}); a backup holds only regular files");
                if (entry is DirectoryInfo sub)
                {
                    if (prefix.Length > 0 || !_allowed.Contains(entry.Name))
                        return new BackupFormatException(name + "/", "the folder is not part of the backup (not a saved queue in Imcfls)");
                    Folders.Add(name);
                    if (Visit(sub, name + "/") is { } problem) return problem;
                    continue;
                }
                if (prefix.Length == 0 && entry.Name == BackupLayout.PackingListName) continue;
                // What a kill during imcsave -delete's rewrite of Imcfls leaves (AtomicFile writes Imcfls.tmp, then renames):
                // never trusted, never read; refusing the backup for it would strand the messages just deleted.
                if (prefix.Length == 0 && entry.Name == BackupLayout.PackingListName + ".tmp" && IsRegularFile(entry)) continue;
                if (_listed is not null && !_listed.Contains(name))
                    return new BackupFormatException(name, "the file is not listed in Imcfls (an extra file)");
                if (!IsRegularFile(entry))
                    return new BackupFormatException(name, "is not a regular file");
                Files++;
            }
            return null;
        }

        // Not the attributes: .NET reports a FIFO as an ordinary file, and opening one blocks until a writer comes.
        private static bool IsRegularFile(FileSystemInfo entry) => FileKind.IsRegularFile(entry.FullName);
    }
}
