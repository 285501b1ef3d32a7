namespace Imc.Backup.Restore;

/// <summary>Where a restore is: its phase, and for the queues the messages done (added or skipped) of the total.</summary>
public sealed record RestoreProgress(RestorePhase Phase, int MessagesDone, int MessagesTotal, long BytesDone, long BytesTotal, string? Current);

public enum RestorePhase
{
    Verifying,
    Registry,
    Directory,
    Queues,
    Done,
}
