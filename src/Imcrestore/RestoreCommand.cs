using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Imc.Backup.CommandLine;
using Imc.Backup.Restore;
using Imc.Console;
using Imc.Server;
using Spectre.Console;

namespace Imcrestore;

/// <summary>
/// <c>IMCRESTORE BackupDir [-server PATH] [-restore Item [Item]...] [-keepidentity] [-resume] [-dryrun] [-yes] [-json]
/// [-quiet] [-help]</c>: parse, call <see cref="RestoreEngine"/>, print.
/// </summary>
internal static class RestoreCommand
{
    public const string Program = "imcrestore";

    private static readonly CommandLineSpec Spec = new(Program,
    [
        OptionSpec.Single("server", 2, "PATH", "The target server (default: IMC_SERVER, else the per-user server)."),
        OptionSpec.Multiple("restore", 1, "Item", $"Restore only these items: {ImcItem.ItemList}. Default: everything in the backup."),
        OptionSpec.Flag("keepidentity", 1, "Keep the backup's server, organisation, site and paths (restore onto the same server)."),
        OptionSpec.Flag("resume", 3, "Turn transfer on at the end, so held mail flows into MTS-OUT."),
        OptionSpec.Flag("dryrun", 1, "Report what would be done, change nothing."),
        OptionSpec.Flag("yes", 1, "Replace the target's existing IMC configuration without asking."),
        OptionSpec.Flag("json", 1, "Print the summary as JSON on stdout."),
        OptionSpec.Flag("quiet", 1, "Print nothing but errors."),
    ], minPositionals: 1, maxPositionals: 1, positionalName: "BackupDir");

    public static int Execute(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cmd = CommandLineParser.Parse(Spec, args);
        if (cmd.HelpRequested)
        {
            stdout.Write(UsageScreen.Render(
                "IMCRESTORE BackupDir [-server PATH] [-restore Item [Item]...] [-keepidentity] [-resume] [-dryrun] [-yes] [-json] [-quiet] [-help]",
                "Restores an Imcsave backup onto a server: verifies every file first, then writes the IMC's registry keys, its directory object and every saved message back into its queue. Messages already in a queue are skipped, so running it again adds nothing.",
                Spec.Options,
                ("Without a terminal", "Replacing a different IMC configuration needs -yes; without it imcrestore stops with exit 7 and changes nothing. A target with no IMC registry, or an identical one, is restored without asking."),
                ("Exit codes", ExitCodes.HelpTable)));
            return ExitCodes.Ok;
        }
        var items = cmd.Has("restore") ? ImcItem.ParseList(cmd.Values("restore")).Select(i => i.Name).ToList() : null;
        var json = cmd.Has("json");
        var quiet = cmd.Has("quiet");
        // As imcsave: bars on a terminal, plain lines on stdout otherwise, nothing with -quiet or -json.
        var terminal = !Console.IsInputRedirected && !Console.IsOutputRedirected;
        var board = quiet || json || !terminal ? null : new ProgressBoard(AnsiConsole.Console);
        var serverPath = ServerLocator.Resolve(cmd.Value("server"));

        using var server = ExchangeServer.Open(serverPath);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var options = new RestoreOptions
        {
            BackupDir = cmd.Positionals[0],
            Items = items,
            KeepIdentity = cmd.Has("keepidentity"),
            Resume = cmd.Has("resume"),
            DryRun = cmd.Has("dryrun"),
            ConfirmOverwrite = cmd.Has("yes") ? _ => true : !terminal ? null : board is null ? Ask : q => board.Ask(() => Ask(q)),
        };
        RestoreResult result;
        if (board is not null)
        {
            var bars = new BarProgress(board);
            result = board.Run(() => new RestoreEngine(server).Run(options, bars, cancel.Token), cancel.Token);
        }
        else
            result = new RestoreEngine(server).Run(options, quiet || json ? null : new LineProgress(stdout), cancel.Token);
        if (json) stdout.WriteLine(JsonSerializer.Serialize(ToJson(result), JsonOptions));
        else if (!quiet) WriteSummary(stdout, result);
        return ExitCodes.Ok;
    }

    private static bool Ask(OverwriteQuestion q)
    {
        AnsiConsole.MarkupLine($"[yellow]The target server {Markup.Escape(q.TargetServer)} already has an IMC configuration ({Markup.Escape(q.TargetGateway)}):[/]");
        foreach (var d in q.Differences.Take(10)) AnsiConsole.MarkupLine("  " + Markup.Escape(d));
        return AnsiConsole.Confirm("Replace it with the backup's configuration?", defaultValue: false);
    }

