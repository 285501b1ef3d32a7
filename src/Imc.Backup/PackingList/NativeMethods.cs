using System.Runtime.InteropServices;

namespace Imc.Backup.PackingList;

/// <summary>The few libc calls .NET does not expose: fsync of a folder, the file type of a path (Unix only).</summary>
internal static class NativeMethods
{
    public const int O_RDONLY = 0;
    public const int EINVAL = 22;

    // DllImport rather than LibraryImport: the generated marshaller would need unsafe code in this project.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static extern int fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int close(int fd);

    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const uint STATX_TYPE = 0x1;
    /// <summary>struct statx is 256 bytes on every architecture; stx_mode (u16) is at offset 28.</summary>
    public const int StatxSize = 256;
    public const int StatxModeOffset = 28;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    public static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
#pragma warning restore SYSLIB1054
}
