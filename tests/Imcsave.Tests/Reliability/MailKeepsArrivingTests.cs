using System.Diagnostics;
using Imc.Formats.Mapi;
using Imc.Server;
using Imc.Server.Gateway;
using Imc.Server.Setup;
using Imc.Testing;
using Imc.Testing.Reliability;

namespace Imcsave.Tests.Reliability;

/// <summary>
/// While <c>imcsave -delete -yes</c> runs, a second connection (another thread of the test, its own
/// <see cref="ExchangeServer"/>) keeps submitting Internet mail through the MTA and dropping mail straight into MTS-IN.
/// Afterwards every message — there before or submitted during the run — is exactly once in the backup, the queues or
/// the MTA's held mail; nothing submitted after routing was turned off reached MTS-OUT; -delete removed only saved
/// messages.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class MailKeepsArrivingTests(ITestOutputHelper output)
{
    private sealed record Arrival(int Index, string Key, bool ViaMta, RouteDestination? Route);

    [Fact]
    public void Mail_arriving_during_imcsave_delete_is_accounted_for_exactly_once_and_never_routed_after_routing_is_off()
    {
        var seed = SampleServer.Seed(31337);
        using var scratch = new ScratchDirectory("imc-arriving");
        var serverPath = scratch.Combine("server");
        var before = SampleServer.Create(serverPath, 600, seed, attachmentSize: 2000).ByKey("base");
        var outDir = scratch.Combine("out");
        System.IO.Directory.CreateDirectory(outDir);
        string gatewayDn;
        using (var s = ExchangeServer.Open(serverPath)) gatewayDn = ImcIdentity.Read(s.Registry).GatewayDn;

        var arrivals = new List<Arrival>();
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        var sender = new Thread(() =>
        {
            try
            {
                using var server = ExchangeServer.Open(serverPath); // a real second connection
                var mtsIn = server.Store.FindMailbox(gatewayDn)!.OpenFolder("MTS-IN")!;
                var generator = new SampleGenerator(seed + 1);
                var i = 0;
                foreach (var (_, message) in generator.Generate(5000))
                {
                    if (stop.IsCancellationRequested) break;
                    var key = new byte[16];
                    BitConverter.TryWriteBytes(key, 0x52454C49_00000000L + i); // "RELI" + index: never a sample's key
                    key[15] = 0xA5;
                    message.Properties.Set(PropTags.SearchKey, key);
                    var hex = Convert.ToHexString(key);
                    if (i % 2 == 0)
                        lock (arrivals) arrivals.Add(new Arrival(i, hex, true, server.Store.Mta.SubmitToInternet(gatewayDn, message).Destination));
                    else
                    {
                        mtsIn.AddMessage(message);
                        lock (arrivals) arrivals.Add(new Arrival(i, hex, false, null));
                    }
                    i++;
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = "mail sender" };

        ToolResult result;
        sender.Start();
        using (var p = ToolProcess.Start("imcsave", ["-server", serverPath, "-output", outDir, "-delete", "-yes", "-quiet"]))
        {
            result = p.WaitForExit(TimeSpan.FromMinutes(2));
        }
        int duringRun;
        lock (arrivals) duringRun = arrivals.Count;
        // A little more mail after imcsave ended: routing stays off, so all of it must be held.
        var until = Stopwatch.StartNew();
        while (until.Elapsed < TimeSpan.FromMilliseconds(500) && failure is null) Thread.Sleep(20);
        stop.Cancel();
        Assert.True(sender.Join(TimeSpan.FromSeconds(60)), "the mail sender did not stop");
        Assert.Null(failure);
        Assert.True(result.ExitCode == 0, $"seed {seed}: imcsave with mail arriving: {result}");

        var backup = BackupInspector.ReadComplete(Path.Combine(outDir, "Backup"), $"seed {seed}")!;
        var after = QueueSnapshot.Take(serverPath);
        var queues = after.ByKey($"seed {seed}, after the run");
        var held = after.Held.GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.Count());
        Assert.False(after.TransferEnabled, "routing to the IMC must stay off after imcsave");

        var routed = arrivals.Where(a => a.Route == RouteDestination.MtsOut).ToList();
        var heldSubmissions = arrivals.Where(a => a.Route == RouteDestination.Held).ToList();
        output.WriteLine($"seed {seed}: {arrivals.Count} messages arrived ({duringRun} while imcsave ran): {routed.Count} routed to MTS-OUT, "
            + $"{heldSubmissions.Count} held, {arrivals.Count(a => !a.ViaMta)} straight into MTS-IN; backup {backup.Count}, queues {after.Describe()}");
        Assert.True(duringRun > 0, "no mail arrived while imcsave ran; the test proves nothing");
        Assert.NotEmpty(heldSubmissions);

        // Routing goes off once and stays off: no submission after the first held one was routed.
        var firstHeld = heldSubmissions.Min(a => a.Index);
        Assert.All(routed, a => Assert.True(a.Index < firstHeld, $"seed {seed}: submission {a.Index} was routed to MTS-OUT after submission {firstHeld} was held"));

        // Exactly once across the backup, the queues and the held mail.
        var everything = before.Keys.Concat(arrivals.Select(a => a.Key)).ToList();
        Assert.Equal(everything.Count, everything.Distinct().Count());
        foreach (var key in everything)
        {
            var where = new List<string>();
            if (backup.TryGetValue(key, out var b)) where.Add("backup " + b.Queue);
            if (queues.TryGetValue(key, out var q)) where.Add("queue " + q.Queue);
            for (var n = held.GetValueOrDefault(key); n > 0; n--) where.Add("held");
            Assert.True(where.Count == 1, $"seed {seed}: message {key} is in [{string.Join(", ", where)}]; exactly once expected");
        }
        var known = everything.ToHashSet();
        Assert.All(queues.Keys.Concat(held.Keys).Concat(backup.Keys), k => Assert.Contains(k, known));

        // Where each arrival must be: routed ones before routing went off are in the MTS-OUT snapshot (saved, then
        // deleted); held ones are held (not in MTS-OUT); MTS-IN drops are in MTS-IN or in the backup's MTS-IN.
        foreach (var a in routed)
            Assert.True(backup.TryGetValue(a.Key, out var b) && b.Queue == "MTS-OUT", $"seed {seed}: submission {a.Index}, routed to MTS-OUT before routing went off, is not in the backup's MTS-OUT");
        foreach (var a in heldSubmissions)
            Assert.True(held.ContainsKey(a.Key), $"seed {seed}: submission {a.Index} was held but is not in the MTA's held mail");
        foreach (var a in arrivals.Where(a => !a.ViaMta))
            Assert.True((queues.TryGetValue(a.Key, out var q) && q.Queue == "MTS-IN") || (backup.TryGetValue(a.Key, out var b) && b.Queue == "MTS-IN"),
                $"seed {seed}: MTS-IN drop {a.Index} is neither in MTS-IN nor in the backup's MTS-IN");
        Assert.DoesNotContain(after.Messages, m => m.Queue == "MTS-OUT");

        // -delete removed only saved messages: whatever is gone from the queues is in the backup (checked above as
        // "exactly once"), and every message of the backup is gone from the queues.
        Assert.All(backup.Keys, k => Assert.False(queues.ContainsKey(k), $"seed {seed}: saved message {k} was not deleted"));
    }
}
