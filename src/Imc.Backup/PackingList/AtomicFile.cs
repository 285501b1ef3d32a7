using System.Runtime.InteropServices;

namespace Imc.Backup.PackingList;

/// <summary>
/// Writes a file so that it either exists complete or not at all, even across a crash: write NAME.tmp, flush it to
/// the disk, rename it to NAME (never over an existing file), then flush the folder so the rename itself is durable.
/// </summary>
public static class AtomicFile
{
    /// <summary>Unix mode of files in a Backup: they hold people's mail (DESIGN.md §6 promise 5).</summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <param name="overwrite">Replace an existing file (the rename replaces it atomically) instead of failing.</param>
    public static void Write(string path, Action<Stream> write, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var tmp = full + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 64 * 1024 };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFileMode;
        try
        {
            using (var stream = new FileStream(tmp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
        FlushDirectory(Path.GetDirectoryName(full)!);
    }

    /// <summary>Makes renames and creations in <paramref name="directory"/> durable (fsync of the folder; no-op on Windows).</summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = NativeMethods.open(directory, NativeMethods.O_RDONLY);
        if (fd < 0) throw new IOException($"Cannot open folder {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (NativeMethods.fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                // EINVAL: the file system does not support fsync on folders; nothing more can be done there.
                if (errno != NativeMethods.EINVAL) throw new IOException($"Cannot flush folder {directory} to disk (errno {errno}).");
            }
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
