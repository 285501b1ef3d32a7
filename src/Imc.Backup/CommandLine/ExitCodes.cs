namespace Imc.Backup.CommandLine;

/// <summary>
/// The exit codes of imcsave, imcrestore and imcadmin: explicit numbers, the same meaning in every program, listed in
/// every -help screen (<see cref="HelpTable"/>) and in docs/exit-codes.md.
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Ok = 0;
    /// <summary>The command line could not be parsed: unknown option or item, missing value.</summary>
    public const int Usage = 1;
    /// <summary>Server or configuration problem: no server, IMC not installed, registry value missing, RootDir points nowhere.</summary>
    public const int Server = 2;
    /// <summary>The output already exists (a Backup folder, an output file); nothing was overwritten.</summary>
    public const int OutputExists = 3;
    /// <summary>The gateway is busy: another program holds its logon.</summary>
    public const int GatewayBusy = 4;
    /// <summary>Invalid or damaged input: a backup, TNEF, .reg, .csv, .ini or .eml file.</summary>
    public const int InvalidInput = 5;
    /// <summary>An I/O error: disk full, permission denied.</summary>
    public const int IoError = 6;
    /// <summary>Deletion declined (no terminal and no -yes, or answered no): the backup is kept, nothing was deleted.</summary>
    public const int DeletionDeclined = 7;
    /// <summary>Incomplete: some messages were not saved, or were kept in their queue by verification.</summary>
    public const int Incomplete = 8;
    /// <summary>An internal error: a bug in the program.</summary>
    public const int Internal = 70;
    /// <summary>Interrupted with Ctrl+C (128 + SIGINT, the shell convention).</summary>
    public const int Cancelled = 130;

    /// <summary>Every code with its one-line meaning, in order.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> All { get; } =
    [
        (Ok, "OK"),
        (Usage, "usage error (unknown option or item, missing value)"),
        (Server, "server or configuration problem (no server, IMC not installed, registry value missing)"),
        (OutputExists, "the output already exists (Backup folder, output file); nothing overwritten"),
        (GatewayBusy, "the gateway is busy (another program holds its logon)"),
        (InvalidInput, "invalid or damaged input (backup, TNEF, .reg, .csv, .ini, .eml)"),
        (IoError, "I/O error (disk full, permission denied)"),
        (DeletionDeclined, "deletion declined (no terminal and no -yes, or answered no): backup kept, nothing deleted"),
        (Incomplete, "incomplete (some messages not saved, or kept by verification)"),
        (Internal, "internal error (a bug: please report it)"),
        (Cancelled, "interrupted (Ctrl+C)"),
    ];

    /// <summary>The "Exit codes:" section of a -help screen.</summary>
    public static string HelpTable { get; } =
        "Exit codes:" + Environment.NewLine +
        string.Concat(All.Select(e => $"  {e.Code,-4} {e.Meaning}{Environment.NewLine}"));
}
