using Imc.Backup.CommandLine;
using Imc.Server;
using Imc.Server.Gateway;
using Imc.Server.Setup;

namespace Imcadmin.Commands;

/// <summary>imcadmin setup: a new server with the IMC installed; never over an existing one.</summary>
internal static class SetupCommand
{
    private static readonly OptionSpec[] Options =
    [
        Common.Server,
        OptionSpec.Single("name", 1, "EXCH1", "The server's name (default EXCH1)."),
        OptionSpec.Single("org", 1, "ORG", "The organization (default ORG)."),
        OptionSpec.Single("site", 2, "SITE", "The site (default SITE)."),
        OptionSpec.Single("sample", 2, "N", "Add N sample messages to the queues right away."),
        OptionSpec.Single("seed", 3, "S", "The seed of the sample messages (default 1)."),
        OptionSpec.Flag("ifmissing", 2, "Do nothing (exit 0) when the folder already holds a server."),
    ];

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var p = Common.Parse("setup", Options, args);
        if (p.HelpRequested)
        {
            stdout.Write(UsageScreen.Render("imcadmin setup [-server PATH] [-name EXCH1] [-org ORG] [-site SITE] [-sample N] [-seed S] [-ifmissing]",
                "Creates a server folder with the Internet Mail Connector installed: registry, directory object, gateway\n" +
                "mailbox with MTS-IN, MTS-OUT, Bad, ContentConversionFailed and Work, routing on. An existing server is\n" +
                "never overwritten (exit code 3).", Options));
            return ExitCodes.Ok;
        }
        var sample = p.Value("sample") is { } s ? Common.ParseCount(s, "-sample") : 0;
        var seed = p.Value("seed") is { } sd ? Common.ParseCount(sd, "-seed") : 1;
        var options = new InstallOptions
        {
            ServerName = p.Value("name") ?? "EXCH1",
            Organization = p.Value("org") ?? "ORG",
            Site = p.Value("site") ?? "SITE",
        };
        var path = ServerLocator.Resolve(p.Value("server"));
        if (p.Has("ifmissing") && new ServerLayout(path).Exists)
        {
            // For scripts (and the README) that want "a server there", not "a new server": leave it untouched.
            stdout.WriteLine($"A server already exists at {Path.GetFullPath(path)}; nothing changed (-ifmissing).");
            return ExitCodes.Ok;
        }
        using var server = ServerSetup.Create(path, options);
        var identity = ImcIdentity.Read(server.Registry);
        stdout.WriteLine($"Created server {options.ServerName} at {server.Layout.Root}");
        stdout.WriteLine($"  organization {options.Organization}, site {options.Site}");
        stdout.WriteLine($"  gateway {identity.GatewayDn}");
        stdout.WriteLine($"  queues {string.Join(", ", ServerSetup.QueueFolders)}; routing on");
        if (sample > 0) SampleCommand.Add(server, sample, seed, null, null, stdout, stderr);
        return ExitCodes.Ok;
    }
}
