using Spectre.Console;

namespace Imc.Console;

/// <summary>
/// Progress bars on a terminal for our executables (compiled into each one that shows bars; Imc.Backup never
/// references Spectre.Console). The engine runs on a worker thread and reports with <see cref="Set"/>; this thread
/// draws one bar per key. A question the engine must ask (<see cref="Ask{T}"/>) pauses the live display, because a
/// Spectre live display and a prompt cannot run at the same time, and resumes it afterwards.
/// </summary>
internal sealed class ProgressBoard(IAnsiConsole console)
{
    private readonly Lock _gate = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (string Description, double Done, double Total)> _latest = [];
    private (Func<object?> Ask, TaskCompletionSource<object?> Answer)? _question;

    /// <summary>Creates or updates the bar <paramref name="key"/> (any thread). A total of 0 shows a full bar.</summary>
    public void Set(string key, string description, double done, double total)
    {
        lock (_gate)
        {
            if (!_latest.ContainsKey(key)) _order.Add(key);
            _latest[key] = (description, done, total);
        }
    }

    /// <summary>From the worker: runs <paramref name="ask"/> on the display's thread with the bars paused, and returns its answer.</summary>
    public T Ask<T>(Func<T> ask)
    {
        var answer = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _question = (() => ask(), answer);
        return (T)answer.Task.GetAwaiter().GetResult()!;
    }

    /// <summary>Runs <paramref name="work"/> on a worker thread and shows the bars until it ends; returns its result or rethrows.</summary>
    public T Run<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        var task = Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var bars = new Dictionary<string, ProgressTask>();
        while (true)
        {
            console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    bars.Clear();
                    while (!task.IsCompleted && Pending() is null)
                    {
                        Update(ctx, bars);
                        task.Wait(100, CancellationToken.None);
                    }
                    Update(ctx, bars);
                });
            if (Pending() is not { } q) break;
            try
            {
                q.Answer.TrySetResult(q.Ask());
            }
            catch (Exception e)
            {
                q.Answer.TrySetException(e);
            }
            lock (_gate)
            {
                _question = null;
                // Bars already drawn above the question stay there; draw only what changes from now on.
                foreach (var key in _order.ToList())
                    if (_latest[key].Done >= _latest[key].Total) _order.Remove(key);
            }
        }
        return task.GetAwaiter().GetResult();
    }

    private (Func<object?> Ask, TaskCompletionSource<object?> Answer)? Pending()
    {
        lock (_gate) return _question;
    }

    private void Update(ProgressContext ctx, Dictionary<string, ProgressTask> bars)
    {
        List<(string Key, (string Description, double Done, double Total) P)> snapshot;
        lock (_gate) snapshot = [.. _order.Select(k => (k, _latest[k]))];
        foreach (var (key, p) in snapshot)
        {
            var max = Math.Max(p.Total, 1);
            if (!bars.TryGetValue(key, out var bar)) bars[key] = bar = ctx.AddTask(Markup.Escape(p.Description), maxValue: max);
            bar.Description = Markup.Escape(p.Description);
            bar.MaxValue = max;
            bar.Value = p.Total <= 0 ? max : Math.Min(p.Done, max);
            if (bar.Value >= max && !bar.IsFinished) bar.StopTask(); // its elapsed time stops with it
        }
    }
}
