using System.Diagnostics;
using Imc.Testing;
using Imc.Testing.Reliability;

namespace Imcrestore.Tests.Reliability;

/// <summary>
/// imcrestore killed (SIGKILL) at seeded random moments over a measured run, then run again: the target must end
/// with exactly the backup's messages, each in its queue, none twice. After each kill, whatever is there must already
/// be a subset of the backup without duplicates.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class KillDuringRestoreTests(ITestOutputHelper output)
{
    private const int SampleSeed = 815;
    private static readonly int Messages = SampleServer.Messages(600);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void Killing_imcrestore_at_any_moment_then_running_it_again_restores_exactly_the_backup()
    {
        var seed = SampleServer.Seed(20261126);
        var trials = SampleServer.Trials(30);
        using var scratch = new ScratchDirectory("imc-kill-restore");
        var source = scratch.Combine("source");
        SampleServer.Create(source, Messages, SampleSeed, attachmentSize: 2000);
        var backupParent = scratch.Combine("saved");
        System.IO.Directory.CreateDirectory(backupParent);
        using (var save = ToolProcess.Start("imcsave", ["-server", source, "-output", backupParent, "-quiet"]))
        {
            var r = save.WaitForExit(RunTimeout);
            Assert.True(r.ExitCode == 0, $"imcsave of the source: {r}");
        }
        var backupDir = Path.Combine(backupParent, "Backup");
        var expected = BackupInspector.ReadComplete(backupDir, "source backup")!;
        Assert.Equal(Messages, expected.Count);
        var template = scratch.Combine("empty");
        SampleServer.Create(template, 0, 0);

        var duration = TimeSpan.MaxValue;
        for (var warm = 0; warm < 2; warm++)
        {
            var target = Prepare(scratch, template, "measure");
            var clock = Stopwatch.StartNew();
            var full = RunToEnd(target, backupDir);
            duration = clock.Elapsed < duration ? clock.Elapsed : duration;
            Assert.True(full.ExitCode == 0, $"uninterrupted imcrestore: {full}");
            BackupInspector.AssertTargetHoldsExactly(expected, target, "uninterrupted run");
            ScratchDirectory.Remove(scratch.Combine("measure"));
        }
        output.WriteLine($"seed {seed}: {Messages} messages, uninterrupted imcrestore takes {duration.TotalSeconds:F2} s; {trials} trials");

        var rng = new Random(seed);
        var outcomes = new Dictionary<string, int>();
        for (var trial = 0; trial < trials; trial++)
        {
            var delay = SampleServer.KillDelay(rng, trial, trials, duration);
            var context = $"seed {seed}, trial {trial}, kill after {delay.TotalMilliseconds:F0} ms";
            var target = Prepare(scratch, template, $"t{trial}");
            var finished = false;
            using (var p = ToolProcess.Start("imcrestore", Args(target, backupDir)))
            {
                if (p.WaitUntil(p.StartedAt + (long)(delay.TotalSeconds * Stopwatch.Frequency)))
                {
                    var r = p.WaitForExit(RunTimeout);
                    Assert.True(r.ExitCode == 0, $"{context}: imcrestore finished before the kill but failed: {r}");
                    finished = true;
                    // A whole run took this long: kill the next trials within it, not after the end.
                    var took = Stopwatch.GetElapsedTime(p.StartedAt);
                    if (took < duration) duration = took;
                }
                else p.Kill();
            }

            // Whatever is in the target now is part of the backup, in its queue, once.
            var partial = QueueSnapshot.Take(target).ByKey(context);
            foreach (var (key, m) in partial)
            {
                Assert.True(expected.TryGetValue(key, out var want), $"{context}: the target has message {key} that the backup does not have.");
                Assert.True(want!.Queue == m.Queue, $"{context}: message {key} of {want.Queue} was restored into {m.Queue}.");
            }
            var outcome = finished ? "finished before the kill" : partial.Count == 0 ? "no message yet" : partial.Count == expected.Count ? "all messages" : "some messages";
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

            var rerun = RunToEnd(target, backupDir);
            Assert.True(rerun.ExitCode == 0, $"{context}: the re-run failed: {rerun}");
            BackupInspector.AssertTargetHoldsExactly(expected, target, context + ", after the re-run");
            ScratchDirectory.Remove(scratch.Combine($"t{trial}"));
            output.WriteLine($"trial {trial}: kill after {delay.TotalMilliseconds:F0} ms -> {outcome} ({partial.Count} restored before the kill)");
        }
        output.WriteLine(string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        Assert.Equal(trials, outcomes.Values.Sum());
    }

    private static string[] Args(string target, string backupDir) => [backupDir, "-server", target, "-yes", "-quiet"];

    private static ToolResult RunToEnd(string target, string backupDir)
    {
        using var p = ToolProcess.Start("imcrestore", Args(target, backupDir));
        return p.WaitForExit(RunTimeout);
    }

    private static string Prepare(ScratchDirectory scratch, string template, string name)
    {
        var target = scratch.Combine(name, "server");
        ScratchDirectory.CopyTree(template, target);
        return target;
    }
}
