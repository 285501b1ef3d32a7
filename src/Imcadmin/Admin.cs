using Imc.Backup.CommandLine;
using Imcadmin.Commands;

namespace Imcadmin;

/// <summary>imcadmin: creates and inspects servers. Parses the command word, then hands over to one command.</summary>
internal static class Admin
{
    public const string Program = "imcadmin";

    private static readonly (string Name, string Summary, Func<IReadOnlyList<string>, TextWriter, TextWriter, int> Run)[] Commands =
    [
        ("setup", "create a server with the Internet Mail Connector installed", SetupCommand.Run),
        ("sample", "add generated sample messages to the queues", SampleCommand.Run),
        ("submit", "submit .eml files through the MTA or straight into a queue", SubmitCommand.Run),
        ("queues", "count and size of each queue, held mail, routing state", QueuesCommand.Run),
        ("list", "the messages of one queue", ListCommand.Run),
        ("routing", "show, or turn on or off, routing to the IMC (PR_TRANSFER_ENABLED)", RoutingCommand.Run),
        ("tnef", "show a TNEF file, or turn it into an .eml file", TnefCommand.Run),
        ("verify", "check a Backup folder written by imcsave completely, without a server", VerifyCommand.Run),
    ];

    public static string Usage => UsageScreen.Render(
        "imcadmin COMMAND [options]   (imcadmin COMMAND -help for each command)",
        "Creates and inspects Imcsave servers: set-up, sample data, mail submission, queues, routing, TNEF tools.\n" +
        "Every command chooses its server with -server PATH, else IMC_SERVER, else the per-user default\n" +
        $"({Imc.Server.ServerLocator.DefaultPath}).",
        [],
        ("Commands", string.Join("\n", Commands.Select(c => $"{c.Name,-9} {c.Summary}"))));

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0)
        {
            stderr.Write(Usage);
            return ExitCodes.Usage;
        }
        var word = args[0];
        if (word is "-?" or "/?" or "--help" || (CommandLineParser.LooksLikeOption(word) && "help".StartsWith(word.TrimStart('-'), StringComparison.OrdinalIgnoreCase)))
        {
            stdout.Write(Usage);
            return ExitCodes.Ok;
        }
        if (word is "--version" or "-version")
        {
            stdout.WriteLine($"imcadmin {typeof(Admin).Assembly.GetName().Version?.ToString(3)}");
            return ExitCodes.Ok;
        }
        var command = Commands.FirstOrDefault(c => string.Equals(c.Name, word, StringComparison.OrdinalIgnoreCase));
        if (command.Run is null)
            throw new UsageException($"unknown command '{word}'. Commands: {string.Join(", ", Commands.Select(c => c.Name))}.");
        return command.Run(args.Skip(1).ToList(), stdout, stderr);
    }
}
