using System.Globalization;
using System.Runtime.ExceptionServices;

namespace Imc.Server.Store;

/// <summary>
/// Copies the write-ahead log into the database file on a second connection and thread while the store's own
/// connection goes on writing — for bulk writing such as a restore. SQLite otherwise checkpoints inside every
/// commit: the committing thread copies the log into the database and waits for the database's flush before it can
/// write the next batch. Here a commit costs only its own log flush, and the copy overlaps the next batches.
/// <para>
/// The log cannot start over while the copy trails the writer, so every <see cref="CommitsPerCycle"/> commits the
/// writer waits for a checkpoint that began after its last commit: the next transaction then starts the log from its
/// beginning, and the log stays near <see cref="CommitsPerCycle"/> batches. Durability is unchanged: every commit is
/// flushed to the log (synchronous=FULL) before it returns; a checkpoint only moves committed pages, and SQLite
/// replays the log if the process dies in the middle of one.
/// </para>
/// </summary>
internal sealed class BackgroundCheckpointer : IDisposable
{
    /// <summary>Commits the writer may run ahead of the last complete copy before it waits for one.</summary>
    public const int CommitsPerCycle = 4;

    private readonly SqliteDatabase _writer;
    private readonly long _autocheckpoint;
    private readonly long _journalSizeLimit;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private long _committed;
    private long _attempted;
    private bool _stopping;
    private ExceptionDispatchInfo? _failure;

    /// <param name="writer">The store's connection; its automatic checkpoints are off until this is disposed.</param>
    /// <param name="logBytes">What the log may grow to meanwhile (kept, not truncated, between cycles).</param>
    public BackgroundCheckpointer(SqliteDatabase writer, long logBytes)
    {
        _writer = writer;
        _autocheckpoint = Pragma(writer, "wal_autocheckpoint");
        _journalSizeLimit = Pragma(writer, "journal_size_limit");
        writer.Execute($"PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit={logBytes.ToString(CultureInfo.InvariantCulture)};");
        _thread = new Thread(Run) { IsBackground = true, Name = "imc checkpointer" };
        _thread.Start();
    }

    /// <summary>
    /// Called after each commit of the writer: starts a copy, and every <see cref="CommitsPerCycle"/> commits waits for
    /// one to finish. Throws what made the checkpointing thread fail, if it did.
    /// </summary>
    public void Committed()
    {
        lock (_gate)
        {
            _failure?.Throw();
            _committed++;
            Monitor.PulseAll(_gate);
            if (_committed % CommitsPerCycle != 0) return;
            while (_attempted < _committed && _failure is null) Monitor.Wait(_gate);
            _failure?.Throw();
        }
    }

    private void Run()
    {
        try
        {
            using var db = SqliteDatabase.Open(_writer.Path);
            while (true)
            {
                long target;
                lock (_gate)
                {
                    while (_attempted == _committed && !_stopping) Monitor.Wait(_gate);
                    if (_attempted == _committed) return;
                    target = _committed;
                }
                // PASSIVE: copies every frame no reader still needs, without waiting for or blocking anyone.
                db.Execute("PRAGMA wal_checkpoint(PASSIVE);");
                lock (_gate)
                {
                    _attempted = target;
                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Lets the last copy finish, then gives the writer its automatic checkpoints back.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
        _writer.Execute(
            $"PRAGMA wal_autocheckpoint={_autocheckpoint.ToString(CultureInfo.InvariantCulture)}; PRAGMA journal_size_limit={_journalSizeLimit.ToString(CultureInfo.InvariantCulture)};");
    }

    private static long Pragma(SqliteDatabase db, string name) =>
        Convert.ToInt64(db.Scalar($"PRAGMA {name};"), CultureInfo.InvariantCulture);
}
