using System.Globalization;

namespace Imc.Server.Gateway;

/// <summary>
/// The exclusive logon to one gateway mailbox, held as an operating-system lock on a <c>.logon</c> file beside
/// priv.db (FileShare.None: flock on Unix, a sharing lock on Windows), so it excludes other processes as well as this
/// one, and the system releases it when the holder dies. Who holds it is written to a <c>.holder</c> file beside it
/// for the error message of the next contender; a description left by a killed process is simply overwritten by
/// the next holder, since only the lock decides.
/// </summary>
internal sealed class GatewayLock : IDisposable
{
    private FileStream? _lock;

    private GatewayLock(FileStream lockFile, string holderPath, string holder)
    {
        _lock = lockFile;
        HolderPath = holderPath;
        Holder = holder;
    }

    /// <summary>Who holds the logon, e.g. "imcsave (process 1234 on host h, since 2026-11-25 02:00:00Z)".</summary>
    public string Holder { get; }
    public string HolderPath { get; }

    public static GatewayLock Acquire(string lockPath, string mailboxDn, string program)
    {
        var holderPath = Path.ChangeExtension(lockPath, ".holder");
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException e) when (IsSharingViolation(e))
        {
            throw new ServerException($"The gateway mailbox {mailboxDn} is already logged on by {ReadHolder(holderPath)}.",
                "Only one program at a time may log on to a gateway; wait for it to finish or stop it, then try again.", e) { ExitCode = 4 };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerException($"Cannot log on to the gateway mailbox {mailboxDn}: its lock file {lockPath} cannot be opened ({e.Message}).",
                "Check the permissions of the server's mdbdata folder.", e);
        }

        var holder = string.Create(CultureInfo.InvariantCulture,
            $"{program} (process {Environment.ProcessId} on host {Environment.MachineName}, since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z)");
        try
        {
            // Written aside and renamed, so a contender never reads half a description.
            var temp = holderPath + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
            File.WriteAllText(temp, holder);
            File.Move(temp, holderPath, overwrite: true);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
        return new GatewayLock(lockFile, holderPath, holder);
    }

    public void Dispose()
    {
        if (_lock is null) return;
        // Remove the description while still holding the lock; the lock file itself stays (deleting it would let
        // two processes lock two different files of the same name).
        try
        {
            File.Delete(HolderPath);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        _lock.Dispose();
        _lock = null;
    }

    private static string ReadHolder(string holderPath)
    {
        try
        {
            var text = File.ReadAllText(holderPath).Trim();
            if (text.Length > 0) return text;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "another process (it has not said which)";
    }

    /// <summary>
    /// A lock another handle holds: ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows; on Unix .NET reports
    /// the failed flock with its errno, EWOULDBLOCK (11 on Linux, 35 on macOS and the BSDs).
    /// </summary>
    private static bool IsSharingViolation(IOException e) => OperatingSystem.IsWindows()
        ? (e.HResult & 0xFFFF) is 32 or 33
        : e.HResult is 11 or 35;
}
