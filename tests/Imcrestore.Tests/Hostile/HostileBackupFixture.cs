using Imc.Backup.PackingList;
using Imc.Server.Setup;
using Imc.Testing;

namespace Imcrestore.Tests.Hostile;

/// <summary>
/// For the hostile corpus: one small sample server saved once by the real imcsave (messages in MTS-OUT, some with
/// attachments), and one target server created once; each case works on copies of both.
/// </summary>
public sealed class HostileBackupFixture : IDisposable
{
    private readonly TempDirectory _temp = new("imc-hostile");

    public HostileBackupFixture()
    {
        var source = _temp.Combine("A");
        using (var server = ServerSetup.Create(source, new InstallOptions()))
        {
            ServerSetup.AddSamples(server, 3, seed: 5, queue: "MTS-OUT", attachmentSize: 1500);
            ServerSetup.AddSamples(server, 6, seed: 6);
        }
        var output = _temp.Combine("outA");
        System.IO.Directory.CreateDirectory(output);
        var r = ToolRunner.Run("imcsave", ["-server", source, "-output", output, "-quiet"]);
        if (r.ExitCode != 0) throw new InvalidOperationException("imcsave failed: " + r);
        Backup = Path.Combine(output, "Backup");
        List = PackingListReader.ReadFile(Path.Combine(Backup, "Imcfls"));

        Target = _temp.Combine("B");
        using (ServerSetup.Create(Target, new InstallOptions { ServerName = "EXCH2", Organization = "ORG2", Site = "SITE2" })) { }
    }

    /// <summary>The pristine Backup folder (never changed).</summary>
    public string Backup { get; }

    /// <summary>Its packing list as read.</summary>
    public Imcfls List { get; }

    /// <summary>The pristine target server folder (closed; copied per case).</summary>
    public string Target { get; }

    public void Dispose() => _temp.Dispose();

    /// <summary>Copies a folder tree byte for byte (regular files and folders only).</summary>
    public static void CopyTree(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var dir in System.IO.Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            System.IO.Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in System.IO.Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
