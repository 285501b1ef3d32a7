using Imc.Testing;
using Imc.Testing.Reliability;

namespace Imcrestore.Tests.Reliability;

/// <summary>
/// imcrestore onto a server whose own disk is full (the target server lives on a 4 MiB tmpfs mounted by the test;
/// needs root) fails cleanly with exit 6 and one line; after the disk is made bigger, a re-run completes with exactly
/// the backup's messages, none twice.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class FullDiskRestoreTests
{
    [Fact]
    public void Imcrestore_onto_a_full_disk_fails_with_exit_6_and_a_rerun_after_freeing_space_restores_exactly_the_backup()
    {
        using var scratch = new ScratchDirectory("imc-full-restore");
        var source = scratch.Combine("source");
        SampleServer.Create(source, 200, seed: 98, attachmentSize: 40_000);
        var saved = scratch.Combine("saved");
        System.IO.Directory.CreateDirectory(saved);
        using (var p = ToolProcess.Start("imcsave", ["-server", source, "-output", saved, "-quiet"]))
            Assert.Equal(0, p.WaitForExit(TimeSpan.FromMinutes(2)).ExitCode);
        var backup = Path.Combine(saved, "Backup");
        var expected = BackupInspector.ReadComplete(backup, "source backup")!;

        using var disk = MountedTmpfs.Mount(scratch.Combine("disk"), 4L << 20);
        var target = Path.Combine(disk.Path, "server");
        SampleServer.Create(target, 0, 0);

        using (var p = ToolProcess.Start("imcrestore", [backup, "-server", target, "-yes", "-quiet"]))
        {
            var r = p.WaitForExit(TimeSpan.FromMinutes(2));
            Assert.True(r.ExitCode == 6, $"imcrestore onto a full disk: {r}");
            var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length is 1 or 2, $"one error line (and a hint) expected: {r}");
            Assert.StartsWith("imcrestore: No space left on device", lines[0]);
            Assert.Contains(target, lines[0]);
            Assert.DoesNotContain("   at ", r.Stderr);
        }
        // What is there is part of the backup, once.
        foreach (var (key, m) in QueueSnapshot.Take(target).ByKey("after the full disk"))
            Assert.True(expected.TryGetValue(key, out var want) && want.Queue == m.Queue, $"after the full disk: {key} in {m.Queue} is not a message of the backup's {m.Queue}");

        disk.Resize(64L << 20);
        using (var p = ToolProcess.Start("imcrestore", [backup, "-server", target, "-yes", "-quiet"]))
        {
            var r = p.WaitForExit(TimeSpan.FromMinutes(2));
            Assert.True(r.ExitCode == 0, $"imcrestore after freeing space: {r}");
        }
        BackupInspector.AssertTargetHoldsExactly(expected, target, "re-run after freeing space");
    }
}
