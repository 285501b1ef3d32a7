using Imc.Testing;
using Imc.Testing.Reliability;

namespace Imcsave.Tests.Reliability;

/// <summary>
/// Promise 3 for a full disk: imcsave writing to a 4 MiB tmpfs (mounted by the test; needs root) fails with exit 6 and
/// one line naming the file it could not write, deletes nothing even with -delete -yes, leaves the queues exactly as
/// they were and leaves no Imcfls; with space freed, a re-run after removing the incomplete Backup succeeds.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class FullDiskSaveTests
{
    [Fact]
    public void Imcsave_delete_on_a_full_disk_fails_with_exit_6_naming_the_file_and_deletes_nothing()
    {
        using var scratch = new ScratchDirectory("imc-full-save");
        var server = scratch.Combine("server");
        var before = SampleServer.Create(server, 200, seed: 99, attachmentSize: 40_000); // ~8 MB of TNEF: twice the disk
        using var disk = MountedTmpfs.Mount(scratch.Combine("disk"), 4L << 20);
        var backup = Path.Combine(disk.Path, "Backup");

        using (var p = ToolProcess.Start("imcsave", ["-server", server, "-output", disk.Path, "-delete", "-yes", "-quiet"]))
        {
            var r = p.WaitForExit(TimeSpan.FromMinutes(2));
            Assert.True(r.ExitCode == 6, $"imcsave on a full disk: {r}");
            var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length is 1 or 2, $"one error line (and a hint) expected: {r}");
            Assert.StartsWith($"imcsave: No space left on device while writing {backup}{Path.DirectorySeparatorChar}", lines[0]);
            Assert.DoesNotContain("   at ", r.Stderr);
            var named = lines[0][$"imcsave: No space left on device while writing ".Length..].TrimEnd('.', '\r');
            Assert.True(File.Exists(named) || named.EndsWith(".tmp", StringComparison.Ordinal), $"the error names {named}, which is not a file of the backup");
            Assert.Equal("", r.Stdout);
        }

        Assert.True(BackupInspector.IsIncomplete(backup), "the failed run must leave an incomplete Backup (no Imcfls)");
        var after = QueueSnapshot.Take(server);
        Assert.Equal(before.Messages, after.Messages); // same messages, same ids, same versions, same queues
        Assert.Empty(after.Held);

        // Free space, remove the incomplete Backup, run again: now it completes and deletes what it saved.
        disk.Resize(64L << 20);
        ScratchDirectory.Remove(backup);
        using (var p = ToolProcess.Start("imcsave", ["-server", server, "-output", disk.Path, "-delete", "-yes", "-quiet"]))
        {
            var r = p.WaitForExit(TimeSpan.FromMinutes(2));
            Assert.True(r.ExitCode == 0, $"imcsave after freeing space: {r}");
        }
        var saved = BackupInspector.ReadComplete(backup, "re-run after freeing space")!;
        Assert.Equal(before.Messages.Select(m => m.Key).Order(), saved.Keys.Order());
        Assert.Empty(QueueSnapshot.Take(server).Messages);
    }
}
