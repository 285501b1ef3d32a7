using System.Runtime.InteropServices;

namespace Imc.Backup.PackingList;

/// <summary>The few libc calls .NET does not expose: fsync of a folder (Unix only).</summary>
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
#pragma warning restore SYSLIB1054
}
