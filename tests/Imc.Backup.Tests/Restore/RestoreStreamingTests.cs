using System.Text;
using Imc.Backup.CommandLine;
using Imc.Backup.PackingList;
using Imc.Backup.Restore;
using Imc.Backup.Save;
using Imc.Backup.Tests.Save;
using Imc.Backup.Verify;
using Imc.Server;
using Imc.Testing;

namespace Imc.Backup.Tests.Restore;

/// <summary>
/// Restore streams the entries from the packing list it verified, a checked chunk at a time: what it restores must be
/// what was verified, whatever happens to Imcfls meanwhile, and a list edited by hand (another order) still restores.
/// </summary>
public sealed class RestoreStreamingTests : IDisposable
{
    private readonly TempDirectory _temp = new("imc-restore-stream");
    private readonly string _backup;

    public RestoreStreamingTests()
    {
        var output = _temp.Combine("out");
        System.IO.Directory.CreateDirectory(output);
        using (var server = TestServers.Create(_temp.Combine("source")))
        {
            TestServers.AddMessages(server, "MTS-OUT", 150); // three chunks of entries
            TestServers.AddMessages(server, "MTS-IN", 5);
            new SaveEngine(server).Run(new SaveOptions { OutputDirectory = output, Items = ImcItem.All });
        }
        _backup = Path.Combine(output, "Backup");
    }

    public void Dispose() => _temp.Dispose();

    private string ListPath => Path.Combine(_backup, "Imcfls");

    private RestoreResult Restore(ExchangeServer target, IProgress<RestoreProgress>? progress = null, bool dryRun = false) =>
        new RestoreEngine(target).Run(new RestoreOptions { BackupDir = _backup, ConfirmOverwrite = _ => true, DryRun = dryRun }, progress, TestContext.Current.CancellationToken);

    [Fact]
    public void An_entry_changed_in_place_after_verification_is_refused_before_its_chunk_is_restored()
    {
        using var target = TestServers.Create(_temp.Combine("target"));
        // Overwrite (same file, same length) the search key of the 140th MTS-OUT message once verification is done.
        var text = File.ReadAllText(ListPath);
        var line = text.Split("\r\n").First(l => l.StartsWith("Mtsout/00000140.tnef=MTS-OUT ", StringComparison.Ordinal));
        var at = Encoding.UTF8.GetByteCount(text[..text.IndexOf(line, StringComparison.Ordinal)]) + line.Length - 1;
        var changed = false;
        var progress = new Synchronous(p =>
        {
            if (changed || p.Phase != RestorePhase.Registry) return;
            using var f = new FileStream(ListPath, FileMode.Open, FileAccess.ReadWrite);
            f.Position = at;
            var b = f.ReadByte();
            f.Position = at;
            f.WriteByte((byte)(b == '0' ? '1' : '0'));
            changed = true;
        });

        var e = Assert.Throws<BackupFormatException>(() => Restore(target, progress));

        Assert.True(changed);
        Assert.Equal("Imcfls: the file changed after it was verified (something else is writing to the backup)", e.Message);
        Assert.Equal(5, TestServers.Queue(target, "MTS-IN").GetStats().Count);
        // The batch holding the changed chunk was never committed: nothing of MTS-OUT is in the target.
        Assert.Equal(0, TestServers.Queue(target, "MTS-OUT").GetStats().Count);
    }

    [Fact]
    public void A_packing_list_edited_into_another_order_verifies_and_restores_every_message_once()
    {
        var list = PackingListReader.ReadFile(ListPath);
        var files = list.Files.ToList();
        var messages = list.Messages.ToList();
        list.Files.Clear();
        list.Files.AddRange(files.OrderByDescending(f => f.Path, StringComparer.Ordinal));
        list.Messages.Clear();
        list.Messages.AddRange(messages.OrderBy(m => m.SearchKeyHex, StringComparer.Ordinal));
        File.Delete(ListPath);
        PackingListWriter.WriteFile(list, ListPath);

        using (var verified = BackupVerifier.Verify(_backup, null, TestContext.Current.CancellationToken))
        {
            Assert.True(verified.List.HeldNames);
            Assert.Equal(155, verified.MessageCount);
        }
        using var target = TestServers.Create(_temp.Combine("target"));
        var first = Restore(target);
        Assert.Equal((155, 0), (first.MessagesAdded, first.MessagesSkipped));
        var again = Restore(target);
        Assert.Equal((0, 155), (again.MessagesAdded, again.MessagesSkipped));
    }

