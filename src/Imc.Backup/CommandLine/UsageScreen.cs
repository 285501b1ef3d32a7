using System.Text;

namespace Imc.Backup.CommandLine;

/// <summary>
/// A -help screen in the spirit of the original Imcsave's: the synopsis line, a short description, one line per
/// option, optional extra sections (items, examples), and the exit-code table.
/// </summary>
public static class UsageScreen
{
    public static string Render(string synopsis, string description, IEnumerable<OptionSpec> options, params (string Title, string Body)[] sections)
    {
        var nl = Environment.NewLine;
        var sb = new StringBuilder();
        sb.Append("Usage: ").Append(synopsis).Append(nl).Append(nl);
        foreach (var line in description.ReplaceLineEndings(nl).Split(nl)) sb.Append("  ").Append(line).Append(nl);
        var list = options.ToList();
        if (!list.Exists(o => o.Name == OptionSpec.Help.Name)) list.Add(OptionSpec.Help);
        sb.Append(nl).Append("Options (any case; unambiguous prefixes accepted, e.g. ").Append(Abbreviation(list[0])).Append("):").Append(nl);
        var width = list.Max(o => o.Synopsis.Length);
        foreach (var o in list) sb.Append("  ").Append(o.Synopsis.PadRight(width)).Append("  ").Append(o.Description).Append(nl);
        foreach (var (title, body) in sections)
        {
            sb.Append(nl).Append(title).Append(':').Append(nl);
            foreach (var line in body.ReplaceLineEndings(nl).Split(nl)) sb.Append("  ").Append(line).Append(nl);
        }
        sb.Append(nl).Append(ExitCodes.HelpTable);
        return sb.ToString();
    }

    private static string Abbreviation(OptionSpec o) => "-" + o.Name[..Math.Min(o.Name.Length, Math.Max(o.MinLength, 1))];
}
