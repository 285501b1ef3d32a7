namespace Imc.Backup.PackingList;

/// <summary>
/// One saved queue item in <c>[Queues]</c>: the canonical item name (MTSIn, MTSOut, Bad, ContentConversionFailed,
/// Work) and the number of messages saved, or null when the store folder was absent.
/// </summary>
public sealed record PackedQueue(string Item, int? Count)
{
    public bool Absent => Count is null;

    /// <summary>The 1-based line of the entry when read from a file (0 when built in memory).</summary>
    public int Line { get; init; }
}

/// <summary>One file of the backup in <c>[Files]</c>: its name relative to Backup, size in bytes, SHA-256 (lower-case hex).</summary>
public sealed record PackedFile(string Path, long Size, string Sha256)
{
    public int Line { get; init; }
}

/// <summary>
/// One message in <c>[Messages]</c>: the TNEF file, the store folder it came from (MTS-OUT, …) and its PR_SEARCH_KEY.
/// </summary>
public sealed record PackedMessage(string Path, string Folder, byte[] SearchKey)
{
    public int Line { get; init; }

    /// <summary>The search key as Imcfls writes it: upper-case hex.</summary>
    public string SearchKeyHex => Convert.ToHexString(SearchKey);
}
