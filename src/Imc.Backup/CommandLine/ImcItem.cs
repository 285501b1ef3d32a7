namespace Imc.Backup.CommandLine;

/// <summary>
/// One of the seven things Imcsave saves (KB Q195804): the registry, the directory object and the five queues, with
/// the original's abbreviations (<c>Reg[istry]</c>, <c>MTSO[ut]</c>, …), the store folder of a queue and the Backup
/// subfolder its messages go to.
/// </summary>
public sealed record ImcItem
{
    private ImcItem(string name, int minLength, string? queueFolder, string? backupFolder)
    {
        Name = name;
        MinLength = minLength;
        QueueFolder = queueFolder;
        BackupFolder = backupFolder;
    }

    public static ImcItem Registry { get; } = new("Registry", 3, null, null);
    public static ImcItem Directory { get; } = new("Directory", 3, null, null);
    public static ImcItem MtsIn { get; } = new("MTSIn", 4, "MTS-IN", "Mtsin");
    public static ImcItem MtsOut { get; } = new("MTSOut", 4, "MTS-OUT", "Mtsout");
    public static ImcItem Bad { get; } = new("Bad", 3, "Bad", "Bad");
    public static ImcItem ContentConversionFailed { get; } = new("ContentConversionFailed", 3, "ContentConversionFailed", "ContentConversionFailed");
    public static ImcItem Work { get; } = new("Work", 4, "Work", "Work");

    /// <summary>All seven, in the original's order.</summary>
    public static IReadOnlyList<ImcItem> All { get; } = [Registry, Directory, MtsIn, MtsOut, Bad, ContentConversionFailed, Work];

    /// <summary>The five queues, in the order imcadmin lists them: MTS-IN, MTS-OUT, Bad, ContentConversionFailed, Work.</summary>
    public static IReadOnlyList<ImcItem> Queues { get; } = [MtsIn, MtsOut, Bad, ContentConversionFailed, Work];

    /// <summary>The display name: Registry, Directory, MTSIn, MTSOut, Bad, ContentConversionFailed, Work.</summary>
    public string Name { get; }
    /// <summary>The shortest accepted abbreviation's length.</summary>
    public int MinLength { get; }
    /// <summary>The queue's folder in the gateway mailbox (MTS-IN, …), or null for Registry and Directory.</summary>
    public string? QueueFolder { get; }
    /// <summary>The Backup subfolder of the queue's TNEF files (Mtsin, …), or null for Registry and Directory.</summary>
    public string? BackupFolder { get; }
    public bool IsQueue => QueueFolder is not null;

    /// <summary>The original's notation: <c>Reg[istry]</c>, <c>MTSO[ut]</c>, <c>Bad</c>.</summary>
    public string Abbreviation => Word.Display;

    internal AbbreviatedWord Word => new(Name, MinLength);

    /// <summary>"Reg[istry], Dir[ectory], MTSI[n], MTSO[ut], Bad, Con[tentConversionFailed], Work".</summary>
    public static string ItemList { get; } = string.Join(", ", All.Select(i => i.Abbreviation));

    /// <summary>"MTSI[n] or MTS-IN, MTSO[ut] or MTS-OUT, Bad, Con[tentConversionFailed], Work".</summary>
    public static string QueueList { get; } = string.Join(", ", Queues.Select(q =>
        string.Equals(q.Abbreviation, q.QueueFolder, StringComparison.Ordinal) || q.Name == q.QueueFolder ? q.Abbreviation : $"{q.Abbreviation} or {q.QueueFolder}"));

    /// <summary>An item for -save: any prefix from the minimum to the full word, case-insensitive.</summary>
    public static ImcItem Parse(string word) => Find(word, All, "item", ItemList)
        ?? throw new UsageException($"unknown item '{word}'. Items: {ItemList}.");

    /// <summary>A queue: the abbreviations of <see cref="Parse"/> or the folder name (MTS-OUT), case-insensitive.</summary>
    public static ImcItem ParseQueue(string word)
    {
        var byFolder = Queues.FirstOrDefault(q => string.Equals(q.QueueFolder, word, StringComparison.OrdinalIgnoreCase));
        return byFolder ?? Find(word, Queues, "queue", QueueList)
            ?? throw new UsageException($"unknown queue '{word}'. Queues: {QueueList}.");
    }

    /// <summary>Parses the words of -save; repeated items count once; the result is in the original's order.</summary>
    public static IReadOnlyList<ImcItem> ParseList(IEnumerable<string> words)
    {
        var set = words.Select(Parse).ToHashSet();
        return All.Where(set.Contains).ToList();
    }

    public override string ToString() => Name;

    private static ImcItem? Find(string word, IReadOnlyList<ImcItem> items, string what, string list)
    {
        var match = WordMatcher.Match(word, items.Select(i => i.Word).ToList());
        var capital = char.ToUpperInvariant(what[0]) + what[1..] + "s";
        return match.Kind switch
        {
            MatchKind.Found => items.First(i => i.Name == match.Match!.Name),
            MatchKind.Ambiguous => throw new UsageException(
                $"ambiguous {what} '{word}' could be {WordMatcher.JoinOr(match.Candidates.Select(c => c.Display))}. {capital}: {list}."),
            MatchKind.TooShort => throw new UsageException(
                $"{what} '{word}' is too short: write at least '{match.Candidates[0].Name[..match.Candidates[0].MinLength]}' for {match.Candidates[0].Display}."),
            _ => null,
        };
    }
}
