using Microsoft.Data.Sqlite;

namespace Imc.Server;

/// <summary>
/// One SQLite database file of the server, opened in WAL mode with a busy timeout so that several processes
/// (imcsave, imcadmin submit, the tests) can use a server at once.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private SqliteDatabase(string path, SqliteConnection connection)
    {
        Path = path;
        Connection = connection;
    }

    public string Path { get; }
    public SqliteConnection Connection { get; }

    /// <summary>The size the write-ahead log is kept to between transactions.</summary>
    private const long WalTarget = 4L << 20;

    /// <summary>The transaction <see cref="InTransaction{T}"/> has open, which every command must join.</summary>
    public SqliteTransaction? CurrentTransaction { get; private set; }

    /// <summary>
    /// Opens an existing database, or creates it when <paramref name="create"/> is set. <paramref name="pageSize"/>
    /// applies only to a new file (SQLite fixes it once WAL is on): the store uses large pages for its attachment chunks.
    /// </summary>
    public static SqliteDatabase Open(string path, bool create = false, int pageSize = 4096)
    {
        var isNew = !File.Exists(path);
        if (!create && !File.Exists(path))
            throw new ServerException($"The database {path} does not exist.", "Is this folder a server? Create one with 'imcadmin setup'.");
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 60,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        var db = new SqliteDatabase(path, connection);
        if (isNew && pageSize != 4096) db.Execute($"PRAGMA page_size={pageSize};");
        // Incremental auto-vacuum keeps a pointer map, so freeing a deleted attachment's overflow chain needs only the
        // map, not every page of the attachment read back (SQLite reads each overflow page for its next-page pointer
        // otherwise: deleting 10 GB of mail read 10 GB). It never moves pages on its own; freed pages are reused.
        // Like page_size, it can only be chosen before the first table exists.
        if (isNew) db.Execute("PRAGMA auto_vacuum=INCREMENTAL;");
        // Zeroing freed pages (some SQLite builds do by default) would write every deleted byte twice more (WAL, then
        // checkpoint). Deleted mail stays in free pages until they are reused, as in Exchange's own database.
        db.Execute("PRAGMA secure_delete=OFF;");
        db.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=60000;");
        // SQLite checkpoints every 1,000 pages: 64 MiB of WAL with the store's 64 KiB pages. Keep the WAL near 4 MiB
        // (and give the space back after big transactions) so a server on a small disk does not fill it with journal.
        var page = Convert.ToInt64(db.Scalar("PRAGMA page_size;"), System.Globalization.CultureInfo.InvariantCulture);
        db.Execute($"PRAGMA wal_autocheckpoint={Math.Max(16, WalTarget / page)}; PRAGMA journal_size_limit={WalTarget};");
        return db;
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        return cmd.ExecuteScalar();
    }

    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = CurrentTransaction;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    /// <summary>Runs <paramref name="work"/> in one IMMEDIATE transaction (or the one already open): all of it happens or none of it.</summary>
    public T InTransaction<T>(Func<SqliteTransaction, T> work)
    {
        if (CurrentTransaction is { } outer) return work(outer);
        using var tx = Connection.BeginTransaction(deferred: false);
        CurrentTransaction = tx;
        try
        {
            var result = work(tx);
            tx.Commit();
            return result;
        }
        finally
        {
            CurrentTransaction = null;
        }
    }

    public void InTransaction(Action<SqliteTransaction> work) => InTransaction(tx => { work(tx); return 0; });

    public void Dispose() => Connection.Dispose();
}
