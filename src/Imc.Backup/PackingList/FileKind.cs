namespace Imc.Backup.PackingList;

/// <summary>
/// What a path is, without following a symbolic link and without opening it: .NET reports a FIFO, a socket or a
/// device as an ordinary file, and opening a FIFO blocks until someone writes to it — a backup folder must never be
/// able to make a reader hang.
/// </summary>
public static class FileKind
{
    /// <summary>True when <paramref name="path"/> is a regular file (not a folder, link, FIFO, socket or device).</summary>
    public static bool IsRegularFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            var info = new FileInfo(path);
            return info.Exists && (info.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint | FileAttributes.Directory)) == 0;
        }
        var buffer = new byte[NativeMethods.StatxSize];
        if (NativeMethods.statx(NativeMethods.AT_FDCWD, path, NativeMethods.AT_SYMLINK_NOFOLLOW, NativeMethods.STATX_TYPE, buffer) != 0)
            return false;
        const int S_IFMT = 0xF000, S_IFREG = 0x8000;
        return (BitConverter.ToUInt16(buffer, NativeMethods.StatxModeOffset) & S_IFMT) == S_IFREG; // host byte order
    }
}
