using Imc.Server;
using Imc.Testing;
using Imc.Testing.Reliability;

namespace Imcsave.Tests.Reliability;

/// <summary>
/// Promise 5: on Unix the Backup folder and every folder in it are 0700 and every file 0600 — also when imcsave runs
/// with a permissive umask (<c>sh -c 'umask 000; exec dotnet imcsave.dll …'</c>), with -output and in imcdata, and
/// after -delete rewrote Imcfls.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class PrivacyTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Backup_is_private_even_with_umask_000(bool withOutput, bool delete)
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes only.");
        using var scratch = new ScratchDirectory("imc-privacy");
        var server = scratch.Combine("server");
        SampleServer.Create(server, 40, seed: 3);
        var outDir = scratch.Combine("out");
        System.IO.Directory.CreateDirectory(outDir);
        string[] args = ["-server", server, "-quiet", .. withOutput ? new[] { "-output", outDir } : [], .. delete ? new[] { "-delete", "-yes" } : []];
        using (var p = ToolProcess.Start("imcsave", args, umask: "000"))
        {
            var r = p.WaitForExit(TimeSpan.FromMinutes(2));
            Assert.True(r.ExitCode == 0, r.ToString());
        }
        var backup = withOutput ? Path.Combine(outDir, "Backup") : Path.Combine(new ServerLayout(server).ImcData, "Backup");
        Assert.NotNull(BackupInspector.ReadComplete(backup, "privacy"));

        // The umask really was permissive: a file the same shell creates is world-writable.
        var probe = Path.Combine(scratch.Path, "probe");
        var sh = ToolRunner.RunCommand("/bin/sh", ["-c", $"umask 000 && touch '{probe}'"]);
        Assert.Equal(0, sh.ExitCode);
        Assert.Equal(UnixFileMode.OtherWrite, File.GetUnixFileMode(probe) & UnixFileMode.OtherWrite);

        const UnixFileMode dirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode fileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(dirMode, File.GetUnixFileMode(backup));
        var entries = BackupInspector.Tree(backup);
        Assert.Contains("Imcfls", entries);
        Assert.Contains(entries, e => e.EndsWith(".tnef", StringComparison.Ordinal));
        foreach (var rel in entries)
        {
            var full = Path.Combine(backup, rel);
            var want = System.IO.Directory.Exists(full) ? dirMode : fileMode;
            Assert.True(File.GetUnixFileMode(full) == want, $"{rel} is {Convert.ToString((int)File.GetUnixFileMode(full), 8)}; {Convert.ToString((int)want, 8)} expected");
        }
    }
}
