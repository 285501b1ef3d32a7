using Imc.Formats.Mapi;

namespace Imc.Server.Tests.Store;

/// <summary>
/// Deleting a message must not read its attachment back: the store keeps SQLite's pointer map (incremental
/// auto-vacuum) so freed overflow pages are found without reading them. Measured with the bytes this process read
/// (/proc/self/io rchar, page cache included); runs alone so other tests' reads do not count.
/// </summary>
[Collection(nameof(LargeAttachmentTests))]
public sealed class DeleteCostTests
{
    private const long Size = 64L << 20;

    [Fact]
    public void The_store_database_uses_incremental_auto_vacuum_and_does_not_zero_freed_pages()
    {
        using var f = new StoreFixture();
        using var db = SqliteDatabase.Open(f.PrivDb);
        Assert.Equal(2L, db.Scalar("PRAGMA auto_vacuum;"));
        Assert.Equal(0L, db.Scalar("PRAGMA secure_delete;"));
    }

    [Fact]
    public void Deleting_a_message_with_a_64_MiB_attachment_reads_far_less_than_the_attachment()
    {
        if (!File.Exists("/proc/self/io")) Assert.Skip("needs /proc/self/io (Linux)");
        using var f = new StoreFixture();
        var m = SampleMessages.Simple("big");
        m.Attachments.Add(new MapiAttachment { Method = AttachMethod.ByValue, Data = new GeneratedContent(GeneratedContentKind.Binary, Size, seed: 7) });
        var q = f.Queue("MTS-OUT");
        var id = q.AddMessage(m);
        var version = q.ListMessages().Single().Version;

        var before = BytesRead();
        Assert.True(q.DeleteIfUnchanged(id, version));
        var read = BytesRead() - before;

        Assert.Empty(q.ListMessages());
        Assert.True(read < Size / 8, $"deleting the message read {read:N0} bytes; its attachment has {Size:N0}");
    }

    private static long BytesRead() =>
        long.Parse(File.ReadLines("/proc/self/io").First(l => l.StartsWith("rchar:", StringComparison.Ordinal))[6..].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
}
