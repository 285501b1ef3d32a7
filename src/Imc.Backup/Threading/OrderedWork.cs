namespace Imc.Backup.Threading;

/// <summary>
/// Runs a function over a sequence on background threads, a bounded number of items ahead, and hands the results
/// back in the sequence's order on the calling thread. The calling thread alone enumerates the sequence (a
/// packing-list cursor serves one thread) and alone consumes the results (so does a store connection). An exception
/// thrown for an item is rethrown when that item's turn comes: the first failure the caller sees is the first in
/// order, exactly as if the items had been processed one after the other (an exception of the sequence itself too).
/// Items after it may have been started; their results are dropped.
/// </summary>
internal static class OrderedWork
{
    /// <summary>Background threads for CPU-bound work on this machine (one core is left to the caller).</summary>
    public static int DefaultWorkers => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <param name="items">Enumerated on the calling thread only, at most <paramref name="ahead"/> items before the result being waited for.</param>
    /// <param name="work">Runs on the background threads, for several items at once.</param>
    /// <param name="workers">Background threads; 1 or fewer runs everything on the calling thread.</param>
    /// <param name="ahead">Items started but not yet handed back, at most: what bounds the memory in flight.</param>
    public static IEnumerable<TOut> Map<TIn, TOut>(IEnumerable<TIn> items, Func<TIn, TOut> work, int workers, int ahead,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfLessThan(ahead, 1);
        return workers <= 1 ? Sequential(items, work, cancellationToken) : Parallel(items, work, workers, ahead, cancellationToken);
    }

    private static IEnumerable<TOut> Sequential<TIn, TOut>(IEnumerable<TIn> items, Func<TIn, TOut> work, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return work(item);
        }
    }

    private static IEnumerable<TOut> Parallel<TIn, TOut>(IEnumerable<TIn> items, Func<TIn, TOut> work, int workers, int ahead,
        CancellationToken cancellationToken)
    {
        var started = new BoundedQueue<Slot<TIn, TOut>>(ahead);
        var inOrder = new Queue<Slot<TIn, TOut>>(ahead);
        var abandoned = new Flag();
        var threads = new Thread[workers];
        for (var i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(() =>
            {
                while (started.TryTake(out var slot)) slot.Run(work, abandoned.IsSet);
            }) { IsBackground = true, Name = "imc worker" };
            threads[i].Start();
        }
        try
        {
            using var e = items.GetEnumerator();
            var more = true;
            while (true)
            {
                // The queue never holds more than inOrder does, so adding never waits.
                while (more && inOrder.Count < ahead)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        more = e.MoveNext();
                    }
                    catch (Exception failure)
                    {
                        // The sequence's own failure takes its place in line, after the items before it.
                        more = false;
                        inOrder.Enqueue(Slot<TIn, TOut>.Failed(failure));
                        break;
                    }
                    if (!more) break;
                    var slot = new Slot<TIn, TOut>(e.Current);
                    inOrder.Enqueue(slot);
                    started.Add(slot);
                }
                if (!inOrder.TryDequeue(out var next)) yield break;
                cancellationToken.ThrowIfCancellationRequested();
                yield return next.Wait();
            }
        }
        finally
        {
            // Items not started yet are skipped; the running ones finish (they cannot be interrupted safely).
            abandoned.IsSet = true;
            started.CompleteAdding();
            foreach (var thread in threads) thread.Join();
        }
    }

    private sealed class Flag
    {
        private volatile bool _set;

        public bool IsSet
        {
            get => _set;
            set => _set = value;
        }
    }

    /// <summary>One item's place in line: its input, then its outcome.</summary>
    private sealed class Slot<TIn, TOut>(TIn input)
    {
        private readonly object _gate = new();
        private Outcome<TOut>? _outcome;

        public static Slot<TIn, TOut> Failed(Exception failure) => new(default!) { _outcome = Outcome<TOut>.Failure(failure) };

        public void Run(Func<TIn, TOut> work, bool skip)
        {
            var outcome = skip
                ? Outcome<TOut>.Failure(new OperationCanceledException("The results were no longer wanted."))
                : Outcome.Of(() => work(input));
            lock (_gate)
            {
                _outcome = outcome;
                Monitor.PulseAll(_gate);
            }
        }

        public TOut Wait()
        {
            Outcome<TOut> outcome;
            lock (_gate)
            {
                while (_outcome is null) Monitor.Wait(_gate);
                outcome = _outcome;
            }
            return outcome.Get();
        }
    }
}
