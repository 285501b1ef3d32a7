namespace Imc.Server.Store;

/// <summary>
/// The schema of priv.db, the private information store.
/// <code>
/// meta(key TEXT PK, value BLOB)                     'schema' = 1; 'store_guid' = 16 bytes, the store's MAPIUID in entry ids
/// named_props(id INTEGER PK, guid BLOB, kind, lid, name)
///                                                   the store's named-property map: id 0x8000-0xFFFE ↔ (property set,
///                                                   MNID_ID lid | MNID_STRING name); kind 0 = id (name ''),
///                                                   1 = string (lid 0); UNIQUE(guid, kind, lid, name)
/// mailboxes(id INTEGER PK, dn TEXT UNIQUE NOCASE, display_name TEXT, props BLOB)
///                                                   props = the store object's property bag (PR_TRANSFER_ENABLED, ...)
/// folders(id INTEGER PK, mailbox_id → mailboxes, name TEXT NOCASE, hidden INTEGER, next_seq INTEGER)
///                                                   UNIQUE(mailbox_id, hidden, name); hidden folders (the MTA's queue)
///                                                   are invisible to clients
/// messages(id INTEGER PK AUTOINCREMENT, folder_id → folders NULL, parent_attachment_id → attachments NULL,
///          seq, entry_id BLOB, search_key BLOB, version, size, subject, sender, recipient_count, message_class,
///          code_page, props BLOB)
///                                                   a queued message has folder_id and seq (arrival order in its
///                                                   folder); an embedded message has parent_attachment_id instead.
///                                                   ids are never reused (AUTOINCREMENT): entry ids stay unique
/// recipients(message_id → messages, row_num, props BLOB)   PK(message_id, row_num): the recipient table in order
/// attachments(id INTEGER PK, message_id → messages, num, props BLOB, data_length NULL)
///                                                   data_length NULL = no data; data in attachment_chunks
/// attachment_chunks(id INTEGER PK, attachment_id → attachments, n, data BLOB)
///                                                   the data in 1 MiB pieces, n = 0, 1, ... (SQLite blobs are < 1 GB);
///                                                   a rowid table, so SqliteBlob can stream each piece
/// </code>
/// Every reference cascades on delete: deleting a message row removes its recipients, attachments, their chunks and
/// embedded messages, recursively, in the same statement.
/// </summary>
internal static class StoreSchema
{
    public const int Version = 1;

    /// <summary>Attachment data are stored in pieces of this size (the last one may be shorter).</summary>
    public const int ChunkSize = 1 << 20;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta(
            key TEXT PRIMARY KEY,
            value BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS named_props(
            id INTEGER PRIMARY KEY CHECK (id BETWEEN 32768 AND 65534),
            guid BLOB NOT NULL,
            kind INTEGER NOT NULL,
            lid INTEGER NOT NULL,
            name TEXT NOT NULL,
            UNIQUE(guid, kind, lid, name));
        CREATE TABLE IF NOT EXISTS mailboxes(
            id INTEGER PRIMARY KEY,
            dn TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            props BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS folders(
            id INTEGER PRIMARY KEY,
            mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
            name TEXT NOT NULL COLLATE NOCASE,
            hidden INTEGER NOT NULL DEFAULT 0,
            next_seq INTEGER NOT NULL DEFAULT 1,
            UNIQUE(mailbox_id, hidden, name));
        CREATE TABLE IF NOT EXISTS messages(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            folder_id INTEGER REFERENCES folders(id) ON DELETE CASCADE,
            parent_attachment_id INTEGER REFERENCES attachments(id) ON DELETE CASCADE,
            seq INTEGER,
            entry_id BLOB,
            search_key BLOB,
            version INTEGER NOT NULL DEFAULT 1,
            size INTEGER NOT NULL,
            subject TEXT,
            sender TEXT,
            recipient_count INTEGER NOT NULL,
            message_class TEXT,
            code_page INTEGER NOT NULL,
            props BLOB NOT NULL,
            CHECK ((folder_id IS NULL) <> (parent_attachment_id IS NULL)));
        CREATE INDEX IF NOT EXISTS messages_queue ON messages(folder_id, seq) WHERE folder_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS messages_search_key ON messages(folder_id, search_key) WHERE folder_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS messages_embedded ON messages(parent_attachment_id) WHERE parent_attachment_id IS NOT NULL;
        CREATE TABLE IF NOT EXISTS recipients(
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            row_num INTEGER NOT NULL,
            props BLOB NOT NULL,
            PRIMARY KEY(message_id, row_num));
        CREATE TABLE IF NOT EXISTS attachments(
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            num INTEGER NOT NULL,
            props BLOB NOT NULL,
            data_length INTEGER,
            UNIQUE(message_id, num));
        CREATE TABLE IF NOT EXISTS attachment_chunks(
            id INTEGER PRIMARY KEY,
            attachment_id INTEGER NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            data BLOB NOT NULL,
            UNIQUE(attachment_id, n));
        """;
}
