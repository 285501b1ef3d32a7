using System.Diagnostics;
using Imc.Formats.Mapi;
using Imc.Server;
using Imc.Server.Gateway;
using Imc.Testing;
using Imc.Testing.Reliability;

namespace Imcsave.Tests.Reliability;

/// <summary>
/// Promise 1 (DESIGN.md §6): a kill at any moment leaves every message in its queue, in a complete backup, or both —
/// never neither. The real <c>imcsave -delete -yes</c> is SIGKILLed at seeded random moments spread over a measured
/// run, each trial on a fresh copy of one sample server; after each kill the queues and the backup are checked, then a
/// re-run (after removing an incomplete Backup) must succeed and leave every message saved.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class KillDuringSaveTests(ITestOutputHelper output)
{
    // 600 messages keep 30 trials (each: kill, check, re-run) within ~2 minutes on 2 cores;
    // IMC_RELIABILITY_MESSAGES and IMC_RELIABILITY_TRIALS make longer soak runs.
    private static readonly int Messages = SampleServer.Messages(600);
    private const int SampleSeed = 4711;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void Killing_imcsave_delete_at_any_moment_loses_no_message()
    {
        var seed = SampleServer.Seed(20261125);
        var trials = SampleServer.Trials(30);
        using var scratch = new ScratchDirectory("imc-kill-save");
        var basePath = scratch.Combine("base");
        var original = SampleServer.Create(basePath, Messages, SampleSeed, attachmentSize: 2000);
        var originals = original.ByKey("base server");
        using var baseServer = ExchangeServer.Open(basePath);
        var mailbox = baseServer.Store.FindMailbox(ImcIdentity.Read(baseServer.Registry).GatewayDn)!;

        // The uninterrupted run: that it saves and deletes everything, and how long it takes (the second of two runs:
        // the first one warms the caches and would stretch the kills past the end of a typical run).
        var duration = TimeSpan.MaxValue;
        for (var warm = 0; warm < 2; warm++)
        {
            var (measureServer, measureOut) = Prepare(scratch, basePath, "measure");
            var clock = Stopwatch.StartNew();
            var full = RunToEnd(measureServer, measureOut);
            duration = clock.Elapsed < duration ? clock.Elapsed : duration;
            Assert.True(full.ExitCode == 0, $"uninterrupted imcsave: {full}");
            var complete = BackupInspector.ReadComplete(Path.Combine(measureOut, "Backup"), "uninterrupted run")!;
            Assert.Equal(originals.Keys.Order(), complete.Keys.Order());
            Assert.Empty(QueueSnapshot.Take(measureServer).Messages);
            ScratchDirectory.Remove(scratch.Combine("measure"));
        }
        output.WriteLine($"seed {seed}: {Messages} messages, uninterrupted imcsave -delete -yes takes {duration.TotalSeconds:F2} s; {trials} trials");

        var rng = new Random(seed);
        var outcomes = new Dictionary<string, int>();
        for (var trial = 0; trial < trials; trial++)
        {
            var delay = SampleServer.KillDelay(rng, trial, trials, duration);
            var context = $"seed {seed}, trial {trial}, kill after {delay.TotalMilliseconds:F0} ms";
            var (server, outDir) = Prepare(scratch, basePath, $"t{trial}");
            var backupDir = Path.Combine(outDir, "Backup");

            var trialClock = Stopwatch.StartNew();
            var finished = false;
            using (var p = ToolProcess.Start("imcsave", Args(server, outDir)))
            {
                if (p.WaitUntil(p.StartedAt + (long)(delay.TotalSeconds * Stopwatch.Frequency)))
                {
                    var r = p.WaitForExit(RunTimeout);
                    Assert.True(r.ExitCode == 0, $"{context}: imcsave finished before the kill but failed: {r}");
                    finished = true;
                    // A whole run took this long: kill the next trials within it, not after the end.
                    var took = Stopwatch.GetElapsedTime(p.StartedAt);
                    if (took < duration) duration = took;
                }
                else p.Kill();
            }
            var killed = trialClock.Elapsed;

            // After the kill: every message is in its queue, in the complete backup, or both.
            var queues = QueueSnapshot.Take(server).ByKey(context);
            var backup = BackupInspector.ReadComplete(backupDir, context);
            var state = backup is null ? (System.IO.Directory.Exists(backupDir) ? "incomplete backup" : "no backup") : "complete backup";
            var deleted = 0;
            foreach (var (key, before) in originals)
            {
                var inQueue = queues.TryGetValue(key, out var now);
                BackedUpMessage? saved = null;
                var inBackup = backup?.TryGetValue(key, out saved) ?? false;
                Assert.True(inQueue || inBackup, $"{context} ({state}): message {key} ('{before.Subject}', {before.Queue}) is LOST: in neither its queue nor a complete backup.");
                if (inQueue)
                {
                    Assert.True(now!.Queue == before.Queue, $"{context}: message {key} moved from {before.Queue} to {now.Queue}.");
                    Assert.True(now.Version == before.Version, $"{context}: message {key} in {before.Queue} was changed.");
                }
                if (inBackup)
                {
                    Assert.True(saved!.Queue == before.Queue, $"{context}: message {key} of {before.Queue} is saved as a {saved.Queue} message.");
                    if (!inQueue)
                    {
                        // Only the backup holds it now: it must be the very message.
                        deleted++;
                        var diff = MapiMessageComparer.Diff(mailbox.OpenFolder(before.Queue)!.ReadMessage(before.Id), saved.Message);
                        Assert.True(diff.Count == 0, $"{context}: message {key} was deleted but its backup differs: {string.Join("; ", diff.Take(5))}");
                    }
                    else
                    {
                        var subject = saved.Message.Subject;
                        Assert.True(subject == before.Subject, $"{context}: message {key} is saved with subject '{subject}', not '{before.Subject}'.");
                    }
                }
            }
            Assert.True(queues.Keys.All(originals.ContainsKey), $"{context}: the queues hold a message that was not there before.");
            if (backup is not null) Assert.True(backup.Keys.All(originals.ContainsKey), $"{context}: the backup holds a message that was never queued.");
            var outcome = finished ? "finished before the kill"
                : backup is null ? state : deleted == 0 ? "complete, nothing deleted" : deleted == originals.Count ? "complete, all deleted" : "complete, partly deleted";
            var checkedAt = trialClock.Elapsed;
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

            // A re-run after removing an incomplete Backup succeeds, and then every message is in a complete backup.
            var rerunOut = outDir;
            if (BackupInspector.IsIncomplete(backupDir)) ScratchDirectory.Remove(backupDir);
            else if (backup is not null)
            {
                rerunOut = Path.Combine(Path.GetDirectoryName(outDir)!, "out2");
                System.IO.Directory.CreateDirectory(rerunOut);
            }
            var rerun = RunToEnd(server, rerunOut);
            Assert.True(rerun.ExitCode == 0, $"{context}: the re-run failed: {rerun}");
            var second = BackupInspector.ReadComplete(Path.Combine(rerunOut, "Backup"), context + ", re-run")!;
            Assert.NotNull(second);
            var left = QueueSnapshot.Take(server);
            Assert.True(left.Messages.Count == 0, $"{context}: after the re-run the queues still hold {left.Describe()}.");
            foreach (var key in originals.Keys)
                Assert.True(second.ContainsKey(key) || (backup?.ContainsKey(key) ?? false), $"{context}: after the re-run message {key} is in no complete backup.");

            ScratchDirectory.Remove(scratch.Combine($"t{trial}"));
            output.WriteLine($"trial {trial}: kill after {delay.TotalMilliseconds:F0} ms -> {outcome} ({deleted} only in the backup)"
                + $" [run {killed.TotalSeconds:F1} s, check {(checkedAt - killed).TotalSeconds:F1} s, re-run {(trialClock.Elapsed - checkedAt).TotalSeconds:F1} s]");
        }
        output.WriteLine(string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        Assert.Equal(trials, outcomes.Values.Sum());
    }

    private static string[] Args(string server, string outDir) => ["-server", server, "-output", outDir, "-delete", "-yes", "-quiet"];

    private static ToolResult RunToEnd(string server, string outDir)
    {
        using var p = ToolProcess.Start("imcsave", Args(server, outDir));
        return p.WaitForExit(RunTimeout);
    }

    private static (string Server, string Out) Prepare(ScratchDirectory scratch, string basePath, string name)
    {
        var server = scratch.Combine(name, "server");
        ScratchDirectory.CopyTree(basePath, server);
        var outDir = scratch.Combine(name, "out");
        System.IO.Directory.CreateDirectory(outDir);
        return (server, outDir);
    }
}
