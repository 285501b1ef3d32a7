using System.Text.Json;
using Imc.Backup.Directory;
using Imc.Backup.PackingList;
using Imc.Formats.Csv;
using Imc.Formats.Mapi;
using Imc.Formats.Reg;
using Imc.Formats.Tnef;
using Imc.Server;
using Imc.Server.Gateway;
using Imc.Server.Registry;
using Imc.Testing;
using TnefComplianceStatus = MimeKit.Tnef.TnefComplianceStatus;
using TnefAttributeTag = MimeKit.Tnef.TnefAttributeTag;
using TnefReader = Imc.Formats.Tnef.TnefReader;

namespace Imcsave.Tests;

/// <summary>imcsave end to end: the real executable on real sample servers.</summary>
public sealed class ImcsaveTests
{
    private static readonly string[] AllTopLevel = ["Bad", "ContentConversionFailed", "Imcfls", "Imcobj.csv", "Imcpro.reg", "Imcsvc.reg", "Mtsin", "Mtsout", "Work"];

    private static string[] TopLevel(string backup) =>
        [.. System.IO.Directory.GetFileSystemEntries(backup).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal)];

    [Fact]
    public void Help_shows_the_usage_items_and_exit_codes()
    {
        var r = ToolRunner.Run("imcsave", ["-HELP"]);
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Usage: IMCSAVE [-output SaveDir] [-save Item [Item]...] [-delete] [-help]", r.Stdout);
        Assert.Contains("Con[tentConversionFailed]", r.Stdout);
        Assert.Contains("Exit codes:", r.Stdout);
        Assert.Contains("  7    deletion declined", r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Theory]
    [InlineData("reg", new[] { "Imcpro.reg", "Imcsvc.reg" })]
    [InlineData("REGIS", new[] { "Imcpro.reg", "Imcsvc.reg" })]
    [InlineData("Registry", new[] { "Imcpro.reg", "Imcsvc.reg" })]
    [InlineData("dir", new[] { "Imcobj.csv" })]
    [InlineData("DIRECTORY", new[] { "Imcobj.csv" })]
    [InlineData("mtsi", new[] { "Mtsin" })]
    [InlineData("MTSIn", new[] { "Mtsin" })]
    [InlineData("mtso", new[] { "Mtsout" })]
    [InlineData("mtsou", new[] { "Mtsout" })]
    [InlineData("bad", new[] { "Bad" })]
    [InlineData("con", new[] { "ContentConversionFailed" })]
    [InlineData("contentconv", new[] { "ContentConversionFailed" })]
    [InlineData("ContentConversionFailed", new[] { "ContentConversionFailed" })]
    [InlineData("WORK", new[] { "Work" })]
    public void Each_item_and_abbreviation_saves_exactly_its_files(string word, string[] expected)
    {
        using var f = new ImcsaveFixture(samples: 20);
        var r = f.Run("-SAVE", word, "-quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal([.. expected.Append("Imcfls").Order(StringComparer.Ordinal)], TopLevel(f.Backup));
        var list = PackingListReader.ReadFile(Path.Combine(f.Backup, "Imcfls"));
        Assert.Single(list.Items);
    }

    [Fact]
    public void Several_items_and_no_save_option_mean_all_items()
    {
        using var f = new ImcsaveFixture(samples: 10);
        var r = f.Run("-s", "mtso", "reg", "-q");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["Imcfls", "Imcpro.reg", "Imcsvc.reg", "Mtsout"], TopLevel(f.Backup));
        Directory.Delete(f.Backup, recursive: true);
        r = f.Run("-q");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(AllTopLevel, TopLevel(f.Backup));
    }

    [Fact]
    public void An_unknown_item_is_a_usage_error()
    {
        using var f = new ImcsaveFixture();
        var r = f.Run("-save", "mts");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("imcsave: ambiguous item 'mts' could be MTSI[n] or MTSO[ut].", r.Stderr);
        Assert.False(Directory.Exists(f.Backup));
    }

    [Fact]
    public void Without_output_Backup_goes_into_the_IMCs_RootDir()
    {
        using var f = new ImcsaveFixture(samples: 3);
        var r = f.Run(output: false, "-quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        var rootDir = new ServerLayout(f.ServerPath).ImcData;
        Assert.True(File.Exists(Path.Combine(rootDir, "Backup", "Imcfls")));
    }

    [Fact]
    public void An_existing_Backup_stops_imcsave_and_changes_nothing()
    {
        using var f = new ImcsaveFixture(samples: 5);
        Directory.CreateDirectory(f.Backup);
        var before = f.DatabaseHashes();
        var r = f.Run();
        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"imcsave: {f.Backup} already exists; imcsave never writes into an existing backup.", r.Stderr.Split('\n')[0].TrimEnd('\r'));
        Assert.Equal("", r.Stdout);
        Assert.Equal(before, f.DatabaseHashes());
        Assert.Empty(Directory.EnumerateFileSystemEntries(f.Backup));
    }

    [Fact]
    public void A_missing_IMC_or_server_is_a_clear_error()
    {
        using var f = new ImcsaveFixture();
        using (var server = f.Open()) server.Registry.DeleteKey(ImcIdentity.ServiceKeyPath);
        var r = f.Run();
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("imcsave: ", r.Stderr);
        Assert.Contains(ImcIdentity.ServiceKeyPath, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.False(Directory.Exists(f.Backup));

        var nowhere = f.Combine("no-server");
        r = ToolRunner.Run("imcsave", ["-server", nowhere]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"imcsave: No server at {nowhere} (registry.db is missing).", r.Stderr);
    }

    [Fact]
    public void Json_output_matches_the_packing_list_and_records_absent_and_empty_queues()
    {
        using var f = new ImcsaveFixture();
        using (var server = f.Open())
        {
            Imc.Server.Setup.ServerSetup.AddSamples(server, 7, 3, queue: "MTS-OUT");
            Assert.True(server.Store.FindMailbox(f.GatewayDn)!.DeleteFolder("Work"));
        }
        var r = f.Run("-json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.Stdout);
        var root = json.RootElement;
        Assert.Equal(f.Backup, root.GetProperty("backup").GetString());
        Assert.False(root.GetProperty("transferEnabled").GetBoolean());
        Assert.Equal(0, root.GetProperty("deleted").GetInt32());
        Assert.Equal(0, root.GetProperty("kept").GetInt32());
        var list = PackingListReader.ReadFile(Path.Combine(f.Backup, "Imcfls"));
        Assert.Equal(list.Files.Count + 1, root.GetProperty("files").GetInt32());
        var items = root.GetProperty("items").EnumerateArray().ToDictionary(e => e.GetProperty("item").GetString()!);
        Assert.Equal(list.Items, items.Keys);
        foreach (var q in list.Queues)
        {
            var count = items[q.Item].GetProperty("count");
            if (q.Count is null) Assert.Equal(JsonValueKind.Null, count.ValueKind);
            else Assert.Equal(q.Count, count.GetInt32());
            var bytes = list.Files.Where(x => list.Messages.Any(m => m.Path == x.Path && BackupLayout.QueueByStoreFolder(m.Folder)!.Item == q.Item)).Sum(x => x.Size);
            Assert.Equal(bytes, items[q.Item].GetProperty("bytes").GetInt64());
        }
        Assert.Equal(7, items["MTSOut"].GetProperty("count").GetInt32());
        Assert.Equal(0, items["MTSIn"].GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, items["Work"].GetProperty("count").ValueKind);
        Assert.Equal("Work=absent", File.ReadAllLines(Path.Combine(f.Backup, "Imcfls")).Single(l => l.StartsWith("Work=")));
        Assert.True(Directory.Exists(Path.Combine(f.Backup, "Mtsin")));
        Assert.False(Directory.Exists(Path.Combine(f.Backup, "Work")));
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void Every_message_is_in_exactly_one_file_that_decodes_back_to_it()
    {
        using var f = new ImcsaveFixture(samples: 60, seed: 11);
        var r = f.Run("-quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        var list = PackingListReader.ReadFile(Path.Combine(f.Backup, "Imcfls"));
        foreach (var file in list.Files)
            Assert.Equal((file.Size, file.Sha256), FileDigest.Compute(Path.Combine(f.Backup, file.Path)));
        using var server = f.Open();
        var mailbox = server.Store.FindMailbox(f.GatewayDn)!;
        var total = 0;
        foreach (var queue in BackupLayout.Queues)
        {
            var folder = mailbox.OpenFolder(queue.StoreFolder)!;
            var infos = folder.ListMessages();
            var entries = list.Messages.Where(m => m.Folder == queue.StoreFolder).ToList();
            Assert.Equal(infos.Count, entries.Count);
            Assert.Equal(infos.Select(i => Convert.ToHexString(i.SearchKey)), entries.Select(e => e.SearchKeyHex));
            for (var i = 0; i < infos.Count; i++)
            {
                var path = Path.Combine(f.Backup, entries[i].Path);
                Assert.Empty(MapiMessageComparer.Diff(folder.ReadMessage(infos[i].Id), TnefReader.ReadFile(path)));
                AssertMimeKitCompliant(path);
                total++;
            }
        }
        Assert.Equal(60, total);
    }

    private static void AssertMimeKitCompliant(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new MimeKit.Tnef.TnefReader(stream, 0, MimeKit.Tnef.TnefComplianceMode.Strict);
        while (reader.ReadNextAttribute())
        {
            if (reader.AttributeTag is TnefAttributeTag.MapiProperties or TnefAttributeTag.Attachment or TnefAttributeTag.RecipientTable)
            {
                var props = reader.TnefPropertyReader;
                while (props.ReadNextRow()) while (props.ReadNextProperty()) _ = props.ReadValue();
                while (props.ReadNextProperty()) _ = props.ReadValue();
            }
        }
        Assert.Equal(TnefComplianceStatus.Compliant, reader.ComplianceStatus);
    }

    [Fact]
    public void Routing_stays_off_until_imcadmin_routing_on_releases_the_held_mail()
    {
        using var f = new ImcsaveFixture(samples: 5);
        var r = f.Run();
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Routing to the Internet Mail Connector is OFF", r.Stdout);
        Assert.Contains("'imcadmin routing on'", r.Stdout);
        int before;
        using (var server = f.Open())
        {
            before = server.Store.FindMailbox(f.GatewayDn)!.OpenFolder("MTS-OUT")!.ListMessages().Count;
            var routed = server.Store.Mta.SubmitToInternet(f.GatewayDn, Message("after imcsave"));
            Assert.True(routed.IsHeld);
            Assert.Equal(before, server.Store.FindMailbox(f.GatewayDn)!.OpenFolder("MTS-OUT")!.ListMessages().Count);
        }
        var admin = f.Admin("routing", "on");
        Assert.True(admin.ExitCode == 0, admin.ToString());
        using (var server = f.Open())
        {
            var subjects = server.Store.FindMailbox(f.GatewayDn)!.OpenFolder("MTS-OUT")!.ListMessages().Select(m => m.Subject).ToList();
            Assert.Equal(before + 1, subjects.Count);
            Assert.Contains("after imcsave", subjects);
            Assert.Equal(0, server.Store.Mta.HeldCount(f.GatewayDn));
        }
    }

    [Fact]
    public void Delete_yes_empties_exactly_the_saved_queues()
    {
        using var f = new ImcsaveFixture(samples: 25);
        var r = f.Run("-delete", "-yes", "-json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.Stdout);
        Assert.Equal(25, json.RootElement.GetProperty("deleted").GetInt32());
        using var server = f.Open();
        var mailbox = server.Store.FindMailbox(f.GatewayDn)!;
        foreach (var q in BackupLayout.Queues) Assert.Empty(mailbox.OpenFolder(q.StoreFolder)!.ListMessages());
        var list = PackingListReader.ReadFile(Path.Combine(f.Backup, "Imcfls"));
        Assert.True(list.Delete);
        Assert.Equal((25, 0, 25), (list.Deleted, list.Kept, list.Messages.Count));
    }

    [Fact]
    public void Delete_without_a_terminal_or_yes_keeps_everything_and_exits_7()
    {
        using var f = new ImcsaveFixture(samples: 8);
        var r = f.Run("-delete");
        Assert.Equal(7, r.ExitCode);
        Assert.Equal(
            "imcsave: -delete was not confirmed: no terminal to ask and no -yes. The backup is complete; nothing was deleted.",
            r.Stderr.Split('\n')[0].TrimEnd('\r'));
        using var server = f.Open();
        var mailbox = server.Store.FindMailbox(f.GatewayDn)!;
        Assert.Equal(8, BackupLayout.Queues.Sum(q => mailbox.OpenFolder(q.StoreFolder)!.ListMessages().Count));
        var list = PackingListReader.ReadFile(Path.Combine(f.Backup, "Imcfls"));
        Assert.False(list.Delete);
        Assert.Equal(8, list.Messages.Count);
    }

    [Fact]
    public void A_busy_gateway_exits_4_and_creates_nothing()
    {
        using var f = new ImcsaveFixture(samples: 2);
        using (var server = f.Open())
        using (server.Store.LogonGateway(f.GatewayDn, "a test"))
        {
            var r = f.Run();
            Assert.Equal(4, r.ExitCode);
            Assert.StartsWith($"imcsave: The gateway mailbox {f.GatewayDn} is already logged on by", r.Stderr);
        }
        Assert.False(Directory.Exists(f.Backup));
    }

    [Fact]
    public void Backup_is_private_even_with_umask_000()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix modes");
            return;
        }
        using var f = new ImcsaveFixture(samples: 6);
        var dll = Path.Combine(AppContext.BaseDirectory, "imcsave.dll");
        var r = ToolRunner.RunCommand("sh", ["-c", "umask 000; exec dotnet \"$0\" -server \"$1\" -output \"$2\" -quiet", dll, f.ServerPath, f.Output]);
        Assert.True(r.ExitCode == 0, r.ToString());
        const UnixFileMode dir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var d in Directory.EnumerateDirectories(f.Backup, "*", SearchOption.AllDirectories).Append(f.Backup))
            Assert.Equal(dir, File.GetUnixFileMode(d));
        var files = Directory.EnumerateFiles(f.Backup, "*", SearchOption.AllDirectories).ToList();
        Assert.True(files.Count >= 10);
        foreach (var file in files) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public void The_reg_files_reimport_to_the_same_keys_and_the_csv_to_the_same_object()
    {
        using var f = new ImcsaveFixture();
        var r = f.Run("-save", "reg", "dir", "-quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var server = f.Open();
        var identity = ImcIdentity.Read(server.Registry);
        using var empty = new RegistryStore(SqliteDatabase.Open(f.Combine("empty-registry.db"), create: true));
        empty.Import(RegReader.ReadFile(Path.Combine(f.Backup, "Imcsvc.reg")));
        empty.Import(RegReader.ReadFile(Path.Combine(f.Backup, "Imcpro.reg")));
        foreach (var key in identity.ProfileKeyPaths.Prepend(ImcIdentity.ServiceKeyPath))
        {
            var expected = server.Registry.ExportTree(key);
            var actual = empty.ExportTree(key);
            Assert.Equal(expected.Select(k => k.Path), actual.Select(k => k.Path));
            foreach (var (e, a) in expected.Zip(actual)) Assert.Equal(e.Values, a.Values);
        }

        var record = Assert.Single(DirectoryCsvReader.ReadFile(Path.Combine(f.Backup, "Imcobj.csv")));
        Assert.Equal(["Obj-Class", "Mode", "Directory Name", "Obj-Dist-Name"], record.Attributes.Take(4).Select(a => a.Name));
        var obj = GatewayObjectCsv.FromRecord(record);
        var original = server.Directory.Get(f.GatewayDn)!;
        Assert.Equal(original.DistinguishedName, obj.DistinguishedName);
        Assert.Equal(original.ObjectClass, obj.ObjectClass);
        Assert.Equal(original.Attributes, obj.Attributes);
    }

    [Fact]
    public void The_reg_files_import_with_hivexregedit_and_wine()
    {
        ExternalTools.Require("hivexregedit", "libhivex-bin");
        ExternalTools.Require("wine", "wine");
        using var f = new ImcsaveFixture();
        var r = f.Run("-save", "reg", "-quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        string sid;
        using (var server = f.Open()) sid = ImcIdentity.Read(server.Registry).ServiceAccountSid;
        var script = Path.Combine(TestPaths.SharedDir, "tools", "verify-reg.sh");
        foreach (var (file, prefix) in new[] { ("Imcsvc.reg", @"HKEY_LOCAL_MACHINE\SYSTEM"), ("Imcpro.reg", @"HKEY_USERS\" + sid) })
        {
            var v = ToolRunner.RunCommand("bash", [script, Path.Combine(f.Backup, file), prefix], timeout: TimeSpan.FromMinutes(4));
            Assert.True(v.ExitCode == 0, file + ": " + v);
            Assert.Contains("hivexregedit merge OK", v.Stdout);
        }
    }

    [Fact]
    public void A_full_disk_exits_6_leaves_the_backup_incomplete_and_deletes_nothing()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("A small tmpfs needs Linux.");
            return;
        }
        // A private mount namespace lets even an unprivileged user mount a 256 KiB tmpfs as the output folder.
        var unshare = ExternalTools.Require("unshare", "util-linux");
        using var f = new ImcsaveFixture();
        using (var server = f.Open()) Imc.Server.Setup.ServerSetup.AddSamples(server, 12, 5, queue: "MTS-OUT", attachmentSize: 64 * 1024);
        var dll = Path.Combine(AppContext.BaseDirectory, "imcsave.dll");
        const string script = """
            mount -t tmpfs -o size=256k tmpfs "$2" || exit 99
            dotnet "$0" -server "$1" -output "$2" -delete -yes
            rc=$?
            test -e "$2/Backup/Imcfls" && echo HAS_IMCFLS
            exit $rc
            """;
        var r = ToolRunner.RunCommand(unshare, ["--user", "--map-root-user", "--mount", "sh", "-c", script, dll, f.ServerPath, f.Output]);
        if (r.ExitCode == 99) Assert.Skip("This machine does not allow mounting a tmpfs in a user namespace: " + r.Stderr.Trim());
        Assert.Equal(6, r.ExitCode);
        var first = r.Stderr.Split('\n')[0].TrimEnd('\r');
        Assert.Matches($@"^imcsave: No space left on device while writing {System.Text.RegularExpressions.Regex.Escape(f.Backup)}/Mtsout/\d{{8}}\.tnef\.$", first);
        Assert.DoesNotContain("HAS_IMCFLS", r.Stdout);
        Assert.DoesNotContain("   at ", r.Stderr);
        using var check = f.Open();
        Assert.Equal(12, check.Store.FindMailbox(f.GatewayDn)!.OpenFolder("MTS-OUT")!.ListMessages().Count);
    }

    internal static MapiMessage Message(string subject)
    {
        var m = new MapiMessage();
        m.Properties.Set(PropTags.MessageClass, "IPM.Note");
        m.Properties.Set(PropTags.Subject, subject);
        m.Properties.Set(PropTags.Body, "text");
        m.Recipients.Add(new MapiRecipient(RecipientType.To, "Someone", "someone@example.com"));
        return m;
    }
}
