using Imc.Backup.Threading;

namespace Imc.Backup.Tests.Threading;

public sealed class OrderedWorkTests
{
    private static CancellationToken Test => TestContext.Current.CancellationToken;

    [Fact]
    public void Results_come_back_in_the_sequences_order_whatever_order_the_work_finishes_in()
    {
        // Earlier items take longer, so with several workers the later ones finish first.
        var results = OrderedWork.Map(Enumerable.Range(0, 200), i =>
        {
            if (i % 7 == 0) Thread.Sleep(5);
            return i * 10;
        }, workers: 3, ahead: 8, Test).ToList();
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i * 10), results);
    }

    [Fact]
    public void Items_are_worked_on_at_the_same_time()
    {
        // Two items that each wait for the other: only finishes if two run at once.
        using var both = new Barrier(2);
        var results = OrderedWork.Map([1, 2], i => both.SignalAndWait(TimeSpan.FromSeconds(10), Test) ? i : -i, workers: 2, ahead: 2, Test).ToList();
        Assert.Equal([1, 2], results);
    }

    [Fact]
    public void The_first_failure_in_order_is_the_one_thrown_after_the_results_before_it()
    {
        using var laterFailed = new ManualResetEventSlim();
        var seen = new List<int>();
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var r in OrderedWork.Map(Enumerable.Range(0, 10), i =>
            {
                if (i == 5)
                {
                    laterFailed.Set();
                    throw new InvalidOperationException("item 5");
                }
                if (i == 2)
                {
                    // Fails only after item 5 has already failed on another thread.
                    laterFailed.Wait(TimeSpan.FromSeconds(10), Test);
                    throw new InvalidOperationException("item 2");
                }
                return i;
            }, workers: 2, ahead: 8, Test))
            {
                seen.Add(r);
            }
        });
        Assert.Equal("item 2", e.Message);
        Assert.Equal([0, 1], seen);
    }

    [Fact]
    public void A_failure_of_the_sequence_itself_comes_after_the_results_of_the_items_before_it()
    {
        static IEnumerable<int> Broken()
        {
            yield return 1;
            yield return 2;
            throw new FormatException("entry 3 is damaged");
        }
        var seen = new List<int>();
        var e = Assert.Throws<FormatException>(() =>
        {
            foreach (var r in OrderedWork.Map(Broken(), i => { Thread.Sleep(20); return i; }, workers: 2, ahead: 8, Test)) seen.Add(r);
        });
        Assert.Equal("entry 3 is damaged", e.Message);
        Assert.Equal([1, 2], seen);
    }

    [Fact]
    public void No_more_than_ahead_items_are_started_before_their_results_are_taken()
    {
        var started = 0;
        var taken = 0;
        var most = 0;
        foreach (var _ in OrderedWork.Map(Enumerable.Range(0, 300), i =>
        {
            var inFlight = Interlocked.Increment(ref started) - Volatile.Read(ref taken);
            InterlockedMax(ref most, inFlight);
            return i;
        }, workers: 3, ahead: 5, Test))
        {
            Interlocked.Increment(ref taken);
            Thread.SpinWait(1000);
        }
        Assert.Equal(300, started);
        Assert.InRange(most, 1, 5);
    }

    [Fact]
    public void The_sequence_is_enumerated_on_the_calling_thread_only()
    {
        var caller = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        IEnumerable<int> Items()
        {
            for (var i = 0; i < 100; i++)
            {
                threads.Add(Environment.CurrentManagedThreadId);
                yield return i;
            }
        }
        var workThreads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        var results = OrderedWork.Map(Items(), i => { workThreads[Environment.CurrentManagedThreadId] = true; return i; }, workers: 2, ahead: 4, Test).ToList();
        Assert.Equal(100, results.Count);
        Assert.Equal([caller], threads);
        Assert.DoesNotContain(caller, workThreads.Keys);
    }

    [Fact]
    public void Stopping_early_lets_the_running_items_finish_and_starts_no_more()
    {
        var ran = 0;
        foreach (var r in OrderedWork.Map(Enumerable.Range(0, 1000), i => { Interlocked.Increment(ref ran); Thread.Sleep(1); return i; }, workers: 2, ahead: 4, Test))
        {
            if (r == 3) break;
        }
        var afterStop = Volatile.Read(ref ran);
        Thread.Sleep(100);
        Assert.Equal(afterStop, Volatile.Read(ref ran));
        Assert.InRange(afterStop, 4, 8);
    }

    [Fact]
    public void One_worker_runs_everything_on_the_calling_thread()
    {
        var caller = Environment.CurrentManagedThreadId;
        var results = OrderedWork.Map(Enumerable.Range(0, 5), i => Environment.CurrentManagedThreadId == caller ? i : -1, workers: 1, ahead: 4, Test).ToList();
        Assert.Equal([0, 1, 2, 3, 4], results);
    }

    [Fact]
    public void A_cancelled_token_stops_the_results()
    {
        using var stop = new CancellationTokenSource();
        var seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in OrderedWork.Map(Enumerable.Range(0, 1000), i => i, workers: 2, ahead: 4, stop.Token))
            {
                if (++seen == 10) stop.Cancel();
            }
        });
        Assert.Equal(10, seen);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
