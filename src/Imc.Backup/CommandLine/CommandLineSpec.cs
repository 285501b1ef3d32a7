namespace Imc.Backup.CommandLine;

/// <summary>
/// What a program (or one command of it) accepts: its options and how many positional arguments. <see cref="OptionSpec.Help"/>
/// is always accepted, and listed last.
/// </summary>
public sealed class CommandLineSpec
{
    public CommandLineSpec(string program, IEnumerable<OptionSpec> options, int minPositionals = 0, int maxPositionals = 0, string? positionalName = null)
    {
        Program = program;
        var list = options.ToList();
        if (!list.Exists(o => o.Name == OptionSpec.Help.Name)) list.Add(OptionSpec.Help);
        Options = list;
        MinPositionals = minPositionals;
        MaxPositionals = maxPositionals;
        PositionalName = positionalName ?? "ARGUMENT";
    }

    /// <summary>The name errors start with: <c>imcsave</c>, or <c>imcadmin queues</c> for a command.</summary>
    public string Program { get; }
    public IReadOnlyList<OptionSpec> Options { get; }
    public int MinPositionals { get; }
    /// <summary>The most positional arguments accepted; <see cref="int.MaxValue"/> for "any number".</summary>
    public int MaxPositionals { get; }
    /// <summary>How errors name a positional argument (<c>FILE</c>, <c>QUEUE</c>).</summary>
    public string PositionalName { get; }

    /// <summary>"-output, -save, ..., -help" for error messages.</summary>
    public string OptionList => string.Join(", ", Options.Select(o => "-" + o.Name));
}
