namespace Imc.Backup.CommandLine;

/// <summary>
/// The legacy command line of the original Imcsave, parsed by hand (DESIGN.md §5): options are single-dash words
/// matched case-insensitively, abbreviated down to each option's minimum; <c>--word</c> is an alias and
/// <c>-word=value</c> / <c>--word=value</c> give a value inline; <c>/word</c> is NOT an option but a path (only
/// <c>/?</c> asks for help); <c>--</c> ends the options; everything else is a positional argument.
/// </summary>
public static class CommandLineParser
{
    /// <summary>Parses <paramref name="args"/>; a <see cref="UsageException"/> with the exact problem otherwise.</summary>
    /// <remarks>When help is asked for, positional-argument counts and missing values are not checked.</remarks>
    public static ParsedCommandLine Parse(CommandLineSpec spec, IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var positionals = new List<string>();
        var words = spec.Options.Select(o => o.Word).ToList();
        UsageException? deferred = null;
        var optionsEnded = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || !LooksLikeOption(arg))
            {
                positionals.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }
            if (arg is "-?" or "/?")
            {
                values[OptionSpec.Help.Name] = [];
                continue;
            }

            var body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            string? inline = null;
            var eq = body.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inline = body[(eq + 1)..];
                body = body[..eq];
            }
            var typed = arg[..(arg.Length - (inline is null ? 0 : inline.Length + 1))];
            var option = Resolve(spec, typed, body, words);

            switch (option.Arity)
            {
                case OptionArity.Flag:
                    if (inline is not null) throw new UsageException($"option -{option.Name} does not take a value ('{arg}').");
                    values[option.Name] = [];
                    break;
                case OptionArity.Single:
                    if (values.ContainsKey(option.Name)) throw new UsageException($"option -{option.Name} is given more than once.");
                    if (inline is not null) values[option.Name] = [inline];
                    else if (i + 1 < args.Count && !LooksLikeOption(args[i + 1])) values[option.Name] = [args[++i]];
                    else deferred ??= MissingValue(option);
                    break;
                default:
                    if (!values.TryGetValue(option.Name, out var list)) values[option.Name] = list = [];
                    var before = list.Count;
                    if (inline is not null) list.Add(inline);
                    while (i + 1 < args.Count && !LooksLikeOption(args[i + 1])) list.Add(args[++i]);
                    if (list.Count == before) deferred ??= MissingValue(option);
                    break;
            }
        }

        var parsed = new ParsedCommandLine(values, positionals);
        if (parsed.HelpRequested) return parsed;
        if (deferred is not null) throw deferred;
        if (positionals.Count > spec.MaxPositionals)
        {
            var extra = positionals[spec.MaxPositionals];
            throw new UsageException(extra.StartsWith('/') && spec.MaxPositionals == 0
                ? $"unexpected argument '{extra}' (options start with '-', not '/'). Options: {spec.OptionList}."
                : $"unexpected argument '{extra}'.");
        }
        if (positionals.Count < spec.MinPositionals)
            throw new UsageException($"missing {spec.PositionalName}.", $"'{spec.Program} -help' shows the usage.");
        return parsed;
    }

    /// <summary>
    /// True for <c>-word</c>, <c>--word</c>, <c>--</c> and <c>-?</c>/<c>/?</c>; false for <c>-</c>, <c>-5</c>, paths.
    /// </summary>
    public static bool LooksLikeOption(string arg)
    {
        if (arg is "--" or "-?" or "/?") return true;
        if (arg.Length < 2 || arg[0] != '-') return false;
        var first = arg[1] == '-' ? (arg.Length > 2 ? arg[2] : '\0') : arg[1];
        return char.IsLetter(first);
    }

    private static OptionSpec Resolve(CommandLineSpec spec, string typed, string body, IReadOnlyList<AbbreviatedWord> words)
    {
        var match = WordMatcher.Match(body, words);
        return match.Kind switch
        {
            MatchKind.Found => spec.Options.First(o => o.Name == match.Match!.Name),
            MatchKind.Ambiguous => throw new UsageException(
                $"ambiguous option '{typed}' could be {WordMatcher.JoinOr(match.Candidates.Select(c => "-" + c.Name))}. Options: {spec.OptionList}."),
            MatchKind.TooShort => throw new UsageException(
                $"option '{typed}' is too short: write at least -{match.Candidates[0].Name[..match.Candidates[0].MinLength]} for -{match.Candidates[0].Name}."),
            _ => throw new UsageException($"unknown option '{typed}'. Options: {spec.OptionList}."),
        };
    }

    private static UsageException MissingValue(OptionSpec option) =>
        new(option.Arity == OptionArity.Multiple
            ? $"option -{option.Name} needs at least one {option.ValueName}."
            : $"option -{option.Name} needs a value ({option.ValueName}).");
}
