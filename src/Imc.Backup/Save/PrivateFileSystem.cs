using System.ComponentModel;
using System.Runtime.InteropServices;
using Imc.Backup.PackingList;

namespace Imc.Backup.Save;

/// <summary>
/// The file-system operations a backup needs beyond System.IO: creating a folder that must not exist yet (two runs
/// cannot both own it), private modes whatever the umask (promise 5), and making many files durable in one go.
/// </summary>
internal static class PrivateFileSystem
{
    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const int EEXIST = 17;
    private const int ENOSYS = 38;
    private const int ERROR_ALREADY_EXISTS = 183;
    private const int ERROR_FILE_EXISTS = 80;

    /// <summary>
    /// Creates <paramref name="path"/> (its parent must exist) with mode 0700; false when it already exists. The
    /// check and the creation are one system call, so of two concurrent callers exactly one gets true.
    /// </summary>
    public static bool TryCreateNewDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            if (CreateDirectoryW(path, IntPtr.Zero)) return true;
            var error = Marshal.GetLastPInvokeError();
            if (error is ERROR_ALREADY_EXISTS or ERROR_FILE_EXISTS) return false;
            throw new IOException($"Could not create the folder {path}: {new Win32Exception(error).Message}", error);
        }
        if (mkdir(path, 0b111_000_000) == 0)
        {
            // mkdir's mode is reduced by the umask; set it exactly.
            File.SetUnixFileMode(path, PrivateDirectoryMode);
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST) return false;
        throw new IOException($"Could not create the folder {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    /// <summary>Creates a subfolder of the backup, 0700 on Unix.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return;
        }
        System.IO.Directory.CreateDirectory(path, PrivateDirectoryMode);
        File.SetUnixFileMode(path, PrivateDirectoryMode);
    }

    /// <summary>Creates a new file (never replaces one), 0600 on Unix whatever the umask.</summary>
    public static FileStream CreatePrivateFile(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = AtomicFile.PrivateFileMode;
        return new FileStream(path, options);
    }

    /// <summary>True when many files can be made durable at once (Linux syncfs) instead of one fsync each as they are written.</summary>
    public static bool BatchSyncSupported => OperatingSystem.IsLinux();

    /// <summary>
    /// Makes every file written so far on the file system that holds <paramref name="folder"/> durable with one
    /// syncfs; fsyncs each of <paramref name="files"/> when the C library has no syncfs.
    /// </summary>
    public static void SyncFileSystem(string folder, IEnumerable<string> files)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("syncfs is a Linux call.");
        var fd = OpenReadOnly(folder);
        try
        {
            try
            {
                if (syncfs(fd) == 0) return;
                var errno = Marshal.GetLastPInvokeError();
                if (errno != ENOSYS) throw new IOException($"Could not flush the file system of {folder} to disk: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
            catch (EntryPointNotFoundException)
            {
                // A C library without syncfs: fsync the files one by one below.
            }
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
        foreach (var file in files) Fsync(file);
    }

    private static void Fsync(string path)
    {
        var fd = OpenReadOnly(path);
        try
        {
            if (NativeMethods.fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"Could not flush {path} to disk: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private static int OpenReadOnly(string path)
    {
        var fd = NativeMethods.open(path, NativeMethods.O_RDONLY);
        if (fd >= 0) return fd;
        var errno = Marshal.GetLastPInvokeError();
        throw new IOException($"Could not open {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    // DllImport rather than LibraryImport, as NativeMethods: the generated marshallers would need unsafe code here.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    private static extern int mkdir([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static extern int syncfs(int fd);

    [DllImport("kernel32.dll", EntryPoint = "CreateDirectoryW", SetLastError = true, CharSet = CharSet.Unicode)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CreateDirectoryW(string path, IntPtr securityAttributes);
#pragma warning restore SYSLIB1054
}
