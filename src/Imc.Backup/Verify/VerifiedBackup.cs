using Imc.Backup.PackingList;
using Imc.Formats.Reg;
using Imc.Server.Directory;

namespace Imc.Backup.Verify;

/// <summary>
/// A Backup folder that passed every check: its packing list's index, the packing list itself (held open, so restore
/// reads the very file that was checked), and the parsed configuration (small) ready to restore. Neither the entries
/// nor the messages are kept in memory: the entries are streamed from the list and the messages read again from their
/// files when restored.
/// </summary>
public sealed class VerifiedBackup : IDisposable
{
    public required string BackupDir { get; init; }
    public required PackingListIndex List { get; init; }

    /// <summary>The open packing list the entries are read from again.</summary>
    public required PackingListSource Source { get; init; }

    /// <summary>Imcsvc.reg's keys (null when the backup has no Registry item).</summary>
    public IReadOnlyList<RegKey>? ServiceKeys { get; init; }

    /// <summary>Imcpro.reg's keys (null when the backup has no Registry item).</summary>
    public IReadOnlyList<RegKey>? ProfileKeys { get; init; }

    /// <summary>The service account SID Imcpro.reg's keys are under (null when it has none).</summary>
    public string? ProfileSid { get; init; }

    /// <summary>The gateway object of Imcobj.csv (null when the backup has no Directory item).</summary>
    public DirectoryObject? GatewayObject { get; init; }

    public int FileCount => List.FileCount;
    public long TotalBytes => List.TotalBytes;
    public int MessageCount => List.MessageCount;

    /// <summary>The queue's messages in list order, each batch checked against the verified list first.</summary>
    public IEnumerable<PackedMessage> MessagesOf(QueueLayout queue) => List.MessagesOf(queue, Source);

    /// <summary>The full path of a packing-list name.</summary>
    public string FullPath(string relativePath) => Path.Combine(BackupDir, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public void Dispose() => Source.Dispose();
}
