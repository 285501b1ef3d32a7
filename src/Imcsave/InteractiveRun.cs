using System.Diagnostics;
using Imc.Backup.CommandLine;
using Imc.Backup.Save;
using Imc.Server;
using Spectre.Console;

namespace Imcsave;

/// <summary>
/// Runs the engine on a worker thread while this thread shows progress and, between saving and deleting, asks the
/// -delete question (a Spectre.Console live display and a prompt cannot run at the same time, and the gateway logon
/// must stay held in between).
/// </summary>
internal sealed class InteractiveRun(ExchangeServer server, ProgressDisplay display, DeleteAnswer deleteAnswer)
{
    private readonly Lock _gate = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, SaveProgress> _latest = [];
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
    private bool _lineDue;

    /// <summary>True when the user was asked the -delete question.</summary>
    public bool Asked { get; private set; }

    public SaveResult Run(string? outputDirectory, IReadOnlyList<ImcItem> items, bool delete, CancellationToken cancellationToken)
    {
        var question = new TaskCompletionSource<SaveResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
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
                    question.TrySetResult(saved);
                    return answer.Task.GetAwaiter().GetResult();
                },
                _ => _ => false,
            },
        };
        var sink = new Sink(this);
        var engine = new SaveEngine(server);
        var work = Task.Factory.StartNew(() => engine.Run(options, display == ProgressDisplay.None ? null : sink, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            Show(work, question.Task);
            if (!work.IsCompleted && question.Task.IsCompleted)
            {
                Asked = true;
                answer.TrySetResult(Ask(question.Task.Result));
                Show(work, null);
            }
            return work.GetAwaiter().GetResult();
        }
        finally
        {
            // Never leave the worker waiting for an answer (an exception here, Ctrl+C in the prompt).
            answer.TrySetResult(false);
        }
    }

    /// <summary>Shows progress until the engine finishes or asks the question.</summary>
    private void Show(Task work, Task? question)
    {
        bool Stop() => work.IsCompleted || question is { IsCompleted: true };
        Task[] waitOn = question is null ? [work] : [work, question];
        if (display != ProgressDisplay.Bars)
        {
            Task.WaitAny(waitOn);
            return;
        }
        var tasks = new Dictionary<string, ProgressTask>();
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                while (true)
                {
                    Update(ctx, tasks);
                    if (Stop()) break;
                    Task.WaitAny(waitOn, 100);
                }
                Update(ctx, tasks);
            });
    }

    private void Update(ProgressContext ctx, Dictionary<string, ProgressTask> tasks)
    {
        List<(string Key, SaveProgress P)> snapshot;
        lock (_gate) snapshot = [.. _order.Select(k => (k, _latest[k]))];
        foreach (var (key, p) in snapshot)
        {
            if (!tasks.TryGetValue(key, out var task)) tasks[key] = task = ctx.AddTask(Describe(p), maxValue: Math.Max(p.Total, 1));
            task.Description = Markup.Escape(Describe(p));
            task.MaxValue = Math.Max(p.Total, 1);
            task.Value = p.Total == 0 ? 1 : p.Done;
        }
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
        var key = p.Stage + " " + p.Item;
        lock (_gate)
        {
            if (!_latest.ContainsKey(key)) _order.Add(key);
            _latest[key] = p;
        }
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
