using Imc.Backup.CommandLine;
using Imc.Backup.Save;
using Imc.Server;
using Spectre.Console;

namespace Imcsave;

/// <summary>
/// The imcsave program: the original's command line (<c>IMCSAVE [-output SaveDir] [-save Item [Item]...] [-delete]
/// [-help]</c>) plus -server, -yes, -json and -quiet; runs <see cref="SaveEngine"/> and shows progress, the
/// confirmation and the summary.
/// </summary>
internal static class ImcsaveCommand
{
    public static readonly CommandLineSpec Spec = new("imcsave",
    [
        OptionSpec.Single("output", 1, "SaveDir", "Create Backup in SaveDir instead of the IMC's root directory (Imcdata)."),
        OptionSpec.Multiple("save", 1, "Item", "Save only these items (default: all). Items are listed below."),
        OptionSpec.Flag("delete", 1, "After saving, delete the saved messages from their queues (asks first)."),
        OptionSpec.Flag("yes", 1, "Answer yes to the -delete confirmation (needed without a terminal)."),
        OptionSpec.Single("server", 3, "PATH", "The server folder (default: $IMC_SERVER, else the per-user server)."),
        OptionSpec.Flag("json", 1, "Print one JSON object with the result on stdout (nothing else on stdout)."),
        OptionSpec.Flag("quiet", 1, "No progress and no summary; errors still go to stderr."),
    ]);

    public static int Execute(IReadOnlyList<string> args)
    {
        var parsed = CommandLineParser.Parse(Spec, args);
        if (parsed.HelpRequested)
        {
            Console.Out.Write(HelpScreen.Text(Spec));
            return ExitCodes.Ok;
        }
        var items = ImcItem.ParseList(parsed.Values("save"));
        var delete = parsed.Has("delete");
        var yes = parsed.Has("yes");
        var json = parsed.Has("json");
        var quiet = parsed.Has("quiet");
        var terminal = !Console.IsInputRedirected && !Console.IsOutputRedirected;

        using var server = ExchangeServer.Open(ServerLocator.Resolve(parsed.Value("server")));
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var display = quiet || json ? ProgressDisplay.None : terminal ? ProgressDisplay.Bars : ProgressDisplay.Lines;
            var runner = new InteractiveRun(server, display, yes ? DeleteAnswer.Yes : delete && terminal && !json ? DeleteAnswer.Ask : DeleteAnswer.No);
            var result = runner.Run(parsed.Value("output"), items, delete, cancel.Token);

            if (json) Console.Out.Write(JsonSummary.Render(result));
            else if (!quiet) Console.Out.Write(Summary.Render(result));

            if (result.DeleteDeclined)
            {
                if (runner.Asked)
                    CommandRunner.WriteError(Console.Error, "imcsave", "deletion declined. The backup is complete; nothing was deleted.");
                else
                    CommandRunner.WriteError(Console.Error, "imcsave",
                        "-delete was not confirmed: no terminal to ask and no -yes. The backup is complete; nothing was deleted.",
                        "Add -yes to delete without asking.");
                return ExitCodes.DeletionDeclined;
            }
            if (result.Kept.Count > 0)
            {
                foreach (var kept in result.Kept)
                    Console.Error.WriteLine($"imcsave: kept {kept.File} in {kept.Folder}: {kept.Reason}.");
                CommandRunner.WriteError(Console.Error, "imcsave",
                    $"{result.Kept.Count} saved message{(result.Kept.Count == 1 ? " was" : "s were")} not deleted (see above); they are still in their queues and in the backup.");
                return ExitCodes.Incomplete;
            }
            return ExitCodes.Ok;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
