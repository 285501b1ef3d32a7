using System.Security.Cryptography;
using Imc.Server;
using Imc.Server.Gateway;
using Imc.Server.Setup;
using Imc.Testing;

namespace Imcsave.Tests;

/// <summary>A temporary folder with a real sample server, and running the real imcsave against it.</summary>
internal sealed class ImcsaveFixture : IDisposable
{
    private readonly TempDirectory _temp = new("imcsave");

    public ImcsaveFixture(int samples = 0, int seed = 7)
    {
        ServerPath = _temp.Combine("server");
        Output = _temp.Combine("out");
        System.IO.Directory.CreateDirectory(Output);
        using var server = ServerSetup.Create(ServerPath, new InstallOptions());
        if (samples > 0) ServerSetup.AddSamples(server, samples, seed);
        GatewayDn = ImcIdentity.Read(server.Registry).GatewayDn;
    }

    public string ServerPath { get; }
    public string Output { get; }
    public string Backup => Path.Combine(Output, "Backup");
    public string GatewayDn { get; }

    public string Combine(params string[] parts) => _temp.Combine(parts);

    public ExchangeServer Open() => ExchangeServer.Open(ServerPath);

    /// <summary>Runs imcsave with -server and (unless <paramref name="output"/> is false) -output.</summary>
    public ToolResult Run(params string[] args) => Run(true, args);

    public ToolResult Run(bool output, params string[] args) =>
        ToolRunner.Run("imcsave", [.. args, "-server", ServerPath, .. output ? new[] { "-output", Output } : []]);

    public ToolResult Admin(params string[] args) => ToolRunner.Run("imcadmin", [.. args, "-server", ServerPath]);

    /// <summary>SHA-256 of each database file: "changes nothing" is checked byte for byte.</summary>
    public IReadOnlyList<string> DatabaseHashes()
    {
        var layout = new ServerLayout(ServerPath);
        return [.. new[] { layout.RegistryDb, layout.DirectoryDb, layout.PrivateStoreDb }.Select(p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))))];
    }

    public void Dispose() => _temp.Dispose();
}
