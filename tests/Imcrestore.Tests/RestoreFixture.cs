using System.Diagnostics;
using System.Security.Cryptography;
using Imc.Server;
using Imc.Server.Setup;
using Imc.Testing;

namespace Imcrestore.Tests;

/// <summary>
/// One sample server A (every kind of generated message, in every queue) saved once by the real imcsave; the tests
/// copy its Backup folder when they change it, and restore onto servers of their own.
/// </summary>
public sealed class SavedServerFixture : IDisposable
{
    public const int Samples = 300;

    private readonly TempDirectory _temp = new("imcrestore-a");

    public SavedServerFixture()
    {
        ServerPath = _temp.Combine("A");
        using (var server = ServerSetup.Create(ServerPath, new InstallOptions()))
            Counts = ServerSetup.AddSamples(server, Samples, seed: 11);
        var output = _temp.Combine("outA");
        System.IO.Directory.CreateDirectory(output);
        var r = ToolRunner.Run("imcsave", ["-server", ServerPath, "-output", output, "-quiet"]);
        if (r.ExitCode != 0) throw new InvalidOperationException("imcsave on A failed: " + r);
        Backup = Path.Combine(output, "Backup");
    }

    public string ServerPath { get; }
    public string Backup { get; }
    public IReadOnlyDictionary<string, int> Counts { get; }

    public void Dispose() => _temp.Dispose();
}

/// <summary>A test's own folder: target servers, copies of backups, running the real tools.</summary>
internal sealed class RestoreScratch : IDisposable
{
    private readonly TempDirectory _temp = new("imcrestore");

    public string Combine(params string[] parts) => _temp.Combine(parts);

    /// <summary>A new server in a folder of its own.</summary>
    public string CreateServer(string name, InstallOptions options)
    {
        var path = _temp.Combine(name);
        using var _ = ServerSetup.Create(path, options);
        return path;
    }

    /// <summary>A writable copy of <paramref name="backup"/> (files keep their bytes; folders 0700, files 0600 as imcsave makes them).</summary>
    public string CopyBackup(string backup, string name = "copy")
    {
        var target = _temp.Combine(name, "Backup");
        System.IO.Directory.CreateDirectory(target);
        foreach (var dir in System.IO.Directory.GetDirectories(backup, "*", SearchOption.AllDirectories))
            System.IO.Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(backup, dir)));
        foreach (var file in System.IO.Directory.GetFiles(backup, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(backup, file)));
        return target;
    }

    /// <summary>Runs imcsave on <paramref name="server"/> into a new folder; returns the Backup folder.</summary>
    public string Save(string server, string name)
    {
        var output = _temp.Combine(name);
        System.IO.Directory.CreateDirectory(output);
        var r = ToolRunner.Run("imcsave", ["-server", server, "-output", output, "-quiet"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return Path.Combine(output, "Backup");
    }

    public static ToolResult Restore(string backup, string server, params string[] args) =>
        ToolRunner.Run("imcrestore", [backup, "-server", server, .. args]);

    /// <summary>SHA-256 of every database file of a server, -wal and -shm included, by name.</summary>
    public static IReadOnlyDictionary<string, string> DatabaseHashes(string server)
    {
        var layout = new ServerLayout(server);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var db in new[] { layout.RegistryDb, layout.DirectoryDb, layout.PrivateStoreDb })
            foreach (var path in new[] { db, db + "-wal", db + "-shm", db + "-journal" })
                if (File.Exists(path)) result[Path.GetRelativePath(layout.Root, path)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        return result;
    }

    /// <summary>Starts the real imcrestore without waiting (for the kill test).</summary>
    public static Process Start(string tool, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, tool + ".dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("IMC_SERVER");
        return Process.Start(psi)!;
    }

    public void Dispose() => _temp.Dispose();
}
