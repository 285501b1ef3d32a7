namespace Imc.Backup.CommandLine;

/// <summary>The options and arguments found on a command line, by the options' full names.</summary>
public sealed class ParsedCommandLine
{
    private readonly Dictionary<string, List<string>> _values;

    internal ParsedCommandLine(Dictionary<string, List<string>> values, IReadOnlyList<string> positionals)
    {
        _values = values;
        Positionals = positionals;
    }

    public IReadOnlyList<string> Positionals { get; }

    /// <summary>True when -help (or -h, -?, /?, --help) was given: show the usage screen and do nothing else.</summary>
    public bool HelpRequested => Has(OptionSpec.Help.Name);

    /// <summary>True when the option was given.</summary>
    public bool Has(string option) => _values.ContainsKey(option);

    /// <summary>The value of a single-valued option, or null when it was not given.</summary>
    public string? Value(string option) => _values.TryGetValue(option, out var v) && v.Count > 0 ? v[0] : null;

    /// <summary>Every value of a multi-valued option, in order; empty when it was not given.</summary>
    public IReadOnlyList<string> Values(string option) => _values.TryGetValue(option, out var v) ? v : [];
}
