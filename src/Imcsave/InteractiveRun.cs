using System.Diagnostics;
using Imc.Backup.CommandLine;
using Imc.Backup.Save;
using Imc.Server;
using Imc.Console;
using Spectre.Console;

namespace Imcsave;

/// <summary>
/// Runs the engine with the progress the user asked for: bars on a terminal (the shared <see cref="ProgressBoard"/>,
/// which also pauses them for the -delete question while the gateway logon stays held), plain lines otherwise.
/// </summary>
internal sealed class InteractiveRun(ExchangeServer server, ProgressDisplay display, DeleteAnswer deleteAnswer)
{
    private readonly ProgressBoard? _board = display == ProgressDisplay.Bars ? new ProgressBoard(AnsiConsole.Console) : null;
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
    private bool _lineDue;

    /// <summary>True when the user was asked the -delete question.</summary>
    public bool Asked { get; private set; }

    public SaveResult Run(string? outputDirectory, IReadOnlyList<ImcItem> items, bool delete, CancellationToken cancellationToken)
    {
        var options = new SaveOptions
        {
            OutputDirectory = outputDirectory,
            Items = items,
            Delete = delete,
            ConfirmDelete = deleteAnswer switch
            {
                DeleteAnswer.Yes => _ => true,
                DeleteAnswer.Ask => saved =>
                {
                    Asked = true;
                    return _board is null ? Ask(saved) : _board.Ask(() => Ask(saved));
                },
                _ => _ => false,
            },
        };
        var engine = new SaveEngine(server);
        var progress = display == ProgressDisplay.None ? null : new Sink(this);
        return _board is null
            ? engine.Run(options, progress, cancellationToken)
            : _board.Run(() => engine.Run(options, progress, cancellationToken), cancellationToken);
    }

    private static string Describe(SaveProgress p) => p.Stage switch
    {
        SaveStage.Queue when p.Absent => $"{p.Item,-24} absent ({p.Folder} does not exist)",
        SaveStage.Queue => $"{p.Item,-24} {p.Done}/{p.Total} messages, {Units.Bytes(p.Bytes)}",
        SaveStage.Delete => $"delete {p.Item,-17} {p.Done}/{p.Total} messages",
        _ => $"{p.Item,-24} {p.Done}/{p.Total} files",
    };

    private static bool Ask(SaveResult saved)
    {
        var table = new Table().AddColumn("Queue").AddColumn(new TableColumn("Messages saved").RightAligned()).AddColumn(new TableColumn("Bytes").RightAligned());
        foreach (var item in saved.Items.Where(i => i.Item.IsQueue))
            table.AddRow(Markup.Escape($"{item.Item.Name} ({item.Item.QueueFolder})"), item.Count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "absent", Units.Bytes(item.Bytes));
        AnsiConsole.MarkupLine($"Saved to [bold]{Markup.Escape(saved.BackupPath)}[/]:");
        AnsiConsole.Write(table);
        var prompt = new ConfirmationPrompt(
            $"Delete these {Units.Count(saved.MessagesSaved, "message", "messages")} from their queues? Each is deleted only if its file reads back intact and it is unchanged in the queue.")
        {
            DefaultValue = false,
        };
        return AnsiConsole.Prompt(prompt);
    }

    private void Report(SaveProgress p)
    {
        _board?.Set(p.Stage + " " + p.Item, Describe(p), p.Done, p.Total);
        if (display != ProgressDisplay.Lines) return;
        // Plain lines: at most one a second, plus one when a queue (or a delete pass) is done.
        if (p.Stage is not (SaveStage.Queue or SaveStage.Delete)) return;
        var finished = p.Done == p.Total;
        if (finished)
        {
            Console.Out.WriteLine(Line(p, done: true));
            _lineDue = false;
            return;
        }
        if (_sinceLine.ElapsedMilliseconds >= 1000 || _lineDue)
        {
            if (p.Done == 0)
            {
                _lineDue = true;
                return;
            }
            Console.Out.WriteLine(Line(p, done: false));
            _sinceLine.Restart();
            _lineDue = false;
        }
    }

    private static string Line(SaveProgress p, bool done)
    {
        if (p.Stage == SaveStage.Delete)
            return done ? $"{p.Item}: checked {Units.Count(p.Total, "saved message", "saved messages")} for deletion." : $"{p.Item}: deleting, {p.Done}/{p.Total}.";
        if (p.Absent) return $"{p.Item}: the folder {p.Folder} does not exist (recorded as absent).";
        return done
            ? $"{p.Item}: {Units.Count(p.Total, "message", "messages")} saved, {Units.Bytes(p.Bytes)}."
            : $"{p.Item}: {p.Done}/{p.Total} messages, {Units.Bytes(p.Bytes)}.";
    }

    /// <summary>Receives reports synchronously on the engine's thread (Progress&lt;T&gt; would post them out of order).</summary>
    private sealed class Sink(InteractiveRun owner) : IProgress<SaveProgress>
    {
        public void Report(SaveProgress value) => owner.Report(value);
    }
}
