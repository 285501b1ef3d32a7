using System.Security.Cryptography;
using Imc.Backup.PackingList;
using Imc.Backup.Threading;
using Imc.Formats.Reg;
using Imc.Formats.Tnef;
using Imc.Server.Directory;

namespace Imc.Backup.Verify;

/// <summary>
/// Checks a Backup folder completely without a server (the engine of <c>imcadmin verify</c> and the first step of
/// every restore): the packing list strictly; that the files on disk are exactly the listed ones, regular files, no
/// symbolic link anywhere; every file's size and SHA-256 (streamed); and every file's structure — TNEF through our
/// reader (its PR_SEARCH_KEY must be the listed one), .reg through RegReader and inside the IMC's keys, Imcobj.csv
/// as exactly the gateway object. The first problem is a <see cref="BackupFormatException"/> naming the file.
/// </summary>
public static class BackupVerifier
{
    public static VerifiedBackup Verify(string backupDir, IProgress<VerifyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backupDir);
        var root = Path.GetFullPath(backupDir);
        if (!System.IO.Directory.Exists(root))
            throw new Imc.Server.ServerException($"The backup folder {root} does not exist.", "Give the Backup folder imcsave wrote (it contains Imcfls).") { ExitCode = 5 };

        var listPath = Path.Combine(root, BackupLayout.PackingListName);
        if (new FileInfo(listPath).LinkTarget is not null)
            throw new BackupFormatException(BackupLayout.PackingListName, "is a symbolic link; a backup holds only regular files");
        if (System.IO.Directory.Exists(listPath))
            throw new BackupFormatException(BackupLayout.PackingListName, "is a folder; the packing list must be a regular file");
        // A FIFO would block the reader forever; a device is no packing list either.
        if (File.Exists(listPath) && !FileKind.IsRegularFile(listPath))
            throw new BackupFormatException(BackupLayout.PackingListName, "is not a regular file");
        var source = PackingListSource.OpenFile(listPath);
        try
        {
            var list = PackingListReader.Check(source);
            BackupTree.Check(root, list, source);
            try
            {
                return CheckFiles(root, source, list, progress, cancellationToken);
            }
            catch (BackupFormatException)
            {
                // The folder's problems come before any file's (a file missing, with an unlisted one in its place).
                BackupTree.CheckExactly(root, list, source);
                throw;
            }
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Files checked ahead of the one being reported, at most (each holds one parsed message, attachment data excluded).</summary>
    private const int FilesAhead = 16;

    // Every file's size, SHA-256 and structure, streaming the entries from the list. Hashing and parsing are CPU
    // work, so files are checked on several threads; the results come back in list order, so the problem reported
    // is the first in the list, as when they were checked one after the other.
    private static VerifiedBackup CheckFiles(string root, PackingListSource source, PackingListIndex list, IProgress<VerifyProgress>? progress, CancellationToken cancellationToken)
    {
        var total = list.TotalBytes;
        long done = 0;
        var index = 0;
        IReadOnlyList<RegKey>? service = null, profiles = null;
        string? sid = null;
        DirectoryObject? gateway = null;
        var checks = OrderedWork.Map(list.ListedFiles(source), entry => CheckFile(root, list.Header.Gateway, entry.File, entry.Message),
            OrderedWork.DefaultWorkers, FilesAhead, cancellationToken);
        foreach (var check in checks)
        {
            progress?.Report(new VerifyProgress(index, list.FileCount, done, total, check.File.Path));
            service ??= check.Service;
            profiles ??= check.Profiles;
            sid ??= check.ProfileSid;
            gateway ??= check.Gateway;
            done += check.File.Size;
            index++;
        }
        progress?.Report(new VerifyProgress(index, list.FileCount, done, total, null));
        return new VerifiedBackup
        {
            BackupDir = root,
            List = list,
            Source = source,
            ServiceKeys = service,
            ProfileKeys = profiles,
            ProfileSid = sid,
            GatewayObject = gateway,
        };
    }

    /// <summary>What checking one file found: the configuration it holds, for the registry and directory files.</summary>
    private sealed record FileCheck(PackedFile File)
    {
        public IReadOnlyList<RegKey>? Service { get; init; }
        public IReadOnlyList<RegKey>? Profiles { get; init; }
        public string? ProfileSid { get; init; }
        public DirectoryObject? Gateway { get; init; }
    }

    private static FileCheck CheckFile(string root, string gatewayDn, PackedFile file, PackedMessage? message)
    {
        var full = Path.Combine(root, file.Path.Replace('/', Path.DirectorySeparatorChar));
        // A message file is hashed while the TNEF reader reads it (one pass); the others are small.
        switch (file.Path)
        {
            case BackupLayout.ServiceRegName:
            {
                CheckDigest(full, file);
                var service = ReadReg(full, file.Path);
                RegistryScope.CheckService(file.Path, service);
                return new FileCheck(file) { Service = service };
            }
            case BackupLayout.ProfileRegName:
            {
                CheckDigest(full, file);
                var profiles = ReadReg(full, file.Path);
                return new FileCheck(file) { Profiles = profiles, ProfileSid = RegistryScope.CheckProfiles(file.Path, profiles) };
            }
            case BackupLayout.DirectoryCsvName:
                CheckDigest(full, file);
                return new FileCheck(file) { Gateway = GatewayObjectFile.Read(full, file.Path, gatewayDn) };
            default:
                CheckMessage(full, file, message!);
                return new FileCheck(file);
        }
    }

    private static BackupFormatException Missing(PackedFile file) => BackupTree.Missing(file.Path, file.Line);

    // Size first: a file that is missing now (deleted since the folder was checked) says so.
    private static void CheckSize(string full, PackedFile file)
    {
        var info = new FileInfo(full);
        if (!info.Exists) throw Missing(file);
        CheckSize(info.Length, file);
    }

    private static void CheckDigest(string full, PackedFile file)
    {
        CheckSize(full, file);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            CheckHash(FileDigest.Compute(full, buffer).Sha256, file);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void CheckSize(long size, PackedFile file)
    {
        if (size != file.Size)
            throw new BackupFormatException(file.Path, $"the file is {size} bytes but Imcfls line {file.Line} says {file.Size} (truncated or changed)");
    }

    private static void CheckHash(IncrementalHash sha, PackedFile file) => CheckHash(Convert.ToHexStringLower(sha.GetHashAndReset()), file);

    private static void CheckHash(string sha256, PackedFile file)
    {
        if (sha256 != file.Sha256)
            throw new BackupFormatException(file.Path, $"the SHA-256 does not match Imcfls line {file.Line} (the file was changed or damaged)");
    }

    private static IReadOnlyList<RegKey> ReadReg(string full, string name)
    {
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
            return RegReader.Read(stream, name);
        }
        catch (RegFormatException e)
        {
            // RegFormatException already starts with "NAME: line N: ..."; keep it one line, naming the file once.
            throw new BackupFormatException(name, e.Line, StripPrefix(e.Message, name, e.Line), e);
        }
    }

    /// <summary>Size, SHA-256 and structure of a message file in one read: the digest is checked first, as for other files.</summary>
    private static void CheckMessage(string full, PackedFile file, PackedMessage entry)
    {
        var name = file.Path;
        CheckSize(full, file);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Imc.Formats.Mapi.MapiMessage message;
        try
        {
            message = TnefReader.ReadFile(full, sha);
        }
        catch (TnefException e)
        {
            CheckHash(sha, file);
            throw new BackupFormatException(name, $"not a valid TNEF file: TNEF {StripTnef(e)}", e);
        }
        CheckHash(sha, file);
        var key = message.SearchKey;
        if (key is null)
            throw new BackupFormatException(name, $"the message has no PR_SEARCH_KEY; Imcfls line {entry.Line} says {entry.SearchKeyHex}");
        if (!key.AsSpan().SequenceEqual(entry.SearchKey))
            throw new BackupFormatException(name, $"the message's PR_SEARCH_KEY is {Convert.ToHexString(key)}; Imcfls line {entry.Line} says {entry.SearchKeyHex}");
    }

    private static string StripTnef(TnefException e)
    {
        // "FILE: TNEF bad checksum at offset N (0xN): detail" → "bad checksum at offset N (0xN): detail"
        var m = e.Message;
        var i = m.IndexOf("TNEF ", StringComparison.Ordinal);
        return i >= 0 ? m[(i + 5)..] : m;
    }

    private static string StripPrefix(string message, string name, int? line)
    {
        var prefix = name + ": ";
        if (message.StartsWith(prefix, StringComparison.Ordinal)) message = message[prefix.Length..];
        if (line is { } n && message.StartsWith($"line {n}: ", StringComparison.Ordinal)) message = message[$"line {n}: ".Length..];
        return message;
    }
}
