using System.Security.Cryptography;
using Imc.Formats.Mapi;

namespace Imc.Server.Store;

/// <summary>
/// Writes and reads whole messages: the message row, its recipient rows, its attachment rows with their data in
/// pieces, and embedded messages (a message row owned by an attachment), recursively. Reading a message costs
/// three indexed queries (plus two for each embedded message); attachment data are read only when streamed.
/// </summary>
internal sealed class MessageTable(InformationStore store)
{
    private SqliteDatabase Db => store.Database;

    /// <summary>Adds <paramref name="message"/> to a folder in one transaction; returns its id.</summary>
    public long Add(long folderId, MapiMessage message) => store.Write(() =>
    {
        var id = (long)store.Prepared("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name='messages'), 0) + 1").ExecuteScalar()!;
        var entryId = store.MakeEntryId(id);
        var searchKey = message.SearchKey ?? RandomNumberGenerator.GetBytes(16);

        // PR_ENTRYID is the store's own (replacing any the message brought, in place); PR_SEARCH_KEY travels with
        // the message, or is new.
        var properties = new List<MapiProperty>(message.Properties.Count + 2);
        var hasEntryId = false;
        foreach (var p in message.Properties)
        {
            if (p.Name is null && p.Tag.Id == PropTags.EntryId.Id)
            {
                properties.Add(new MapiProperty(PropTags.EntryId, entryId));
                hasEntryId = true;
            }
            else
            {
                properties.Add(p);
            }
        }
        if (!hasEntryId) properties.Add(new MapiProperty(PropTags.EntryId, entryId));
        if (message.SearchKey is null) properties.Add(new MapiProperty(PropTags.SearchKey, searchKey));

        var seq = (long)store.Prepared("UPDATE folders SET next_seq = next_seq + 1 WHERE id=$f RETURNING next_seq - 1", ("$f", folderId)).ExecuteScalar()!;
        InsertMessage(id, message, properties, folderId, null, seq, entryId, searchKey);
        return id;
    });

    /// <summary>Inserts one message row and everything it owns; returns its size.</summary>
    private long InsertMessage(long? id, MapiMessage message, IReadOnlyCollection<MapiProperty> properties,
        long? folderId, long? parentAttachmentId, long? seq, byte[]? entryId, byte[]? searchKey)
    {
        var props = PropertyCodec.Encode(properties, store.Names.GetOrCreateId);
        var bag = message.Properties;
        var messageId = (long)store.Prepared("""
            INSERT INTO messages(id, folder_id, parent_attachment_id, seq, entry_id, search_key, size, subject, sender,
                                 recipient_count, message_class, code_page, props)
            VALUES($id, $f, $pa, $seq, $eid, $sk, 0, $subj, $sender, $rc, $mc, $cp, $props) RETURNING id
            """,
            ("$id", id), ("$f", folderId), ("$pa", parentAttachmentId), ("$seq", seq), ("$eid", entryId), ("$sk", searchKey),
            ("$subj", message.Subject), ("$sender", SenderOf(bag)), ("$rc", message.Recipients.Count),
            ("$mc", message.MessageClass), ("$cp", message.CodePage), ("$props", props)).ExecuteScalar()!;
        long size = props.Length;

        for (var i = 0; i < message.Recipients.Count; i++)
        {
            var blob = PropertyCodec.Encode(message.Recipients[i].Properties, store.Names.GetOrCreateId);
            store.Prepared("INSERT INTO recipients(message_id, row_num, props) VALUES($m, $n, $p)",
                ("$m", messageId), ("$n", i), ("$p", blob)).ExecuteNonQuery();
            size += blob.Length;
        }

        for (var i = 0; i < message.Attachments.Count; i++)
        {
            var attachment = message.Attachments[i];
            var blob = PropertyCodec.Encode(attachment.Properties, store.Names.GetOrCreateId);
            var attachmentId = (long)store.Prepared(
                "INSERT INTO attachments(message_id, num, props, data_length) VALUES($m, $n, $p, $len) RETURNING id",
                ("$m", messageId), ("$n", i), ("$p", blob), ("$len", attachment.Data?.Length)).ExecuteScalar()!;
            size += blob.Length;
            if (attachment.Data is { } data) size += WriteData(attachmentId, data);
            if (attachment.EmbeddedMessage is { } embedded)
                size += InsertMessage(null, embedded, embedded.Properties, null, attachmentId, null, null, null);
        }

        store.Prepared("UPDATE messages SET size=$s WHERE id=$id", ("$s", size), ("$id", messageId)).ExecuteNonQuery();
        return size;
    }

