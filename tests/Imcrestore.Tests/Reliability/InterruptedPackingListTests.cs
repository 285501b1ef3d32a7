using Imc.Testing;
using Imc.Testing.Reliability;

namespace Imcrestore.Tests.Reliability;

/// <summary>
/// imcsave -delete writes Imcfls, deletes, then rewrites Imcfls (through Imcfls.tmp and a rename) with the deletion
/// counts. A kill inside that rewrite leaves the first, valid Imcfls plus a partial Imcfls.tmp — and the deleted
/// messages exist only in this backup, so imcrestore must still accept it (the leftover is never trusted).
/// The random kill test rarely hits this window; this test builds the state exactly.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class InterruptedPackingListTests
{
    [Fact]
    public void A_backup_with_a_leftover_Imcfls_tmp_from_a_killed_rewrite_still_restores()
    {
        using var scratch = new ScratchDirectory("imc-imcfls-tmp");
        var source = scratch.Combine("source");
        SampleServer.Create(source, 50, seed: 12);
        var saved = scratch.Combine("saved");
        System.IO.Directory.CreateDirectory(saved);
        using (var p = ToolProcess.Start("imcsave", ["-server", source, "-output", saved, "-delete", "-yes", "-quiet"]))
            Assert.Equal(0, p.WaitForExit(TimeSpan.FromMinutes(2)).ExitCode);
        var backup = Path.Combine(saved, "Backup");
        var imcfls = File.ReadAllBytes(Path.Combine(backup, "Imcfls"));
        File.WriteAllBytes(Path.Combine(backup, "Imcfls.tmp"), imcfls[..(imcfls.Length / 2)]); // what the kill left
        var expected = BackupInspector.ReadComplete(backup, "backup with Imcfls.tmp")!;

        var target = scratch.Combine("target");
        SampleServer.Create(target, 0, 0);
        using (var p = ToolProcess.Start("imcrestore", [backup, "-server", target, "-yes", "-quiet"]))
        {
            var r = p.WaitForExit(TimeSpan.FromMinutes(2));
            Assert.True(r.ExitCode == 0, $"imcrestore of a backup with a leftover Imcfls.tmp: {r}");
        }
        BackupInspector.AssertTargetHoldsExactly(expected, target, "restore with Imcfls.tmp left over");
    }
}
