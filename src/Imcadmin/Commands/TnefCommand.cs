using Imc.Backup.CommandLine;
using Imc.Formats.Mapi;
using Imc.Formats.Mime;
using Imc.Formats.Tnef;

namespace Imcadmin.Commands;

/// <summary>imcadmin tnef show FILE | tnef eml FILE [-o OUT.eml] [-loose]: look into TNEF files (winmail.dat, Imcsave's .tnef).</summary>
internal static class TnefCommand
{
    private static readonly OptionSpec[] EmlOptions =
    [
        OptionSpec.Single("output", 1, "OUT.eml", "The file to write (default: FILE with the extension .eml); never overwritten."),
        OptionSpec.Flag("loose", 1, "Forgive recoverable damage (bad checksums, trailing bytes) and list it."),
    ];

    private const string Synopsis = "imcadmin tnef show FILE | imcadmin tnef eml FILE [-o OUT.eml] [-loose]";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var sub = args.Count > 0 ? args[0] : null;
        if (sub is null || (CommandLineParser.LooksLikeOption(sub) && CommandLineParser.Parse(new CommandLineSpec("imcadmin tnef", []), [sub]).HelpRequested))
        {
            (sub is null ? stderr : stdout).Write(UsageScreen.Render(Synopsis,
                "show: dumps a TNEF file's attributes, properties, recipients and attachments.\n" +
                "eml:  converts a TNEF file to an Internet message (.eml) with its bodies and attachments.", EmlOptions));
            return sub is null ? ExitCodes.Usage : ExitCodes.Ok;
        }
        return sub.ToLowerInvariant() switch
        {
            "show" => Show(args.Skip(1).ToList(), stdout, stderr),
            "eml" => Eml(args.Skip(1).ToList(), stdout, stderr),
            _ => throw new UsageException($"unknown tnef command '{sub}'. Commands: show, eml."),
        };
    }

    private static int Show(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var p = CommandLineParser.Parse(new CommandLineSpec("imcadmin tnef show", [], 1, 1, "FILE"), args);
        if (p.HelpRequested)
        {
            stdout.Write(UsageScreen.Render("imcadmin tnef show FILE",
                "Dumps a TNEF file: every attribute with its offset and length, every property, recipient rows and\n" +
                "embedded messages; recoverable damage is listed as warnings at the end.", []));
            return ExitCodes.Ok;
        }
        var path = p.Positionals[0];
        if (!File.Exists(path)) throw new CommandException($"{path} does not exist.", ExitCodes.InvalidInput);
        TnefDump.DumpFile(path, stdout);
        return ExitCodes.Ok;
    }

    private static int Eml(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var p = CommandLineParser.Parse(new CommandLineSpec("imcadmin tnef eml", EmlOptions, 1, 1, "FILE"), args);
        if (p.HelpRequested)
        {
            stdout.Write(UsageScreen.Render("imcadmin tnef eml FILE [-o OUT.eml] [-loose]",
                "Converts a TNEF file to an Internet message. The output is never overwritten (exit code 3).", EmlOptions));
            return ExitCodes.Ok;
        }
        var input = p.Positionals[0];
        var output = p.Value("output") ?? Path.ChangeExtension(input, ".eml");
        if (File.Exists(output) || Directory.Exists(output))
            throw new CommandException($"{output} already exists; it is not overwritten.", ExitCodes.OutputExists, "Choose another file with -o OUT.eml.");
        var (message, options) = Read(input, p.Has("loose"));
        foreach (var w in options.Warnings) stderr.WriteLine($"{Admin.Program}: warning: {w}");
        var mime = MapiToMime.Convert(message);
        var done = false;
        try
        {
            using (var file = new FileStream(output, FileMode.CreateNew, FileAccess.Write))
                mime.WriteTo(file);
            done = true;
        }
        finally
        {
            if (!done && File.Exists(output)) File.Delete(output);
        }
        stdout.WriteLine($"Wrote {output} ({message.Attachments.Count} attachment{(message.Attachments.Count == 1 ? "" : "s")})");
        return ExitCodes.Ok;
    }

    private static (MapiMessage, TnefReadOptions) Read(string path, bool loose)
    {
        if (!File.Exists(path)) throw new CommandException($"{path} does not exist.", ExitCodes.InvalidInput);
        var options = new TnefReadOptions { Mode = loose ? TnefComplianceMode.Loose : TnefComplianceMode.Strict };
        try
        {
            return (TnefReader.ReadFile(path, options), options);
        }
        catch (TnefException ex) when (!loose)
        {
            throw new CommandException(ex.Message, ExitCodes.InvalidInput, "Try -loose to read past recoverable damage.");
        }
    }
}
