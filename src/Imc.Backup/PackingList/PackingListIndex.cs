namespace Imc.Backup.PackingList;

/// <summary>
/// A checked packing list without its entries: the header, counts and sizes, and fingerprints of the entries (one
/// 8-byte fingerprint per 64 messages), so verification and restore can stream the entries from the list again and
/// know they are the ones that were checked. Memory stays the same for 1,000 or 1,000,000 messages.
/// </summary>
public sealed class PackingListIndex
{
    /// <summary>Entries of a queue handed out per fingerprinted chunk.</summary>
    internal const int ChunkSize = 64;

    private readonly QueueEntries[] _queues;
    private readonly byte[] _filesDigest, _messagesDigest;

    internal PackingListIndex(Imcfls header, int fileCount, long totalBytes, int messageCount, QueueEntries[] queues, byte[] filesDigest, byte[] messagesDigest)
    {
        Header = header;
        FileCount = fileCount;
        TotalBytes = totalBytes;
        MessageCount = messageCount;
        _queues = queues;
        foreach (var q in queues) q.Seal();
        _filesDigest = filesDigest;
        _messagesDigest = messagesDigest;
    }

    /// <summary>[Imcsave] and [Queues]; its <see cref="Imcfls.Files"/> and <see cref="Imcfls.Messages"/> are empty (the entries stay in the file).</summary>
    public Imcfls Header { get; }

    /// <summary>Whether checking had to hold the names (as fingerprints): the list was not in imcsave's order.</summary>
    internal bool HeldNames { get; init; }

    public int FileCount { get; }
    public long TotalBytes { get; }
    public int MessageCount { get; }

    public int MessageCountOf(QueueLayout queue) => Of(queue).MessageCount;

    /// <summary>The bytes of the queue's message files.</summary>
    public long BytesOf(QueueLayout queue) => Of(queue).Bytes;

    private QueueEntries Of(QueueLayout queue) => _queues.First(q => q.Queue == queue);

    /// <summary>
    /// Every [Files] entry in order, with its [Messages] entry for a message file. Usually the two sections list the
    /// messages in the same order and are read side by side; otherwise (a list edited by hand) the [Messages] entries
    /// are held by name. After the last entry, the entries must be the ones checked.
    /// </summary>
    internal IEnumerable<(PackedFile File, PackedMessage? Message)> ListedFiles(PackingListSource source)
    {
        using var files = new PackingListCursor(source, "Files");
        using var messages = new PackingListCursor(source, "Messages");
        using var filesDigest = new EntryDigest();
        using var messagesDigest = new EntryDigest();
        Dictionary<string, PackedMessage>? byPath = null;
        while (files.Next())
        {
            files.AddTo(filesDigest);
            var file = files.File();
            PackedMessage? message = null;
            if (file.Path.Contains('/', StringComparison.Ordinal))
            {
                if (byPath is null && messages.Next())
                {
                    messages.AddTo(messagesDigest);
                    message = messages.Message();
                }
                if (message is null || message.Path != file.Path)
                {
                    byPath ??= MessagesByPath(source, messagesDigest);
                    message = byPath.GetValueOrDefault(file.Path)
                              ?? throw PackingListReader.Error(file.Line, $"'{file.Path}' has no entry in [Messages]");
                }
            }
            yield return (file, message);
        }
        while (byPath is null && messages.Next())
        {
            messages.AddTo(messagesDigest);
            var stray = messages.Message();
            throw PackingListReader.Error(stray.Line, $"[Messages] lists '{stray.Path}', which is not a message file in [Files]");
        }
        if (!filesDigest.Finish().AsSpan().SequenceEqual(_filesDigest) || !messagesDigest.Finish().AsSpan().SequenceEqual(_messagesDigest))
            throw Changed("while the backup was verified");
    }

    private static Dictionary<string, PackedMessage> MessagesByPath(PackingListSource source, EntryDigest digest)
    {
        digest.Finish(); // start over: every entry is read again
        var byPath = new Dictionary<string, PackedMessage>(StringComparer.Ordinal);
        using var cursor = new PackingListCursor(source, "Messages");
        while (cursor.Next())
        {
            cursor.AddTo(digest);
            var m = cursor.Message();
            byPath[m.Path] = m;
        }
        return byPath;
    }

    /// <summary>
    /// The queue's [Messages] entries in file order, each chunk of <see cref="ChunkSize"/> handed out only after its
    /// fingerprint matched the checked list: what is restored is what was verified, even if Imcfls is rewritten meanwhile.
    /// </summary>
    internal IEnumerable<PackedMessage> MessagesOf(QueueLayout queue, PackingListSource source)
    {
        var entries = Of(queue);
        if (entries.MessageCount == 0) yield break;
        var prefix = queue.BackupFolder + "/";
        using var cursor = new PackingListCursor(source, "Messages");
        using var digest = new EntryDigest();
        var chunk = new List<PackedMessage>(ChunkSize);
        var chunks = 0;
        var more = true;
        while (more)
        {
            chunk.Clear();
            while (chunk.Count < ChunkSize && (more = cursor.Next()))
            {
                if (!cursor.Key.StartsWith(prefix, StringComparison.Ordinal)) continue;
                cursor.AddTo(digest);
                chunk.Add(cursor.Message());
            }
            if (chunk.Count == 0) break;
            if (chunks >= entries.Chunks.Count || digest.FinishFingerprint() != entries.Chunks[chunks++]) throw Changed("after it was verified");
            foreach (var m in chunk) yield return m;
        }
        if (chunks != entries.Chunks.Count) throw Changed("after it was verified");
    }

    private static BackupFormatException Changed(string when) =>
        new(BackupLayout.PackingListName, $"the file changed {when} (something else is writing to the backup)");

    /// <summary>One queue's files and messages as the check counted them.</summary>
    internal sealed class QueueEntries(QueueLayout queue)
    {
        private EntryDigest? _digest = new();
        private int _inChunk;

        public QueueLayout Queue { get; } = queue;
        public int FileCount { get; private set; }
        public long Bytes { get; private set; }
        public int MessageCount { get; private set; }
        public List<ulong> Chunks { get; } = [];

        public void AddFile(long size)
        {
            FileCount++;
            Bytes += size;
        }

        public void AddMessage(int line, string key, string value)
        {
            MessageCount++;
            _digest!.Add(line, key, value);
            if (++_inChunk == ChunkSize) EndChunk();
        }

        public void Seal()
        {
            if (_inChunk > 0) EndChunk();
            _digest?.Dispose();
            _digest = null;
        }

        private void EndChunk()
        {
            Chunks.Add(_digest!.FinishFingerprint());
            _inChunk = 0;
        }
    }
}
