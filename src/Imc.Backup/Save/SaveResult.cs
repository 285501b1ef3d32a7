using Imc.Backup.CommandLine;

namespace Imc.Backup.Save;

/// <summary>The outcome of one item: files written and, for a queue, messages saved (null = the folder is absent).</summary>
public sealed record SavedItem(ImcItem Item, int? Count, long Bytes, int Files)
{
    public bool Absent => Count is null && Item.IsQueue;
}

/// <summary>A saved message that -delete left in its queue, and why.</summary>
public sealed record KeptMessage(string File, string Folder, string Reason);

/// <summary>What a save did: where the backup is, what is in it, what was deleted or kept.</summary>
public sealed class SaveResult
{
    /// <summary>The Backup folder (absolute).</summary>
    public required string BackupPath { get; init; }

    /// <summary>The gateway's directory name.</summary>
    public required string GatewayDn { get; init; }

    /// <summary>Each saved item, in the fixed order.</summary>
    public List<SavedItem> Items { get; } = [];

    /// <summary>Files written, Imcfls included.</summary>
    public int FilesWritten { get; internal set; }

    /// <summary>Bytes of every file listed in Imcfls.</summary>
    public long BytesWritten { get; internal set; }

    /// <summary>The gateway's PR_TRANSFER_ENABLED as the run leaves it (false once a queue was saved).</summary>
    public bool TransferEnabled { get; internal set; }

    /// <summary>True when the run turned routing off (it was on before).</summary>
    public bool RoutingTurnedOff { get; internal set; }

    /// <summary>-delete was asked for.</summary>
    public bool DeleteRequested { get; internal set; }

    /// <summary>The confirmation said yes and deletion ran.</summary>
    public bool DeleteRan { get; internal set; }

    /// <summary>-delete was asked for but not confirmed: nothing was deleted.</summary>
    public bool DeleteDeclined => DeleteRequested && !DeleteRan;

    public int Deleted { get; internal set; }

    public List<KeptMessage> Kept { get; } = [];

    public DateTimeOffset Started { get; internal set; }
    public DateTimeOffset Finished { get; internal set; }
    public TimeSpan Elapsed => Finished - Started;

    /// <summary>Messages saved over all queues.</summary>
    public int MessagesSaved => Items.Sum(i => i.Count ?? 0);
}
