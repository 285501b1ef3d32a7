using System.Buffers.Binary;
using System.Globalization;
using Imc.Formats.Mapi;
using Imc.Server.Gateway;
using Microsoft.Data.Sqlite;

namespace Imc.Server.Store;

/// <summary>
/// The private information store (priv.db, DESIGN.md §4): mailboxes, their folders and MAPI messages, the gateway
/// store flag PR_TRANSFER_ENABLED, exclusive gateway logons and the MTA's routing to the gateway. Schema and
/// encoding: <see cref="StoreSchema"/>, <see cref="PropertyCodec"/>. One instance serves one thread; several
/// processes may use the same priv.db at once (WAL, busy timeout).
/// </summary>
public sealed class InformationStore : IDisposable
{
    /// <summary>The hidden folder of a gateway mailbox where the MTA holds Internet mail while transfer is disabled.</summary>
    internal const string MtaQueueFolder = "MTA queue";

    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private byte[]? _chunkBuffer;
    private BackgroundCheckpointer? _checkpointer;
    private bool _disposed;

    public InformationStore(SqliteDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        Database = db;
        // A 1 GiB attachment passes through the WAL; give the space back after each checkpoint. SQLite's default
        // page cache is 2 MB, only 31 of the store's 64 KiB pages: index pages were evicted by every blob passing
        // through and read again for the next lookup. 8 MB (128 pages) keeps the interior pages of every index in memory
        // without adding much to peak memory (32 MB cost 32 MB of resident memory for no measurable gain).
        db.Execute("PRAGMA journal_size_limit=67108864; PRAGMA cache_size=-8192;");
        Names = new NamedPropertyMap(db);
        StoreGuid = InitializeSchema(db);
        Messages = new MessageTable(this);
        Mta = new MessageTransferAgent(this);
    }

    internal SqliteDatabase Database { get; }
    internal NamedPropertyMap Names { get; }
    internal MessageTable Messages { get; }

    /// <summary>The store's MAPIUID, part of every entry id it hands out.</summary>
    public Guid StoreGuid { get; }

    /// <summary>The message transfer agent that routes Internet-bound mail into gateway mailboxes.</summary>
    public MessageTransferAgent Mta { get; }

    /// <summary>Creates a gateway mailbox with its folders and PR_TRANSFER_ENABLED = TRUE; an error if the DN exists.</summary>
    public Mailbox CreateGatewayMailbox(string dn, string displayName, IEnumerable<string> folderNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(dn);
        ArgumentNullException.ThrowIfNull(displayName);
        ArgumentNullException.ThrowIfNull(folderNames);
        var folders = folderNames.ToList();
        return Write(() =>
        {
            if (FindMailbox(dn) is { } existing)
                throw new ServerException($"The information store {Database.Path} already has a mailbox {existing.Dn}.");
            var bag = new PropertyBag();
            bag.Set(PropTags.DisplayName, displayName);
            bag.Set(PropTags.MailboxOwnerName, displayName);
            bag.Set(PropTags.TransferEnabled, true);
            var id = (long)Database.Scalar("INSERT INTO mailboxes(dn, display_name, props) VALUES($dn, $name, $props) RETURNING id",
                ("$dn", dn), ("$name", displayName), ("$props", PropertyCodec.Encode(bag, Names.GetOrCreateId)))!;
            var mailbox = new Mailbox(this, id, dn, displayName);
            foreach (var name in folders) mailbox.CreateFolder(name);
            return mailbox;
        });
    }

    /// <summary>The mailbox with this DN (compared case-insensitively), or null.</summary>
    public Mailbox? FindMailbox(string dn)
    {
        ArgumentNullException.ThrowIfNull(dn);
        using var cmd = Database.Command("SELECT id, dn, display_name FROM mailboxes WHERE dn=$dn", ("$dn", dn));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new Mailbox(this, r.GetInt64(0), r.GetString(1), r.GetString(2)) : null;
    }

