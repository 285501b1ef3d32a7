using Imc.Formats.Mapi;
using Imc.Server.Store;

namespace Imc.Server.Tests.Store;

/// <summary>
/// InformationStore.CheckpointInBackground (bulk writing): the log is copied into priv.db on another thread, yet it
/// stays bounded, everything committed ends up in the database, and the writer gets its settings back.
/// </summary>
public sealed class BackgroundCheckpointTests
{
    private const int AttachmentBytes = 1 << 20;
    private const int Transactions = 24;

    private static MapiMessage WithAttachment(int i)
    {
        var m = SampleMessages.Simple($"bulk {i}");
        m.Attachments.Add(new MapiAttachment { Method = AttachMethod.ByValue, Data = new GeneratedContent(GeneratedContentKind.Binary, AttachmentBytes, seed: (ulong)i) });
        return m;
    }

    private static long WalBytes(StoreFixture f) => new FileInfo(f.PrivDb + "-wal") is { Exists: true } wal ? wal.Length : 0;

    [Fact]
    public void The_log_stays_within_a_cycle_of_transactions_and_everything_committed_reaches_the_database()
    {
        using var f = new StoreFixture();
        var q = f.Queue("MTS-OUT");
        const long transactionBytes = 2L * AttachmentBytes;
        long largest = 0;
        using (f.Store.CheckpointInBackground(transactionBytes))
        {
            for (var i = 0; i < Transactions; i++)
            {
                f.Store.InTransaction(() =>
                {
                    q.AddMessage(WithAttachment(2 * i));
                    q.AddMessage(WithAttachment(2 * i + 1));
                });
                largest = Math.Max(largest, WalBytes(f));
            }
        }

        // Without the writer waiting once a cycle, the log would hold all 48 MiB.
        var bound = (BackgroundCheckpointer.CommitsPerCycle + 1) * transactionBytes + (1L << 20);
        Assert.InRange(largest, 1, bound);
        // Nothing is left in the log that the database lacks: another connection's checkpoint finds all of it copied.
        using (var other = SqliteDatabase.Open(f.PrivDb))
        using (var cmd = other.Command("PRAGMA wal_checkpoint(PASSIVE);"))
        using (var r = cmd.ExecuteReader())
        {
            Assert.True(r.Read());
            Assert.Equal(0L, r.GetInt64(0));
            Assert.Equal(r.GetInt64(1), r.GetInt64(2));
        }
        var reopened = f.Reopen();
        var messages = reopened.FindMailbox(StoreFixture.GatewayDn)!.OpenFolder("MTS-OUT")!.ListMessages();
        Assert.Equal(2 * Transactions, messages.Count);
        Assert.All(messages, m => Assert.True(m.Size > AttachmentBytes));
    }

    [Fact]
    public void Afterwards_the_writer_checkpoints_on_its_own_again_with_its_settings()
    {
        using var f = new StoreFixture();
        var db = f.Store.Database;
        var autocheckpoint = db.Scalar("PRAGMA wal_autocheckpoint;");
        var limit = db.Scalar("PRAGMA journal_size_limit;");
        using (f.Store.CheckpointInBackground(AttachmentBytes))
        {
            Assert.Equal(0L, db.Scalar("PRAGMA wal_autocheckpoint;"));
            f.Queue("MTS-OUT").AddMessage(WithAttachment(1));
        }
        Assert.Equal(autocheckpoint, db.Scalar("PRAGMA wal_autocheckpoint;"));
        Assert.Equal(limit, db.Scalar("PRAGMA journal_size_limit;"));
    }

    [Fact]
    public void Background_checkpoints_cannot_be_turned_on_twice()
    {
        using var f = new StoreFixture();
        using var on = f.Store.CheckpointInBackground(AttachmentBytes);
        var e = Assert.Throws<InvalidOperationException>(() => f.Store.CheckpointInBackground(AttachmentBytes));
        Assert.Equal("Background checkpoints are already on.", e.Message);
    }
}
