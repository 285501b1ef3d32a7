using Imc.Formats.Mapi;
using Imc.Server.Gateway;
using Imc.Server.Setup;
using Imc.Testing;

namespace Imc.Server.Tests.Setup;

public sealed class ServerSetupTests : IDisposable
{
    private readonly TempDirectory _temp = new("server-setup");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Create_builds_the_layout_the_imc_and_the_gateway_mailbox_with_routing_on()
    {
        var path = _temp.Combine("s");
        using (var server = ServerSetup.Create(path, new InstallOptions { ServerName = "EXCH9", Organization = "Org", Site = "Site" }))
        {
            var layout = server.Layout;
            Assert.True(File.Exists(layout.RegistryDb));
            Assert.True(File.Exists(layout.DirectoryDb));
            Assert.True(File.Exists(layout.PrivateStoreDb));
            foreach (var f in ServerLayout.ImcDataFolders) Assert.True(System.IO.Directory.Exists(Path.Combine(layout.ImcData, f)), f);
            var id = ImcIdentity.Read(server.Registry);
            Assert.Equal("EXCH9", id.HomeDsa);
            var mailbox = server.Store.FindMailbox(id.GatewayDn);
            Assert.NotNull(mailbox);
            foreach (var q in ServerSetup.QueueFolders) Assert.NotNull(mailbox.OpenFolder(q));
            Assert.True(server.Store.GetTransferEnabled(id.GatewayDn));
        }
        using var reopened = ExchangeServer.Open(path);
        Assert.NotNull(reopened.Store.FindMailbox(ImcIdentity.Read(reopened.Registry).GatewayDn));
    }

    [Fact]
    public void Create_never_overwrites_a_server_or_a_part_of_one()
    {
        var path = _temp.Combine("s");
        ServerSetup.Create(path, new InstallOptions()).Dispose();
        var ex = Assert.Throws<ServerException>(() => ServerSetup.Create(path, new InstallOptions()));
        Assert.Equal($"A server already exists at {Path.GetFullPath(path)}; it is never overwritten.", ex.Message);
        Assert.Equal(3, ex.ExitCode);

        var partial = _temp.Combine("p");
        var store = Path.Combine(partial, "exchsrvr", "mdbdata", "priv.db");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(store)!);
        File.WriteAllText(store, "not a database");
        ex = Assert.Throws<ServerException>(() => ServerSetup.Create(partial, new InstallOptions()));
        Assert.Equal($"{Path.GetFullPath(partial)} already holds part of a server ({store}); it is never overwritten.", ex.Message);
        Assert.Equal("not a database", File.ReadAllText(store));
        Assert.False(File.Exists(Path.Combine(partial, "registry.db")));
    }

    [Fact]
    public void Create_accepts_an_existing_empty_folder()
    {
        var path = _temp.Combine("empty");
        System.IO.Directory.CreateDirectory(path);
        ServerSetup.Create(path, new InstallOptions()).Dispose();
        Assert.True(new ServerLayout(path).Exists);
    }

    [Fact]
    public void AddSamples_stores_exactly_the_generated_messages_in_their_queues()
    {
        using var server = ServerSetup.Create(_temp.Combine("s"), new InstallOptions());
        var reports = new List<int>();
        var added = ServerSetup.AddSamples(server, 1200, seed: 5, progress: new SyncProgress(reports.Add));
        Assert.Equal(1200, added.Values.Sum());
        // A batch ends after 500 messages or 64 MB of attachments, whichever comes first.
        Assert.Equal(1200, reports[^1]);
        Assert.InRange(reports.Count, 3, 10);
        Assert.Equal(reports.Order(), reports);
        Assert.All(reports.Zip(reports.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 1, ServerSetup.BatchSize));

        var id = ImcIdentity.Read(server.Registry);
        var mailbox = server.Store.FindMailbox(id.GatewayDn)!;
        var expected = new SampleGenerator(5) { Organization = id.Organization, Site = id.Site }.Generate(1200).ToList();
        foreach (var q in ServerSetup.QueueFolders)
        {
            var folder = mailbox.OpenFolder(q)!;
            Assert.Equal(added[q], folder.GetStats().Count);
            var stored = folder.ListMessages();
            var wanted = expected.Where(e => e.Queue == q).Select(e => e.Message).ToList();
            Assert.Equal(wanted.Select(m => Convert.ToHexString(m.SearchKey!)), stored.Select(s => Convert.ToHexString(s.SearchKey)));
            // Compare a few in full: everything the generator made comes back (the store adds PR_ENTRYID).
            var comparer = new MapiMessageComparer { IgnoreTags = new HashSet<PropTag> { PropTags.EntryId } };
            foreach (var i in new[] { 0, wanted.Count / 2, wanted.Count - 1 }.Distinct())
                Assert.Empty(comparer.Compare(wanted[i], folder.ReadMessage(stored[i].Id)));
        }
    }

    [Fact]
    public void AddSamples_into_one_queue_with_a_fixed_attachment()
    {
        using var server = ServerSetup.Create(_temp.Combine("s"), new InstallOptions());
        var added = ServerSetup.AddSamples(server, 2, seed: 1, queue: "Work", attachmentSize: 3 << 20);
        Assert.Equal(2, added["Work"]);
        Assert.Equal(0, added["MTS-OUT"]);
        var folder = server.Store.FindMailbox(ImcIdentity.Read(server.Registry).GatewayDn)!.OpenFolder("Work")!;
        foreach (var info in folder.ListMessages())
        {
            var m = folder.ReadMessage(info.Id);
            Assert.Equal(3 << 20, Assert.Single(m.Attachments).Data!.Length);
            Assert.True(info.Size > 3 << 20);
        }
    }

    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