    /// <summary>PR_TRANSFER_ENABLED on the gateway store <paramref name="gatewayDn"/>.</summary>
    public bool GetTransferEnabled(string gatewayDn)
    {
        var mailbox = RequireMailbox(gatewayDn);
        return ReadStoreProperties(mailbox.Id).GetBoolean(PropTags.TransferEnabled) ?? true;
    }

    /// <summary>
    /// Sets PR_TRANSFER_ENABLED on the gateway store. Enabling it releases the mail the MTA held meanwhile into
    /// MTS-OUT, in submission order, in the same transaction (the rows move; no bytes are copied).
    /// </summary>
    public void SetTransferEnabled(string gatewayDn, bool enabled) => Write(() =>
    {
        var mailbox = RequireMailbox(gatewayDn);
        var bag = ReadStoreProperties(mailbox.Id);
        bag.Set(PropTags.TransferEnabled, enabled);
        Database.Execute("UPDATE mailboxes SET props=$props WHERE id=$id",
            ("$props", PropertyCodec.Encode(bag, Names.GetOrCreateId)), ("$id", mailbox.Id));
        if (enabled) Mta.ReleaseHeld(mailbox);
        return 0;
    });

    /// <summary>
    /// Logs <paramref name="program"/> on to the gateway mailbox, exclusively: while the returned session is open,
    /// any other logon to that mailbox — from this process or another — fails with a message naming the holder.
    /// The operating system releases the logon if the holding process dies.
    /// </summary>
    public GatewaySession LogonGateway(string mailboxDn, string program)
    {
        ArgumentNullException.ThrowIfNull(mailboxDn);
        ArgumentException.ThrowIfNullOrEmpty(program);
        var mailbox = FindMailbox(mailboxDn)
            ?? throw new ServerException($"The gateway mailbox {mailboxDn} does not exist in the information store {Database.Path}.",
                "Is the Internet Mail Connector installed on this server? 'imcadmin setup' installs it.");
        var lockPath = Database.Path + ".mailbox-" + mailbox.Id.ToString(CultureInfo.InvariantCulture) + ".logon";
        var gatewayLock = GatewayLock.Acquire(lockPath, mailbox.Dn, program);
        return new GatewaySession(this, mailbox, gatewayLock);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _checkpointer?.Dispose();
        _checkpointer = null;
        foreach (var cmd in _prepared.Values) cmd.Dispose();
        _prepared.Clear();
        Database.Dispose();
    }

    internal Mailbox RequireMailbox(string dn) => FindMailbox(dn)
        ?? throw new ServerException($"The mailbox {dn} does not exist in the information store {Database.Path}.",
            "Is the Internet Mail Connector installed on this server? 'imcadmin setup' installs it.");

    internal PropertyBag ReadStoreProperties(long mailboxId)
    {
        var blob = (byte[])Database.Scalar("SELECT props FROM mailboxes WHERE id=$id", ("$id", mailboxId))!;
        var bag = new PropertyBag();
        PropertyCodec.Decode(blob, bag, Names.NameOf);
        return bag;
    }

