using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Imc.Backup.Save;

/// <summary>
/// The file-system operations a backup needs beyond System.IO: creating a folder that must not exist yet (two runs
/// cannot both own it), private modes whatever the umask (promise 5), and making many files durable in one go.
/// </summary>
internal static partial class PrivateFileSystem
{
    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const int EEXIST = 17;
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
            throw new IOException($"Could not create the folder {path}: {new Win32Exception(error).Message}.", error);
        }
        if (mkdir(path, 0b111_000_000) == 0)
        {
            // The mode given to mkdir is reduced by the umask: set it exactly.
            File.SetUnixFileMode(path, PrivateDirectoryMode);
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST) return false;
        throw new IOException($"Could not create the folder {path}: {Marshal.GetPInvokeErrorMessage(errno)}.", errno);
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
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFileMode;
        return new FileStream(path, options);
    }

    /// <summary>True when many files can be made durable at once with one syncfs instead of one fsync each.</summary>
    public static bool BatchSyncSupported => OperatingSystem.IsLinux();

    /// <summary>
    /// Makes every file written so far on the file system that holds <paramref name="folder"/> durable (Linux
    /// syncfs). Falls back to an fsync of each of <paramref name="files"/> when syncfs is not available.
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
            }
            catch (EntryPointNotFoundException)
            {
                // A libc without syncfs: fsync the files one by one below.
            }
        }
        finally
        {
            close(fd);
        }
        foreach (var file in files) FsyncPath(file);
    }

    /// <summary>Makes a folder's entries (new names, renames) durable: fsync of the folder itself. Nothing to do on Windows.</summary>
    public static void SyncDirectory(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        FsyncPath(folder);
    }

    private static void FsyncPath(string path)
    {
        var fd = OpenReadOnly(path);
        try
        {
            if (fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"Could not flush {path} to disk: {Marshal.GetPInvokeErrorMessage(errno)}.", errno);
            }
        }
        finally
        {
            close(fd);
        }
    }

    private static int OpenReadOnly(string path)
    {
        var fd = open(path, 0 /* O_RDONLY */);
        if (fd >= 0) return fd;
        var errno = Marshal.GetLastPInvokeError();
        throw new IOException($"Could not open {path}: {Marshal.GetPInvokeErrorMessage(errno)}.", errno);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkdir(string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int syncfs(int fd);

    [LibraryImport("kernel32.dll", EntryPoint = "CreateDirectoryW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateDirectoryW(string path, IntPtr securityAttributes);
}
