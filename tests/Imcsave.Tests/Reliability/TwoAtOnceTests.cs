using Imc.Server;
using Imc.Testing;
using Imc.Testing.Reliability;

namespace Imcsave.Tests.Reliability;

/// <summary>
/// Two <c>imcsave -delete -yes</c> on one server started together: one wins; the other fails cleanly (exit 4: the
/// gateway logon is held; or exit 3: Backup exists) and changes nothing — the winner's backup is complete and valid,
/// and the loser leaves no Backup of its own.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class TwoAtOnceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    [InlineData(false, 0)]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    public void Two_imcsave_runs_at_once_one_fails_cleanly_and_changes_nothing(bool sameOutput, int trial)
    {
        var context = $"{(sameOutput ? "same output" : "different outputs")}, trial {trial}";
        using var scratch = new ScratchDirectory("imc-two");
        var server = scratch.Combine("server");
        var before = SampleServer.Create(server, 400, seed: 500 + trial, attachmentSize: 2000).ByKey(context);
        var outs = new[] { scratch.Combine("out1"), sameOutput ? scratch.Combine("out1") : scratch.Combine("out2") };
        foreach (var o in outs) System.IO.Directory.CreateDirectory(o);

        var runs = outs.Select(o => ToolProcess.Start("imcsave", ["-server", server, "-output", o, "-delete", "-yes", "-quiet"])).ToArray();
        ToolResult[] results;
        try
        {
            results = [.. runs.Select(r => r.WaitForExit(TimeSpan.FromMinutes(2)))];
        }
        finally
        {
            foreach (var r in runs) r.Dispose();
        }
        output.WriteLine($"{context}: exit codes {results[0].ExitCode}, {results[1].ExitCode}");

        var winners = Enumerable.Range(0, 2).Where(i => results[i].ExitCode == 0).ToList();
        Assert.True(winners.Count == 1, $"{context}: exactly one run must succeed:\n{results[0]}\n{results[1]}");
        var winner = winners[0];
        var loser = results[1 - winner];
        Assert.True(loser.ExitCode == 4 || (sameOutput && loser.ExitCode == 3), $"{context}: the second run must fail with exit 4 (or 3 for the same output): {loser}");
        var lines = loser.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length is 1 or 2 && lines[0].StartsWith("imcsave: ", StringComparison.Ordinal), $"{context}: one error line (and a hint) expected: {loser}");
        Assert.DoesNotContain("   at ", loser.Stderr);
        Assert.Equal("", loser.Stdout);

        // The winner's backup is complete and holds every message; the winner deleted them, nothing else did.
        var backup = BackupInspector.ReadComplete(Path.Combine(outs[winner], "Backup"), context)!;
        Assert.Equal(before.Keys.Order(), backup.Keys.Order());
        Assert.Empty(QueueSnapshot.Take(server).Messages);
        // No Backup left by the loser: not in its output folder, not in the server's imcdata.
        if (!sameOutput) Assert.Empty(BackupInspector.Tree(outs[1 - winner]));
        Assert.Equal([Path.Combine(outs[winner], "Backup")], outs.Distinct().Select(o => Path.Combine(o, "Backup")).Where(System.IO.Directory.Exists));
        Assert.False(System.IO.Directory.Exists(Path.Combine(new ServerLayout(server).ImcData, "Backup")), $"{context}: a Backup appeared in imcdata");
    }
}
