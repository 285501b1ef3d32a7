using Imc.Backup.CommandLine;
using Imc.Backup.PackingList;
using Imc.Backup.Save;
using Imc.Formats.Mapi;
using Imc.Formats.Tnef;
using Imc.Server;
using Imc.Testing;

namespace Imc.Backup.Tests.Save;

public sealed class SaveEngineTests : IDisposable
{
    private readonly TempDirectory _temp = new("imc-save");
    private readonly ExchangeServer _server;
    private readonly string _out;

    public SaveEngineTests()
    {
        _server = TestServers.Create(_temp.Combine("server"));
        _out = _temp.Combine("out");
        System.IO.Directory.CreateDirectory(_out);
    }

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    private string Backup => Path.Combine(_out, "Backup");

    private SaveResult Save(bool delete = false, Func<SaveResult, bool>? confirm = null, IProgress<SaveProgress>? progress = null, params ImcItem[] items) =>
        new SaveEngine(_server).Run(new SaveOptions { OutputDirectory = _out, Items = items, Delete = delete, ConfirmDelete = confirm }, progress, TestContext.Current.CancellationToken);

    [Fact]
    public void Saves_every_item_with_a_packing_list_that_lists_every_file_and_message()
    {
        TestServers.AddMessages(_server, "MTS-OUT", 5);
        TestServers.AddMessages(_server, "MTS-IN", 3);
        Assert.True(_server.Store.FindMailbox(TestServers.GatewayDn)!.DeleteFolder("Work"));

        var result = Save();

        var list = PackingListReader.ReadFile(Path.Combine(Backup, "Imcfls"));
        Assert.Equal(["Registry", "Directory", "MTSIn", "MTSOut", "Bad", "ContentConversionFailed", "Work"], list.Items);
        Assert.Equal([("MTSIn", (int?)3), ("MTSOut", 5), ("Bad", 0), ("ContentConversionFailed", 0), ("Work", null)],
            list.Queues.Select(q => (q.Item, q.Count)));
        Assert.False(list.TransferEnabled);
        Assert.False(list.Delete);
        Assert.Equal(3 + 8, list.Files.Count);
        foreach (var f in list.Files)
        {
            var (size, sha) = FileDigest.Compute(Path.Combine(Backup, f.Path));
            Assert.Equal((f.Size, f.Sha256), (size, sha));
        }
        Assert.True(System.IO.Directory.Exists(Path.Combine(Backup, "Bad")));
        Assert.False(System.IO.Directory.Exists(Path.Combine(Backup, "Work")));
        Assert.Equal(12, result.FilesWritten);
        Assert.Equal(8, result.MessagesSaved);
        Assert.Null(result.Items.Single(i => i.Item == ImcItem.Work).Count);
        Assert.True(result.RoutingTurnedOff);
        Assert.False(_server.Store.GetTransferEnabled(TestServers.GatewayDn));
    }

    [Fact]
    public void Every_message_at_the_start_is_in_exactly_one_file_that_decodes_to_it()
    {
        TestServers.AddMessages(_server, "MTS-OUT", 6);
        TestServers.AddMessages(_server, "Bad", 2);
        Save();
        var list = PackingListReader.ReadFile(Path.Combine(Backup, "Imcfls"));
        foreach (var queue in new[] { "MTS-OUT", "Bad" })
        {
            var folder = TestServers.Queue(_server, queue);
            var infos = folder.ListMessages();
            var entries = list.Messages.Where(m => m.Folder == queue).ToList();
            Assert.Equal(infos.Count, entries.Count);
            for (var i = 0; i < infos.Count; i++)
            {
                Assert.Equal(infos[i].SearchKey, entries[i].SearchKey);
                var decoded = TnefReader.ReadFile(Path.Combine(Backup, entries[i].Path));
                Assert.Empty(MapiMessageComparer.Diff(folder.ReadMessage(infos[i].Id), decoded));
            }
        }
    }

    [Fact]
    public void An_existing_Backup_stops_the_run_and_changes_nothing()
    {
        TestServers.AddMessages(_server, "MTS-OUT", 2);
        System.IO.Directory.CreateDirectory(Backup);
        var ex = Assert.Throws<CommandException>(() => Save());
        Assert.Equal(ExitCodes.OutputExists, ex.ExitCode);
        Assert.Equal($"{Backup} already exists; imcsave never writes into an existing backup.", ex.Message);
        Assert.True(_server.Store.GetTransferEnabled(TestServers.GatewayDn));
        Assert.Empty(System.IO.Directory.EnumerateFileSystemEntries(Backup));
    }

