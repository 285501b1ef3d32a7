using Imc.Backup.PackingList;

namespace Imc.Backup.Verify;

/// <summary>
/// The folder against the packing list: it must hold exactly Imcfls, the listed files and the folders of the saved
/// queues — nothing else, no symbolic link (not even one pointing inside), nothing that is not a regular file.
/// Checked without holding the names: the folder is walked and its files counted, then each listed file is looked up;
/// as many files as listed, all there, means no extra one. Only a folder that fails is walked again holding the names,
/// to name the first problem as the folder is read: an extra file, then a missing queue folder, then a missing file.
/// </summary>
internal static class BackupTree
{
    public static void Check(string root, PackingListIndex list, PackingListSource source)
    {
        var folders = list.Header.Queues.Where(q => !q.Absent).Select(q => BackupLayout.QueueByItem(q.Item)!.BackupFolder).ToHashSet(StringComparer.Ordinal);
        var walk = new Walk(root, folders, listed: null);
        if (walk.Problem is null && walk.Files == list.FileCount && folders.All(walk.Folders.Contains)
            && PackingListCursor.Files(source).All(f => FileKind.IsRegularFile(FullPath(root, f.Path))))
            return;

        var listed = PackingListCursor.Files(source).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        walk = new Walk(root, folders, listed);
        if (walk.Problem is not null) throw walk.Problem;
        foreach (var folder in folders)
            if (!walk.Folders.Contains(folder))
                throw new BackupFormatException(folder + "/", "the queue folder is missing (Imcfls lists the queue as saved)");
        foreach (var file in PackingListCursor.Files(source))
            if (!FileKind.IsRegularFile(FullPath(root, file.Path))) throw Missing(file.Path, file.Line);
    }

    public static BackupFormatException Missing(string path, int line) => new(path, $"the file is missing (listed in Imcfls line {line})");

    private static string FullPath(string root, string path) => Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));

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
