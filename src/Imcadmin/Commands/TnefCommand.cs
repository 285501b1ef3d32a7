using Imc.Backup.CommandLine;
using Imc.Formats.Mapi;
using Imc.Formats.Mime;
using Imc.Formats.Tnef;

namespace Imcadmin.Commands;

/// <summary>imcadmin tnef show FILE | tnef eml FILE [-o OUT.eml] [-loose]: look into TNEF files (winmail.dat, Imcsave's .tnef).</summary>
internal static class TnefCommand
{
    private static readonly OptionSpec[] ShowOptions = [OptionSpec.Flag("loose", 1, "Forgive recoverable damage (bad checksums, trailing bytes) and list it.")];

    private static readonly OptionSpec[] EmlOptions =
    [
        OptionSpec.Single("output", 1, "OUT.eml", "The file to write (default: FILE with the extension .eml); never overwritten."),
        OptionSpec.Flag("loose", 1, "Forgive recoverable damage (bad checksums, trailing bytes) and list it."),
    ];

    private const string Synopsis = "imcadmin tnef show FILE [-loose] | imcadmin tnef eml FILE [-o OUT.eml] [-loose]";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var sub = args.Count > 0 ? args[0] : null;
        if (sub is null || (CommandLineParser.LooksLikeOption(sub) && CommandLineParser.Parse(new CommandLineSpec("imcadmin tnef", []), [sub]).HelpRequested))
        {
            (sub is null ? stderr : stdout).Write(UsageScreen.Render(Synopsis,
                "show: lists a TNEF file's message properties, recipients and attachments.\n" +
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
        var p = CommandLineParser.Parse(new CommandLineSpec("imcadmin tnef show", ShowOptions, 1, 1, "FILE"), args);
        if (p.HelpRequested)
        {
            stdout.Write(UsageScreen.Render("imcadmin tnef show FILE [-loose]", "Lists a TNEF file's message properties, recipients and attachments.", ShowOptions));
            return ExitCodes.Ok;
        }
        var (message, options) = Read(p.Positionals[0], p.Has("loose"));
        foreach (var w in options.Warnings) stderr.WriteLine($"{Admin.Program}: warning: {w}");
        Dump(stdout, message, "");
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

    private static void Dump(TextWriter w, MapiMessage m, string indent)
    {
        w.WriteLine($"{indent}Message class: {m.MessageClass}  (code page {m.CodePage})");
        w.WriteLine($"{indent}Properties ({m.Properties.Count}):");
        foreach (var p in m.Properties) w.WriteLine($"{indent}  {Describe(p)}");
        w.WriteLine($"{indent}Recipients ({m.Recipients.Count}):");
        foreach (var r in m.Recipients) w.WriteLine($"{indent}  {r.Type}: {r.DisplayName} <{r.EmailAddress}>");
        w.WriteLine($"{indent}Attachments ({m.Attachments.Count}):");
        var n = 0;
        foreach (var a in m.Attachments)
        {
            n++;
            var what = a.EmbeddedMessage is not null ? "embedded message" : $"{a.Data?.Length ?? 0} bytes";
            w.WriteLine($"{indent}  #{n} {a.Method}: {a.FileName ?? a.Properties.GetString(PropTags.DisplayName) ?? "(no name)"} ({what})");
            foreach (var p in a.Properties) w.WriteLine($"{indent}      {Describe(p)}");
            if (a.EmbeddedMessage is { } e) Dump(w, e, indent + "      ");
        }
    }

    private static string Describe(MapiProperty p)
    {
        var name = p.Name?.ToString() ?? PropTags.NameOf(p.Tag) ?? $"0x{p.Tag.Id:X4}";
        var value = MapiValues.Format(p.Value).ReplaceLineEndings("\\n");
        if (value.Length > 200) value = value[..200] + "…";
        return $"{p.Tag} {name} = {value}";
    }
}