    [Fact]
    public void A_list_as_imcsave_writes_it_is_checked_without_holding_names_and_its_index_holds_no_entries()
    {
        using var verified = BackupVerifier.Verify(_backup, null, TestContext.Current.CancellationToken);
        Assert.False(verified.List.HeldNames);
        Assert.Empty(verified.List.Header.Files);
        Assert.Empty(verified.List.Header.Messages);
        Assert.Equal(150, verified.List.MessageCountOf(BackupLayout.Queues.Single(q => q.Item == "MTSOut")));
    }

    [Fact]
    public void Dry_run_counts_from_the_stream_what_a_real_run_then_does()
    {
        using var target = TestServers.Create(_temp.Combine("target"));
        var dry = Restore(target, dryRun: true);
        Assert.Equal((155, 0), (dry.MessagesAdded, dry.MessagesSkipped));
        var real = Restore(target);
        Assert.Equal(dry.Queues.Select(q => (q.Item, q.Added)), real.Queues.Select(q => (q.Item, q.Added)));
    }

    /// <summary>Runs <paramref name="change"/> once, when verification is over and the restore begins writing.</summary>
    private static Synchronous AfterVerification(Action change)
    {
        var done = false;
        return new Synchronous(p =>
        {
            if (done || p.Phase != RestorePhase.Registry) return;
            change();
            done = true;
        });
    }

    private string MessageFile(string name) => Path.Combine(_backup, "Mtsout", name);

    [Fact]
    public void A_message_file_replaced_after_verification_is_refused_and_its_batch_is_not_committed()
    {
        using var target = TestServers.Create(_temp.Combine("target"));
        // Another message's file in its place: valid TNEF, but not the message the list names.
        var progress = AfterVerification(() => File.Copy(MessageFile("00000001.tnef"), MessageFile("00000140.tnef"), overwrite: true));

        var e = Assert.Throws<BackupFormatException>(() => Restore(target, progress));

        Assert.Equal("Mtsout/00000140.tnef: the file changed after it was verified (its PR_SEARCH_KEY differs)", e.Message);
        Assert.Equal(0, TestServers.Queue(target, "MTS-OUT").GetStats().Count);
    }

    [Fact]
    public void A_message_file_damaged_after_verification_is_refused_with_the_readers_reason()
    {
        using var target = TestServers.Create(_temp.Combine("target"));
        var progress = AfterVerification(() => File.WriteAllBytes(MessageFile("00000007.tnef"), [0x78, 0x9F, 0x3E, 0x22, 0x00]));

        var e = Assert.Throws<BackupFormatException>(() => Restore(target, progress));

        Assert.StartsWith("Mtsout/00000007.tnef: the file changed after it was verified: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, TestServers.Queue(target, "MTS-OUT").GetStats().Count);
    }

    [Fact]
    public void On_a_second_run_the_files_of_messages_already_restored_are_not_needed()
    {
        using var target = TestServers.Create(_temp.Combine("target"));
        Restore(target);
        // Gone after verification: the second run must not need them, as every message is already in its queue.
        var progress = AfterVerification(() =>
        {
            foreach (var f in System.IO.Directory.GetFiles(Path.Combine(_backup, "Mtsout"))) File.Delete(f);
        });

        var again = Restore(target, progress);

        Assert.Equal((0, 155), (again.MessagesAdded, again.MessagesSkipped));
        Assert.Equal(150, TestServers.Queue(target, "MTS-OUT").GetStats().Count);
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool, too late).</summary>
    private sealed class Synchronous(Action<RestoreProgress> report) : IProgress<RestoreProgress>
    {
        public void Report(RestoreProgress value) => report(value);
    }
}
