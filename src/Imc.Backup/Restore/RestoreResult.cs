namespace Imc.Backup.Restore;

/// <summary>One value the restore retargeted to the target server: where, which value, old and new.</summary>
public sealed record IdentityChange(string Where, string Name, string Old, string New);

/// <summary>One queue restored: how many messages were added, skipped (already there), and whether its folder was created.</summary>
public sealed record QueueRestoreResult(string Item, string Folder, int Added, int Skipped, bool FolderCreated);

/// <summary>What a restore did (or, with -dryrun, would do).</summary>
public sealed class RestoreResult
{
    public bool DryRun { get; init; }
    public required string BackupDir { get; init; }
    public required string SourceServer { get; init; }
    public required string SourceGateway { get; init; }
    public required string TargetServer { get; init; }
    public required string TargetGateway { get; init; }
    public bool KeepIdentity { get; init; }

    /// <summary>Every retargeted value, old and new.</summary>
    public List<IdentityChange> Changes { get; } = [];

    /// <summary>"written", "unchanged" (identical already) or "skipped" (not restored).</summary>
    public string Registry { get; set; } = "skipped";
    public int RegistryKeys { get; set; }

    /// <summary>"created", "updated", "unchanged" or "skipped".</summary>
    public string Directory { get; set; } = "skipped";

    public List<QueueRestoreResult> Queues { get; } = [];
    public int MessagesAdded => Queues.Sum(q => q.Added);
    public int MessagesSkipped => Queues.Sum(q => q.Skipped);

    /// <summary>The gateway's transfer state before and after.</summary>
    public bool? TransferBefore { get; set; }
    public bool? TransferAfter { get; set; }

    public int FilesVerified { get; set; }
    public long BytesVerified { get; set; }
    public TimeSpan Elapsed { get; set; }
}
