namespace Imc.Backup.Restore;

/// <summary>What imcrestore was asked to do.</summary>
public sealed class RestoreOptions
{
    /// <summary>The Backup folder (the one holding Imcfls).</summary>
    public required string BackupDir { get; init; }

    /// <summary>Items to restore (canonical names, see PackingList.BackupLayout.ItemOrder); null = every item the backup has.</summary>
    public IReadOnlyCollection<string>? Items { get; init; }

    /// <summary>Keep the backup's server, organisation, site and paths instead of retargeting them to the target.</summary>
    public bool KeepIdentity { get; init; }

    /// <summary>Turn transfer on at the end, so mail the MTA held flows into MTS-OUT.</summary>
    public bool Resume { get; init; }

    /// <summary>Report everything, change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The program name the gateway logon is held under.</summary>
    public string Program { get; init; } = "imcrestore";

    /// <summary>
    /// Asked before the target's existing, different IMC configuration is replaced. Return true to go on. Null means
    /// nobody can answer (no terminal, no -yes): the restore refuses (exit 7) and changes nothing.
    /// </summary>
    public Func<OverwriteQuestion, bool>? ConfirmOverwrite { get; init; }
}

/// <summary>What the confirmation is about: the target's IMC configuration that would be replaced.</summary>
public sealed record OverwriteQuestion(string TargetServer, string TargetGateway, IReadOnlyList<string> Differences);
