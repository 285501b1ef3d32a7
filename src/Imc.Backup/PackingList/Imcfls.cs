namespace Imc.Backup.PackingList;

/// <summary>
/// The packing list of a Backup folder (file <c>Imcfls</c>, docs/backup-format.md): who wrote it, from which server,
/// which items, the queues, every file with its size and SHA-256, every message with its queue and search key.
/// </summary>
public sealed class Imcfls
{
    /// <summary>The only format this version writes and reads.</summary>
    public const int CurrentFormat = 1;

    public int Format { get; set; } = CurrentFormat;

    /// <summary>The writing tool and version, e.g. <c>imcsave 1.0.0</c>.</summary>
    public string Tool { get; set; } = "";

    /// <summary>The saved server's HomeDSA.</summary>
    public string Server { get; set; } = "";
    public string Organization { get; set; } = "";
    public string Site { get; set; } = "";

    /// <summary>The gateway's directory DN (also its mailbox DN).</summary>
    public string Gateway { get; set; } = "";

    public DateTimeOffset Started { get; set; }
    public DateTimeOffset Finished { get; set; }

    /// <summary>The saved items, canonical names (see <see cref="BackupLayout.ItemOrder"/>).</summary>
    public List<string> Items { get; } = [];

    /// <summary>The transfer state imcsave left the gateway in (false: routing stays off).</summary>
    public bool TransferEnabled { get; set; }

    /// <summary>Whether -delete ran, and how many messages it deleted and kept.</summary>
    public bool Delete { get; set; }
    public int Deleted { get; set; }
    public int Kept { get; set; }

    public List<PackedQueue> Queues { get; } = [];
    public List<PackedFile> Files { get; } = [];
    public List<PackedMessage> Messages { get; } = [];

    public bool HasItem(string item) => Items.Any(i => string.Equals(i, item, StringComparison.OrdinalIgnoreCase));

    public PackedFile? FindFile(string path) => Files.FirstOrDefault(f => string.Equals(f.Path, path, StringComparison.OrdinalIgnoreCase));

    /// <summary>The messages of one queue, in file order.</summary>
    public IEnumerable<PackedMessage> MessagesOf(QueueLayout queue) =>
        Messages.Where(m => m.Path.StartsWith(queue.BackupFolder + "/", StringComparison.Ordinal));
}