    /// <summary>
    /// Runs <paramref name="work"/> as one write transaction of the store (or inside the one already open): the
    /// messages it adds, deletes or changes are committed together — all of them or none — with one flush to disk
    /// instead of one per message. For bulk work (restoring or deleting thousands of messages), commit every few
    /// hundred messages or tens of MB, so a transaction (and the write-ahead log) stays bounded.
    /// </summary>
    public T InTransaction<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Write(work);
    }

    /// <inheritdoc cref="InTransaction{T}(Func{T})"/>
    public void InTransaction(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Write(() => { work(); return 0; });
    }

    /// <summary>
    /// For bulk writing in many transactions (a restore): until the returned scope is disposed, the write-ahead log
    /// is copied into priv.db by a second connection on its own thread, overlapping the next transactions, instead
    /// of inside each commit (<see cref="BackgroundCheckpointer"/>). The log may grow to about
    /// <paramref name="transactionBytes"/> × <see cref="BackgroundCheckpointer.CommitsPerCycle"/> meanwhile.
    /// Every commit is as durable as without it.
    /// </summary>
    public IDisposable CheckpointInBackground(long transactionBytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_checkpointer is not null) throw new InvalidOperationException("Background checkpoints are already on.");
        if (Database.CurrentTransaction is not null) throw new InvalidOperationException("Background checkpoints cannot start inside a transaction.");
        _checkpointer = new BackgroundCheckpointer(Database, transactionBytes * (BackgroundCheckpointer.CommitsPerCycle + 1));
        return new CheckpointScope(this);
    }

    private sealed class CheckpointScope(InformationStore store) : IDisposable
    {
        public void Dispose()
        {
            var checkpointer = store._checkpointer;
            store._checkpointer = null;
            checkpointer?.Dispose();
        }
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (or the one open), keeping the named-property cache in step.</summary>
    internal T Write<T>(Func<T> work)
    {
        if (Database.CurrentTransaction is not null) return work();
        var committed = false;
        T result;
        try
        {
            result = Database.InTransaction(_ => work());
            committed = true;
        }
        finally
        {
            Names.EndTransaction(committed);
        }
        _checkpointer?.Committed();
        return result;
    }

    /// <summary>A command kept prepared for the hot paths (reading messages, chunks), joined to the open transaction.</summary>
    internal SqliteCommand Prepared(string sql, params (string Name, object? Value)[] parameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_prepared.TryGetValue(sql, out var cmd))
        {
            cmd = Database.Connection.CreateCommand();
            cmd.CommandText = sql;
            _prepared[sql] = cmd;
        }
        cmd.Transaction = Database.CurrentTransaction;
        cmd.Parameters.Clear();
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    /// <summary>The rowid of piece <paramref name="index"/> of an attachment's data, or null.</summary>
    internal long? FindChunk(long attachmentId, long index)
    {
        var cmd = Prepared("SELECT id FROM attachment_chunks WHERE attachment_id=$a AND n=$n", ("$a", attachmentId), ("$n", index));
        return cmd.ExecuteScalar() is long id ? id : null;
    }

    /// <summary>The one reusable buffer attachment data are copied through (the store serves one thread).</summary>
    internal byte[] ChunkBuffer => _chunkBuffer ??= new byte[StoreSchema.ChunkSize];

    /// <summary>
    /// The PR_ENTRYID of message <paramref name="messageId"/>: 4 flag bytes (0), the store's MAPIUID (16), the
    /// object type 0x0007 (message, 2 bytes LE) and the message's never-reused number (8 bytes LE).
    /// </summary>
    internal byte[] MakeEntryId(long messageId)
    {
        var id = new byte[30];
        StoreGuid.TryWriteBytes(id.AsSpan(4));
        BinaryPrimitives.WriteUInt16LittleEndian(id.AsSpan(20), 0x0007);
        BinaryPrimitives.WriteInt64LittleEndian(id.AsSpan(22), messageId);
        return id;
    }

    private static Guid InitializeSchema(SqliteDatabase db) => db.InTransaction(_ =>
    {
        db.Execute(StoreSchema.Create);
        var version = db.Scalar("SELECT value FROM meta WHERE key='schema'");
        if (version is null)
        {
            db.Execute("INSERT INTO meta(key, value) VALUES('schema', $v)", ("$v", StoreSchema.Version));
        }
        else if (Convert.ToInt64(version, CultureInfo.InvariantCulture) != StoreSchema.Version)
        {
            throw new ServerException($"The information store {db.Path} has schema version {version}; this program uses version {StoreSchema.Version}.",
                "Use the version of the tools that created this server.");
        }
        if (db.Scalar("SELECT value FROM meta WHERE key='store_guid'") is byte[] guid && guid.Length == 16) return new Guid(guid);
        var fresh = Guid.NewGuid();
        db.Execute("INSERT OR REPLACE INTO meta(key, value) VALUES('store_guid', $g)", ("$g", fresh.ToByteArray()));
        return fresh;
    });
}
