using Imc.Backup.Threading;

namespace Imc.Backup.Tests.Threading;

public sealed class BoundedQueueTests
{
    private static CancellationToken Test => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Items_pass_in_order_between_threads()
    {
        var queue = new BoundedQueue<int>(4);
        var taken = new List<int>();
        var consumer = Task.Run(() =>
        {
            while (queue.TryTake(out var i, Test)) taken.Add(i);
        }, Test);
        for (var i = 0; i < 10_000; i++) queue.Add(i, Test);
        queue.CompleteAdding();
        await consumer.WaitAsync(TimeSpan.FromSeconds(30), Test);
        Assert.Equal(Enumerable.Range(0, 10_000), taken);
    }

    [Fact]
    public async Task Add_blocks_while_the_queue_is_full_until_an_item_is_taken()
    {
        var queue = new BoundedQueue<int>(2);
        queue.Add(1, Test);
        queue.Add(2, Test);
        var third = Task.Run(() => queue.Add(3, Test), Test);
        await Task.Delay(200, Test);
        Assert.False(third.IsCompleted, "a third item was added to a full queue of two");
        Assert.True(queue.TryTake(out var first, Test));
        Assert.Equal(1, first);
        await third.WaitAsync(TimeSpan.FromSeconds(10), Test);
    }

    [Fact]
    public void After_CompleteAdding_takers_drain_what_is_left_then_get_false_and_adding_throws()
    {
        var queue = new BoundedQueue<string>(3);
        queue.Add("a", Test);
        queue.CompleteAdding();
        Assert.True(queue.TryTake(out var a, Test));
        Assert.Equal("a", a);
        Assert.False(queue.TryTake(out _, Test));
        var e = Assert.Throws<InvalidOperationException>(() => queue.Add("b", Test));
        Assert.Equal("The queue was completed; nothing more can be added.", e.Message);
    }

    [Fact]
    public async Task A_cancelled_token_wakes_a_waiting_taker_and_a_waiting_adder()
    {
        var queue = new BoundedQueue<int>(1);
        using var stopTaker = new CancellationTokenSource();
        var taker = Task.Run(() => queue.TryTake(out _, stopTaker.Token), Test);
        await Task.Delay(100, Test);
        Assert.False(taker.IsCompleted);
        await stopTaker.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => taker.WaitAsync(TimeSpan.FromSeconds(10), Test));

        queue.Add(0, Test);
        using var stopAdder = new CancellationTokenSource();
        var adder = Task.Run(() => queue.Add(1, stopAdder.Token), Test);
        await Task.Delay(100, Test);
        Assert.False(adder.IsCompleted);
        await stopAdder.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => adder.WaitAsync(TimeSpan.FromSeconds(10), Test));
    }
}
