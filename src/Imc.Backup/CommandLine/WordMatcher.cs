namespace Imc.Backup.CommandLine;

/// <summary>A word the user may abbreviate: <see cref="Name"/> or any prefix of it at least <see cref="MinLength"/> long.</summary>
public sealed record AbbreviatedWord(string Name, int MinLength)
{
    /// <summary>The original's notation: the required part, then the optional rest in brackets (<c>Reg[istry]</c>).</summary>
    public string Display => MinLength >= Name.Length ? Name : $"{Name[..MinLength]}[{Name[MinLength..]}]";
}

/// <summary>How a typed word matched a list of <see cref="AbbreviatedWord"/>s.</summary>
public enum MatchKind
{
    /// <summary>Exactly one word: <see cref="WordMatch.Match"/>.</summary>
    Found,
    /// <summary>No word starts with it.</summary>
    Unknown,
    /// <summary>Several words start with it: <see cref="WordMatch.Candidates"/>.</summary>
    Ambiguous,
    /// <summary>Only one word starts with it, but it is shorter than that word's minimum.</summary>
    TooShort,
}

/// <summary>The result of <see cref="WordMatcher.Match"/>.</summary>
public sealed record WordMatch(MatchKind Kind, AbbreviatedWord? Match, IReadOnlyList<AbbreviatedWord> Candidates);

/// <summary>
/// Case-insensitive prefix matching, the legacy convention of the original Imcsave: a word matches when it is a
/// prefix of a name and at least that name's minimum long; a full name always wins over a longer name it prefixes.
/// </summary>
public static class WordMatcher
{
    public static WordMatch Match(string word, IReadOnlyList<AbbreviatedWord> words)
    {
        if (word.Length == 0) return new(MatchKind.Unknown, null, []);
        var prefixOf = words.Where(w => w.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase)).ToList();
        var exact = prefixOf.Find(w => w.Name.Length == word.Length);
        if (exact is not null) return new(MatchKind.Found, exact, [exact]);
        var longEnough = prefixOf.Where(w => word.Length >= w.MinLength).ToList();
        return longEnough.Count switch
        {
            1 => new(MatchKind.Found, longEnough[0], longEnough),
            > 1 => new(MatchKind.Ambiguous, null, longEnough),
            _ => prefixOf.Count switch
            {
                0 => new(MatchKind.Unknown, null, []),
                1 => new(MatchKind.TooShort, null, prefixOf),
                _ => new(MatchKind.Ambiguous, null, prefixOf),
            },
        };
    }

    /// <summary>"a or b", "a, b or c".</summary>
    internal static string JoinOr(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " or " + list[^1];
    }
}