    private static void WriteSummary(TextWriter o, RestoreResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(r.DryRun ? "Dry run: nothing was changed. imcrestore would:" : "Restore finished.");
        o.WriteLine($"  Backup:     {r.BackupDir} ({r.FilesVerified} files, {r.BytesVerified.ToString(inv)} bytes verified)");
        o.WriteLine($"  From:       {r.SourceServer} {r.SourceGateway}");
        o.WriteLine($"  To:         {r.TargetServer} {r.TargetGateway}{(r.KeepIdentity ? " (identity kept)" : "")}");
        o.WriteLine($"  Registry:   {r.Registry}{(r.RegistryKeys > 0 ? $" ({r.RegistryKeys} keys)" : "")}");
        o.WriteLine($"  Directory:  {r.Directory}");
        foreach (var q in r.Queues)
            o.WriteLine($"  {q.Folder,-24}{q.Added} added, {q.Skipped} already there{(q.FolderCreated ? " (folder created)" : "")}");
        o.WriteLine($"  Transfer:   {State(r.TransferBefore)} -> {State(r.TransferAfter)}");
        if (r.Changes.Count > 0)
        {
            o.WriteLine("  Retargeted values:");
            foreach (var c in r.Changes) o.WriteLine($"    {c.Where} {c.Name}: {c.Old} -> {c.New}");
        }
        static string State(bool? s) => s switch { true => "on", false => "off", null => "none" };
    }

    private static object ToJson(RestoreResult r) => new
    {
        dryRun = r.DryRun,
        backup = r.BackupDir,
        source = new { server = r.SourceServer, gateway = r.SourceGateway },
        target = new { server = r.TargetServer, gateway = r.TargetGateway, keepIdentity = r.KeepIdentity },
        filesVerified = r.FilesVerified,
        bytesVerified = r.BytesVerified,
        registry = r.Registry,
        registryKeys = r.RegistryKeys,
        directory = r.Directory,
        queues = r.Queues.Select(q => new { item = q.Item, folder = q.Folder, added = q.Added, skipped = q.Skipped, folderCreated = q.FolderCreated }),
        messagesAdded = r.MessagesAdded,
        messagesSkipped = r.MessagesSkipped,
        transferBefore = r.TransferBefore,
        transferAfter = r.TransferAfter,
        changes = r.Changes.Select(c => new { where = c.Where, name = c.Name, old = c.Old, @new = c.New }),
        elapsedSeconds = Math.Round(r.Elapsed.TotalSeconds, 3),
    };

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Plain progress lines on stdout (no terminal): one when a phase starts, then at most one a second.</summary>
    private sealed class LineProgress(TextWriter stdout) : IProgress<RestoreProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private RestorePhase? _phase;
        private TimeSpan _last = TimeSpan.MinValue;

        public void Report(RestoreProgress p)
        {
            if (p.Phase == RestorePhase.Done) return;
            var now = _clock.Elapsed;
            if (p.Phase == _phase && now - _last < TimeSpan.FromSeconds(1)) return;
            _phase = p.Phase;
            _last = now;
            stdout.WriteLine(Describe(p) + ".");
            stdout.Flush();
        }
    }

    /// <summary>Bars on a terminal: verification, configuration, messages.</summary>
    private sealed class BarProgress(ProgressBoard board) : IProgress<RestoreProgress>
    {
        public void Report(RestoreProgress p)
        {
            switch (p.Phase)
            {
                case RestorePhase.Verifying:
                    board.Set("verify", Describe(p), p.BytesDone, p.BytesTotal);
                    break;
                case RestorePhase.Registry or RestorePhase.Directory:
                    board.Set("verify", "Verified the backup", 1, 1);
                    board.Set(p.Phase.ToString(), Describe(p), 1, 1);
                    break;
                case RestorePhase.Queues:
                    board.Set("verify", "Verified the backup", 1, 1);
                    board.Set("queues", Describe(p), p.MessagesDone, p.MessagesTotal);
                    break;
            }
        }
    }

    private static string Describe(RestoreProgress p) => p.Phase switch
    {
        RestorePhase.Verifying => $"Verifying: {p.MessagesDone}/{p.MessagesTotal} files, {Mb(p.BytesDone)} of {Mb(p.BytesTotal)}",
        RestorePhase.Registry => "Registry: the IMC's service and profile keys",
        RestorePhase.Directory => "Directory: the gateway object",
        _ => $"Messages: {p.MessagesDone}/{p.MessagesTotal}, {Mb(p.BytesDone)} of {Mb(p.BytesTotal)}",
    };

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
