using Imc.Formats.Mapi;

namespace Imc.Server.Store;

/// <summary>A folder of a mailbox; for a gateway, a queue whose messages are kept in arrival order.</summary>
public sealed class Folder
{
    private readonly InformationStore _store;

    internal Folder(InformationStore store, Mailbox mailbox, long id, string name)
    {
        _store = store;
        Mailbox = mailbox;
        Id = id;
        Name = name;
    }

    public long Id { get; }
    public string Name { get; }
    public Mailbox Mailbox { get; }

    /// <summary>
    /// The folder's contents in queue (arrival) order, read in one query: a snapshot — messages added afterwards
    /// are not in it.
    /// </summary>
    public IReadOnlyList<MessageInfo> ListMessages()
    {
        var cmd = _store.Prepared("""
            SELECT id, entry_id, search_key, version, size, subject, sender, recipient_count, message_class
            FROM messages WHERE folder_id=$f ORDER BY seq
            """, ("$f", Id));
        using var r = cmd.ExecuteReader();
        var list = new List<MessageInfo>();
        while (r.Read())
        {
            list.Add(new MessageInfo(
                r.GetInt64(0), (byte[])r.GetValue(1), (byte[])r.GetValue(2), r.GetInt64(3), r.GetInt64(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetInt32(7),
                r.IsDBNull(8) ? null : r.GetString(8)));
        }
        return list;
    }

    /// <summary>
    /// The same snapshot with only each message's id and version: what a save of a large queue needs to hold for
    /// every message (16 bytes each, no strings).
    /// </summary>
    public IReadOnlyList<MessageVersion> ListMessageVersions()
    {
        var cmd = _store.Prepared("SELECT id, version FROM messages WHERE folder_id=$f ORDER BY seq", ("$f", Id));
        using var r = cmd.ExecuteReader();
        var list = new List<MessageVersion>();
        while (r.Read()) list.Add(new MessageVersion(r.GetInt64(0), r.GetInt64(1)));
        return list;
    }

    /// <summary>
    /// The whole message: properties (PR_ENTRYID and PR_SEARCH_KEY included), recipients, attachments, embedded
    /// messages. Attachment data are not read here: their <see cref="BinaryContent"/> streams from the store.
    /// </summary>
    public MapiMessage ReadMessage(long messageId) => _store.Messages.Read(Id, messageId)
        ?? throw new ServerException($"Message {messageId} is not in folder {Name} of {Mailbox.Dn}.", "It may have been deleted or moved meanwhile.");

    /// <summary>
    /// Adds a message atomically (all of it or nothing), streaming attachment data in. Keeps its PR_SEARCH_KEY or
    /// assigns 16 new bytes; assigns a new PR_ENTRYID. Returns the message's id.
    /// </summary>
    public long AddMessage(MapiMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _store.Messages.Add(Id, message);
    }

    /// <summary>
    /// Deletes the message with its recipients, attachments and their data, atomically — only if it is in this
    /// folder with exactly <paramref name="version"/>. True when it was deleted.
    /// </summary>
    public bool DeleteIfUnchanged(long messageId, long version) => _store.Write(() =>
        _store.Prepared("DELETE FROM messages WHERE id=$id AND folder_id=$f AND version=$v",
            ("$id", messageId), ("$f", Id), ("$v", version)).ExecuteNonQuery() == 1);

    /// <summary>True when a message of the folder has this PR_SEARCH_KEY.</summary>
    public bool ContainsSearchKey(ReadOnlySpan<byte> searchKey) =>
        _store.Prepared("SELECT 1 FROM messages WHERE folder_id=$f AND search_key=$k LIMIT 1", ("$f", Id), ("$k", searchKey.ToArray()))
            .ExecuteScalar() is not null;

    /// <summary>How many messages the folder holds and their total size in bytes.</summary>
    public (long Count, long Bytes) GetStats()
    {
        using var r = _store.Prepared("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM messages WHERE folder_id=$f", ("$f", Id)).ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>Sets one property of a message and bumps its version (so a save can tell it changed).</summary>
    public void SetProperty(long messageId, MapiProperty property)
    {
        ArgumentNullException.ThrowIfNull(property);
        if (!_store.Messages.SetProperty(Id, messageId, property))
            throw new ServerException($"Message {messageId} is not in folder {Name} of {Mailbox.Dn}.");
    }

    public override string ToString() => $"{Mailbox.Dn}/{Name}";
}
