namespace Imc.Backup.CommandLine;

/// <summary>How many values follow an option.</summary>
public enum OptionArity
{
    /// <summary>No value: the option is a switch (<c>-delete</c>).</summary>
    Flag,
    /// <summary>Exactly one value (<c>-output SaveDir</c>); giving the option twice is an error.</summary>
    Single,
    /// <summary>One or more values, up to the next option (<c>-save Item [Item]...</c>); repeating the option adds more.</summary>
    Multiple,
}

/// <summary>
/// One option of a program: its full word (without the dash), the shortest prefix accepted, whether values follow,
/// and the text of its -help line.
/// </summary>
public sealed record OptionSpec(string Name, int MinLength, OptionArity Arity, string? ValueName, string Description)
{
    public static OptionSpec Flag(string name, int minLength, string description) => new(name, minLength, OptionArity.Flag, null, description);

    public static OptionSpec Single(string name, int minLength, string valueName, string description) => new(name, minLength, OptionArity.Single, valueName, description);

    public static OptionSpec Multiple(string name, int minLength, string valueName, string description) => new(name, minLength, OptionArity.Multiple, valueName, description);

    /// <summary>The -help option every program has; also reached with <c>-h</c>, <c>-?</c>, <c>/?</c> and <c>--help</c>.</summary>
    public static OptionSpec Help { get; } = Flag("help", 1, "Show this screen.");

    public AbbreviatedWord Word => new(Name, MinLength);

    /// <summary>The option as a usage line shows it: <c>-output SaveDir</c>, <c>-save Item [Item]...</c>.</summary>
    public string Synopsis => Arity switch
    {
        OptionArity.Flag => "-" + Name,
        OptionArity.Single => $"-{Name} {ValueName}",
        _ => $"-{Name} {ValueName} [{ValueName}]...",
    };
}
