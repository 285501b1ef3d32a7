using System.Security.Cryptography;
using Imc.Backup.PackingList;
using Imc.Backup.Save;
using Imc.Testing;

namespace Imc.Backup.Tests.Save;

public sealed class PackingListSpoolTests
{
    [Fact]
    public void Messages_come_back_in_order_with_every_field_as_often_as_read()
    {
        using var dir = new TempDirectory("imc-spool");
        using var spool = new PackingListSpool(dir.Path);
        var written = new List<(QueueLayout Queue, int Number, long Id, long Version, long Size, byte[] Sha, byte[] Key)>();
        for (var i = 0; i < 3000; i++)
        {
            var queue = BackupLayout.Queues[i % BackupLayout.Queues.Count];
            // Search keys of any length, an empty one included; sizes beyond 4 GiB.
            written.Add((queue, i + 1, 1000L + i, i * 7L, (5L << 30) + i, SHA256.HashData(BitConverter.GetBytes(i)), RandomNumberGenerator.GetBytes(i % 300)));
        }
        foreach (var w in written) spool.Append(w.Queue, w.Number, w.Id, w.Version, w.Size, w.Sha, w.Key);
        Assert.Equal(3000, spool.Count);

        for (var pass = 0; pass < 2; pass++)
        {
            var read = spool.Read().ToList();
            Assert.Equal(written.Count, read.Count);
            for (var i = 0; i < read.Count; i++)
            {
                var (w, r) = (written[i], read[i]);
                Assert.Equal((w.Queue, w.Number, w.Id, w.Version, w.Size), (r.Queue, r.Number, r.Id, r.Version, r.Size));
                Assert.Equal(w.Sha, r.Sha256);
                Assert.Equal(w.Key, r.SearchKey);
                Assert.Equal(BackupLayout.MessagePath(w.Queue, w.Number), r.Path);
            }
        }
    }

    [Fact]
    public void Unlinking_removes_the_name_and_keeps_the_contents_readable()
    {
        using var dir = new TempDirectory("imc-spool");
        using var spool = new PackingListSpool(dir.Path);
        spool.Append(BackupLayout.Queues[1], 1, 42, 3, 100, new byte[32], [1, 2, 3]);
        Assert.Equal(Path.Combine(dir.Path, "Imcfls.spool"), spool.Path);
        Assert.True(File.Exists(spool.Path));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(spool.Path));
        spool.Unlink();
        Assert.Empty(System.IO.Directory.EnumerateFileSystemEntries(dir.Path));
        var m = Assert.Single(spool.Read());
        Assert.Equal((42L, 3L, 100L, "Mtsout/00000001.tnef"), (m.Id, m.Version, m.Size, m.Path));
        spool.Unlink(); // once is enough; again does nothing
    }

    [Fact]
    public void Nothing_can_be_appended_once_reading_began_and_only_one_reader_at_a_time()
    {
        using var dir = new TempDirectory("imc-spool");
        using var spool = new PackingListSpool(dir.Path);
        spool.Append(BackupLayout.Queues[0], 1, 1, 1, 1, new byte[32], [1]);
        using var reader = spool.Read().GetEnumerator();
        Assert.True(reader.MoveNext());
        Assert.Throws<InvalidOperationException>(() => spool.Read().ToList());
        Assert.Throws<InvalidOperationException>(() => spool.Append(BackupLayout.Queues[0], 2, 2, 1, 1, new byte[32], [1]));
    }

    [Fact]
    public void It_never_replaces_an_existing_file()
    {
        using var dir = new TempDirectory("imc-spool");
        File.WriteAllText(dir.Combine("Imcfls.spool"), "x");
        Assert.Throws<IOException>(() => new PackingListSpool(dir.Path));
        Assert.Equal("x", File.ReadAllText(dir.Combine("Imcfls.spool")));
    }
}
