using Imc.Backup.CommandLine;

namespace Imc.Backup.Save;

/// <summary>What one imcsave run does (the original's command line, DESIGN.md §2).</summary>
public sealed class SaveOptions
{
    /// <summary>The folder Backup is created in (<c>-output SaveDir</c>); null = the IMC's RootDir.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The items to save; empty = all of them (the original's default).</summary>
    public IReadOnlyCollection<ImcItem> Items { get; init; } = [];

    /// <summary>
    /// <c>-delete</c>: after the backup is complete, ask <see cref="ConfirmDelete"/> and delete the saved messages
    /// that pass verification (promise 1).
    /// </summary>
    public bool Delete { get; init; }

    /// <summary>
    /// Asked once the backup is complete and durable, before anything is deleted, with what was saved; true = delete.
    /// Null with <see cref="Delete"/> set = declined. The gateway logon is still held while it runs.
    /// </summary>
    public Func<SaveResult, bool>? ConfirmDelete { get; init; }

    /// <summary>The tool named in Imcfls (<c>imcsave 1.0.0</c>).</summary>
    public string ToolName { get; init; } = "imcsave " + SaveEngine.Version;

    /// <summary>The program name the gateway logon records as its holder.</summary>
    public string LogonProgram { get; init; } = "imcsave";

    /// <summary>The items to save, in the fixed order (all when <see cref="Items"/> is empty).</summary>
    internal IReadOnlyList<ImcItem> EffectiveItems =>
        Items.Count == 0 ? ImcItem.All : [.. ImcItem.All.Where(Items.Contains)];
}
