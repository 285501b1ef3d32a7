namespace Imc.Backup.Save;

/// <summary>What a save is doing now.</summary>
public enum SaveStage
{
    /// <summary>Writing Imcsvc.reg and Imcpro.reg.</summary>
    Registry,
    /// <summary>Writing Imcobj.csv.</summary>
    Directory,
    /// <summary>Saving one queue's messages (<see cref="SaveProgress.Item"/>).</summary>
    Queue,
    /// <summary>Making every file durable and writing Imcfls.</summary>
    Finishing,
    /// <summary>Verifying and deleting the saved messages of one queue.</summary>
    Delete,
}

/// <summary>
/// One progress report. For <see cref="SaveStage.Queue"/> and <see cref="SaveStage.Delete"/>: <see cref="Done"/> of
/// <see cref="Total"/> messages of <see cref="Item"/>, <see cref="Bytes"/> written so far in that queue. A report with
/// Done = 0 starts a queue, Done = Total ends it.
/// </summary>
public sealed record SaveProgress(SaveStage Stage, string Item, int Done, int Total, long Bytes)
{
    /// <summary>The store folder (MTS-OUT, ...) for queue stages, else null.</summary>
    public string? Folder { get; init; }

    /// <summary>True when the queue's folder does not exist (recorded as absent).</summary>
    public bool Absent { get; init; }

    /// <summary>The file just written (relative to Backup, '/' separators), or null.</summary>
    public string? File { get; init; }
}
