using Imc.Backup.PackingList;
using Imc.Formats.Reg;
using Imc.Server.Directory;

namespace Imc.Backup.Verify;

/// <summary>
/// A Backup folder that passed every check: its packing list, and the parsed configuration (small) ready to restore.
/// Messages are not kept in memory; they are read again from their files when restored.
/// </summary>
public sealed class VerifiedBackup
{
    public required string BackupDir { get; init; }
    public required Imcfls List { get; init; }

    /// <summary>Imcsvc.reg's keys (null when the backup has no Registry item).</summary>
    public IReadOnlyList<RegKey>? ServiceKeys { get; init; }

    /// <summary>Imcpro.reg's keys (null when the backup has no Registry item).</summary>
    public IReadOnlyList<RegKey>? ProfileKeys { get; init; }

    /// <summary>The service account SID Imcpro.reg's keys are under (null when it has none).</summary>
    public string? ProfileSid { get; init; }

    /// <summary>The gateway object of Imcobj.csv (null when the backup has no Directory item).</summary>
    public DirectoryObject? GatewayObject { get; init; }

    public int FileCount => List.Files.Count;
    public long TotalBytes => List.Files.Sum(f => f.Size);
    public int MessageCount => List.Messages.Count;

    /// <summary>The full path of a packing-list name.</summary>
    public string FullPath(string relativePath) => Path.Combine(BackupDir, relativePath.Replace('/', Path.DirectorySeparatorChar));
}