    /// <summary>Streams <paramref name="data"/> into attachment_chunks, one reused 1 MiB buffer at a time.</summary>
    private long WriteData(long attachmentId, BinaryContent data)
    {
        var buffer = store.ChunkBuffer;
        long total = 0;
        using var source = data.OpenRead();
        for (long n = 0; ; n++)
        {
            var read = source.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read == 0) break;
            // The full buffer is bound as it is (SQLite copies it); only a short last piece needs its own array.
            var piece = read == buffer.Length ? buffer : buffer.AsSpan(0, read).ToArray();
            store.Prepared("INSERT INTO attachment_chunks(attachment_id, n, data) VALUES($a, $n, $d)",
                ("$a", attachmentId), ("$n", n), ("$d", piece)).ExecuteNonQuery();
            total += read;
            if (read < buffer.Length) break;
        }
        if (total != data.Length)
            throw new ServerException($"An attachment's data gave {total} bytes, but its length says {data.Length}; the message was not stored.");
        return data.Length;
    }

    /// <summary>Reads the message <paramref name="messageId"/> of folder <paramref name="folderId"/>, or null.</summary>
    public MapiMessage? Read(long folderId, long messageId)
    {
        using (var r = store.Prepared("SELECT props, code_page FROM messages WHERE id=$id AND folder_id=$f",
                   ("$id", messageId), ("$f", folderId)).ExecuteReader())
        {
            if (!r.Read()) return null;
            var message = new MapiMessage { CodePage = r.GetInt32(1) };
            PropertyCodec.Decode((byte[])r.GetValue(0), message.Properties, store.Names.NameOf);
            r.Close();
            ReadContents(messageId, message);
            return message;
        }
    }

    private void ReadContents(long messageId, MapiMessage message)
    {
        using (var r = store.Prepared("SELECT props FROM recipients WHERE message_id=$m ORDER BY row_num", ("$m", messageId)).ExecuteReader())
        {
            while (r.Read())
            {
                var recipient = new MapiRecipient();
                PropertyCodec.Decode((byte[])r.GetValue(0), recipient.Properties, store.Names.NameOf);
                message.Recipients.Add(recipient);
            }
        }

        var embedded = new List<(MapiAttachment Attachment, long MessageId)>();
        using (var r = store.Prepared("""
                   SELECT a.id, a.props, a.data_length, e.id, e.props, e.code_page
                   FROM attachments a LEFT JOIN messages e ON e.parent_attachment_id = a.id
                   WHERE a.message_id=$m ORDER BY a.num
                   """, ("$m", messageId)).ExecuteReader())
        {
            while (r.Read())
            {
                var attachment = new MapiAttachment();
                PropertyCodec.Decode((byte[])r.GetValue(1), attachment.Properties, store.Names.NameOf);
                if (!r.IsDBNull(2)) attachment.Data = new StoredAttachmentContent(store, r.GetInt64(0), r.GetInt64(2));
                if (!r.IsDBNull(3))
                {
                    var inner = new MapiMessage { CodePage = r.GetInt32(5) };
                    PropertyCodec.Decode((byte[])r.GetValue(4), inner.Properties, store.Names.NameOf);
                    attachment.EmbeddedMessage = inner;
                    embedded.Add((attachment, r.GetInt64(3)));
                }
                message.Attachments.Add(attachment);
            }
        }
        // Recurse only after the reader is closed: the prepared commands are shared.
        foreach (var (attachment, id) in embedded) ReadContents(id, attachment.EmbeddedMessage!);
    }

    /// <summary>Replaces one property of a queued message and bumps its version.</summary>
    public bool SetProperty(long folderId, long messageId, MapiProperty property) => store.Write(() =>
    {
        var row = Db.Command("SELECT props, size, code_page FROM messages WHERE id=$id AND folder_id=$f", ("$id", messageId), ("$f", folderId));
        byte[] old;
        long size;
        using (row)
        using (var r = row.ExecuteReader())
        {
            if (!r.Read()) return false;
            old = (byte[])r.GetValue(0);
            size = r.GetInt64(1);
        }
        var message = new MapiMessage();
        PropertyCodec.Decode(old, message.Properties, store.Names.NameOf);
        message.Properties.Set(property);
        var props = PropertyCodec.Encode(message.Properties, store.Names.GetOrCreateId);
        Db.Execute("""
            UPDATE messages SET props=$p, size=$s, version=version+1, subject=$subj, sender=$sender, message_class=$mc,
                                search_key=COALESCE($sk, search_key)
            WHERE id=$id
            """,
            ("$p", props), ("$s", size - old.Length + props.Length), ("$subj", message.Subject), ("$sender", SenderOf(message.Properties)),
            ("$mc", message.MessageClass), ("$sk", message.SearchKey), ("$id", messageId));
        return true;
    });

    /// <summary>Who sent the message, for queue listings: the sender's address, else a name.</summary>
    private static string? SenderOf(PropertyBag bag) =>
        bag.GetString(PropTags.SenderEmailAddress)
        ?? bag.GetString(PropTags.SentRepresentingEmailAddress)
        ?? bag.GetString(PropTags.SenderName)
        ?? bag.GetString(PropTags.SentRepresentingName);
}