    [Fact]
    public void A_missing_output_folder_is_a_clear_error()
    {
        var missing = _temp.Combine("nowhere");
        var ex = Assert.Throws<CommandException>(() => new SaveEngine(_server).Run(new SaveOptions { OutputDirectory = missing }, null, TestContext.Current.CancellationToken));
        Assert.Equal(ExitCodes.IoError, ex.ExitCode);
        Assert.Equal($"The output folder {missing} does not exist.", ex.Message);
    }

    [Fact]
    public void A_held_gateway_logon_stops_the_run_before_anything_is_created()
    {
        using var other = _server.Store.LogonGateway(TestServers.GatewayDn, "imcadmin");
        var ex = Assert.Throws<ServerException>(() => Save());
        Assert.StartsWith($"The gateway mailbox {TestServers.GatewayDn} is already logged on by imcadmin", ex.Message);
        Assert.Equal(ExitCodes.GatewayBusy, ex.ExitCode);
        Assert.False(System.IO.Directory.Exists(Backup));
    }

    [Fact]
    public void Registry_and_directory_alone_leave_routing_on_and_log_on_to_nothing()
    {
        using var other = _server.Store.LogonGateway(TestServers.GatewayDn, "imcadmin");
        var result = Save(items: [ImcItem.Registry, ImcItem.Directory]);
        Assert.True(result.TransferEnabled);
        Assert.Equal(["Imcfls", "Imcobj.csv", "Imcpro.reg", "Imcsvc.reg"],
            System.IO.Directory.GetFileSystemEntries(Backup).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(PackingListReader.ReadFile(Path.Combine(Backup, "Imcfls")).TransferEnabled);
    }

    [Fact]
    public void Backup_folders_are_0700_and_files_0600()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix modes");
            return;
        }
        TestServers.AddMessages(_server, "MTS-OUT", 2);
        Save();
        const UnixFileMode dir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(dir, File.GetUnixFileMode(Backup));
        Assert.Equal(dir, File.GetUnixFileMode(Path.Combine(Backup, "Mtsout")));
        foreach (var f in System.IO.Directory.EnumerateFiles(Backup, "*", SearchOption.AllDirectories))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f));
    }

    [Fact]
    public void Delete_removes_exactly_the_saved_messages_and_rewrites_the_packing_list()
    {
        TestServers.AddMessages(_server, "MTS-OUT", 4);
        TestServers.AddMessages(_server, "MTS-IN", 2);
        SaveResult? asked = null;
        var result = Save(delete: true, confirm: r => { asked = r; return true; });
        Assert.Equal(6, asked!.MessagesSaved);
        Assert.True(File.Exists(Path.Combine(Backup, "Imcfls")), "Imcfls exists before the question");
        Assert.Equal(6, result.Deleted);
        Assert.Empty(result.Kept);
        Assert.Empty(TestServers.Queue(_server, "MTS-OUT").ListMessages());
        Assert.Empty(TestServers.Queue(_server, "MTS-IN").ListMessages());
        var list = PackingListReader.ReadFile(Path.Combine(Backup, "Imcfls"));
        Assert.True(list.Delete);
        Assert.Equal((6, 0), (list.Deleted, list.Kept));
        Assert.False(File.Exists(Path.Combine(Backup, "Imcfls.tmp")));
    }

    [Fact]
    public void A_message_changed_between_save_and_delete_is_kept_and_reported()
    {
        var ids = TestServers.AddMessages(_server, "MTS-OUT", 3);
        var result = Save(delete: true, confirm: _ =>
        {
            // A second connection changes message 2 while imcsave waits for the answer.
            using var other = ExchangeServer.Open(_server.Layout.Root);
            TestServers.Queue(other, "MTS-OUT").SetProperty(ids[1], new MapiProperty(PropTags.Subject, "changed"));
            return true;
        });
        Assert.Equal(2, result.Deleted);
        var kept = Assert.Single(result.Kept);
        Assert.Equal(("Mtsout/00000002.tnef", "MTS-OUT", "the message changed in MTS-OUT (or left it) after it was saved"), (kept.File, kept.Folder, kept.Reason));
        Assert.Equal([ids[1]], TestServers.Queue(_server, "MTS-OUT").ListMessages().Select(m => m.Id));
        var list = PackingListReader.ReadFile(Path.Combine(Backup, "Imcfls"));
        Assert.Equal((2, 1), (list.Deleted, list.Kept));
    }

    [Fact]
    public void A_file_damaged_on_disk_before_delete_keeps_its_message()
    {
        TestServers.AddMessages(_server, "MTS-OUT", 2);
        var result = Save(delete: true, confirm: _ =>
        {
            var path = Path.Combine(Backup, "Mtsout", "00000001.tnef");
            var bytes = File.ReadAllBytes(path);
            bytes[^1] ^= 0xFF;
            File.WriteAllBytes(path, bytes);
            return true;
        });
        var kept = Assert.Single(result.Kept);
        Assert.Equal("the file read back does not have the SHA-256 it was written with", kept.Reason);
        Assert.Single(TestServers.Queue(_server, "MTS-OUT").ListMessages());
    }

    [Fact]
    public void Files_read_back_on_several_threads_keep_exactly_the_damaged_ones_reported_in_saved_order()
    {
        TestServers.AddMessages(_server, "MTS-IN", 70);
        TestServers.AddMessages(_server, "MTS-OUT", 70);
        var result = Save(delete: true, confirm: _ =>
        {
            var damaged = Path.Combine(Backup, "Mtsout", "00000061.tnef");
            var bytes = File.ReadAllBytes(damaged);
            bytes[10] ^= 0x01;
            File.WriteAllBytes(damaged, bytes);
            File.WriteAllBytes(Path.Combine(Backup, "Mtsin", "00000003.tnef"), [1, 2, 3]);
            File.Delete(Path.Combine(Backup, "Mtsout", "00000002.tnef"));
            return true;
        });
        Assert.Equal(["Mtsin/00000003.tnef", "Mtsout/00000002.tnef", "Mtsout/00000061.tnef"], result.Kept.Select(k => k.File));
        Assert.Equal(["MTS-IN", "MTS-OUT", "MTS-OUT"], result.Kept.Select(k => k.Folder));
        Assert.StartsWith("the file has 3 bytes; ", result.Kept[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("the file could not be read back (", result.Kept[1].Reason, StringComparison.Ordinal);
        Assert.Equal("the file read back does not have the SHA-256 it was written with", result.Kept[2].Reason);
        Assert.Equal(137, result.Deleted);
        Assert.Single(TestServers.Queue(_server, "MTS-IN").ListMessages());
        Assert.Equal(2, TestServers.Queue(_server, "MTS-OUT").ListMessages().Count);
    }

    [Fact]
    public void Declining_deletes_nothing()
    {
        TestServers.AddMessages(_server, "MTS-OUT", 3);
        var result = Save(delete: true, confirm: _ => false);
        Assert.True(result.DeleteDeclined);
        Assert.Equal(3, TestServers.Queue(_server, "MTS-OUT").ListMessages().Count);
        Assert.False(PackingListReader.ReadFile(Path.Combine(Backup, "Imcfls")).Delete);
    }

    [Fact]
    public void Mail_arriving_during_the_run_is_not_saved_not_deleted_and_not_routed_to_MTS_OUT()
    {
        TestServers.AddMessages(_server, "MTS-OUT", 3);
        TestServers.AddMessages(_server, "MTS-IN", 3);
        using var other = ExchangeServer.Open(_server.Layout.Root);
        var arrived = new List<long>();
        var progress = new Callback(p =>
        {
            if (p.Stage == SaveStage.Queue && p.Done == 1 && arrived.Count < 2)
            {
                arrived.Add(TestServers.Queue(other, "MTS-IN").AddMessage(TestServers.Message("late inbound " + arrived.Count)));
                Assert.True(other.Store.Mta.SubmitToInternet(TestServers.GatewayDn, TestServers.Message("late outbound " + arrived.Count)).IsHeld);
            }
        });
        var result = Save(delete: true, confirm: _ => true, progress: progress);
        Assert.Equal(6, result.Deleted);
        Assert.Equal(arrived, TestServers.Queue(_server, "MTS-IN").ListMessages().Select(m => m.Id));
        Assert.Empty(TestServers.Queue(_server, "MTS-OUT").ListMessages());
        Assert.Equal(2, _server.Store.Mta.HeldCount(TestServers.GatewayDn));
        var list = PackingListReader.ReadFile(Path.Combine(Backup, "Imcfls"));
        Assert.Equal(6, list.Messages.Count);
    }

    [Fact]
    public void Imcfls_is_byte_for_byte_what_the_packing_list_model_writes()
    {
        TestServers.AddMessages(_server, "MTS-OUT", 7);
        TestServers.AddMessages(_server, "Work", 3);
        var ids = TestServers.AddMessages(_server, "MTS-IN", 4);
        // A kept message too, so the rewritten list has Deleted and Kept.
        Save(delete: true, confirm: _ =>
        {
            using var other = ExchangeServer.Open(_server.Layout.Root);
            TestServers.Queue(other, "MTS-IN").SetProperty(ids[2], new MapiProperty(PropTags.Subject, "changed"));
            return true;
        });
        var path = Path.Combine(Backup, "Imcfls");
        var list = PackingListReader.ReadFile(path);
        Assert.Equal((13, 1), (list.Deleted, list.Kept));
        Assert.Equal(3 + 14, list.Files.Count);
        using var model = new MemoryStream();
        PackingListWriter.Write(list, model);
        Assert.Equal(model.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void The_spool_is_in_Backup_only_while_messages_are_saved_and_never_beside_Imcfls()
    {
        TestServers.AddMessages(_server, "MTS-OUT", 3);
        TestServers.AddMessages(_server, "Bad", 2);
        var spool = Path.Combine(Backup, "Imcfls.spool");
        var imcfls = Path.Combine(Backup, "Imcfls");
        var seenDuringSave = false;
        var progress = new Callback(p =>
        {
            Assert.False(File.Exists(spool) && File.Exists(imcfls), $"Imcfls.spool beside Imcfls at {p.Stage} {p.Done}/{p.Total}");
            if (p.Stage == SaveStage.Queue && p.Done > 0)
            {
                Assert.True(File.Exists(spool), $"no Imcfls.spool while {p.File} is saved");
                seenDuringSave = true;
            }
        });
        var result = Save(delete: true, confirm: _ =>
        {
            Assert.False(File.Exists(spool));
            Assert.True(File.Exists(imcfls));
            return true;
        }, progress: progress);
        Assert.True(seenDuringSave);
        Assert.Equal(5, result.Deleted);
        Assert.Equal(3 + 5 + 1, result.FilesWritten);
        Assert.Equal(["Bad", "ContentConversionFailed", "Imcfls", "Imcobj.csv", "Imcpro.reg", "Imcsvc.reg", "Mtsin", "Mtsout", "Work"],
            System.IO.Directory.GetFileSystemEntries(Backup).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(5, Imc.Backup.Verify.BackupVerifier.Verify(Backup, null, TestContext.Current.CancellationToken).MessageCount);
    }

    [Fact]
    public void Delete_reports_progress_queue_by_queue_from_the_spool()
    {
        TestServers.AddMessages(_server, "MTS-IN", 2);
        TestServers.AddMessages(_server, "Bad", 3);
        var deletes = new List<(string Item, int Done, int Total, string? File)>();
        var progress = new Callback(p =>
        {
            if (p.Stage == SaveStage.Delete) deletes.Add((p.Item, p.Done, p.Total, p.File));
        });
        var result = Save(delete: true, confirm: _ => true, progress: progress);
        Assert.Equal(5, result.Deleted);
        Assert.Equal(
        [
            ("MTSIn", 0, 2, null), ("MTSIn", 1, 2, "Mtsin/00000001.tnef"), ("MTSIn", 2, 2, "Mtsin/00000002.tnef"),
            ("Bad", 0, 3, null), ("Bad", 1, 3, "Bad/00000001.tnef"), ("Bad", 2, 3, "Bad/00000002.tnef"), ("Bad", 3, 3, "Bad/00000003.tnef"),
        ], deletes);
    }

    private sealed class Callback(Action<SaveProgress> action) : IProgress<SaveProgress>
    {
        public void Report(SaveProgress value) => action(value);
    }
}
