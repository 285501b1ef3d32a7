using Imc.Server.Gateway;
using Imc.Server.Tests.Store;

namespace Imc.Server.Tests.Gateway;

public sealed class MessageTransferAgentTests
{
    private const string Dn = StoreFixture.GatewayDn;

    [Fact]
    public void With_transfer_enabled_mail_goes_straight_into_MTS_OUT()
    {
        using var f = new StoreFixture();
        Assert.True(f.Store.GetTransferEnabled(Dn));
        var result = f.Store.Mta.SubmitToInternet(Dn, SampleMessages.Simple("direct"));
        Assert.Equal(RouteDestination.MtsOut, result.Destination);
        Assert.False(result.IsHeld);
        Assert.Equal([result.MessageId], f.Queue("MTS-OUT").ListMessages().Select(i => i.Id));
        Assert.Equal(0, f.Store.Mta.HeldCount(Dn));
    }

    [Fact]
    public void While_transfer_is_disabled_mail_is_held_and_enabling_releases_it_in_order()
    {
        using var f = new StoreFixture();
        f.Queue("MTS-OUT").AddMessage(SampleMessages.Simple("already queued"));
        f.Store.SetTransferEnabled(Dn, false);

        var held = Enumerable.Range(1, 4).Select(i => f.Store.Mta.SubmitToInternet(Dn, SampleMessages.Simple("held " + i))).ToList();
        Assert.All(held, r => Assert.Equal(RouteDestination.Held, r.Destination));
        Assert.Equal(["already queued"], f.Queue("MTS-OUT").ListMessages().Select(i => i.Subject));
        Assert.Equal(4, f.Store.Mta.HeldCount(Dn));
        Assert.Equal(["held 1", "held 2", "held 3", "held 4"], f.Store.Mta.ListHeld(Dn).Select(i => i.Subject));
        // The MTA's queue is not one of the gateway's folders.
        Assert.Equal(StoreFixture.Queues, f.Store.FindMailbox(Dn)!.FolderNames);
        Assert.Null(f.Store.FindMailbox(Dn)!.OpenFolder("MTA queue"));

        var store = f.Reopen();
        Assert.False(store.GetTransferEnabled(Dn));
        Assert.Equal(4, store.Mta.HeldCount(Dn));
        var entryIds = store.Mta.ListHeld(Dn).Select(i => Convert.ToHexString(i.EntryId)).ToList();

        store.SetTransferEnabled(Dn, true);
        Assert.True(store.GetTransferEnabled(Dn));
        Assert.Equal(0, store.Mta.HeldCount(Dn));
        var mtsOut = f.Queue("MTS-OUT").ListMessages();
        Assert.Equal(["already queued", "held 1", "held 2", "held 3", "held 4"], mtsOut.Select(i => i.Subject));
        Assert.Equal(held.Select(r => r.MessageId), mtsOut.Skip(1).Select(i => i.Id));
        Assert.Equal(entryIds, mtsOut.Skip(1).Select(i => Convert.ToHexString(i.EntryId)));

        var after = store.Mta.SubmitToInternet(Dn, SampleMessages.Simple("after"));
        Assert.Equal(RouteDestination.MtsOut, after.Destination);
        Assert.Equal("after", f.Queue("MTS-OUT").ListMessages()[^1].Subject);
        Assert.Equal("held 2", f.Queue("MTS-OUT").ReadMessage(held[1].MessageId).Subject);
    }

    [Fact]
    public void A_second_round_of_holding_and_releasing_keeps_the_order()
    {
        using var f = new StoreFixture();
        for (var round = 0; round < 2; round++)
        {
            f.Store.SetTransferEnabled(Dn, false);
            f.Store.Mta.SubmitToInternet(Dn, SampleMessages.Simple($"r{round} a"));
            f.Store.Mta.SubmitToInternet(Dn, SampleMessages.Simple($"r{round} b"));
            f.Store.SetTransferEnabled(Dn, true);
            f.Store.Mta.SubmitToInternet(Dn, SampleMessages.Simple($"r{round} c"));
        }
        Assert.Equal(["r0 a", "r0 b", "r0 c", "r1 a", "r1 b", "r1 c"], f.Queue("MTS-OUT").ListMessages().Select(i => i.Subject));
    }

    [Fact]
    public void Routing_to_an_unknown_gateway_names_it()
    {
        using var f = new StoreFixture();
        var e = Assert.Throws<ServerException>(() => f.Store.Mta.SubmitToInternet("/o=X/cn=nobody", SampleMessages.Simple("x")));
        Assert.Equal($"The mailbox /o=X/cn=nobody does not exist in the information store {f.PrivDb}.", e.Message);
        Assert.Equal("Is the Internet Mail Connector installed on this server? 'imcadmin setup' installs it.", e.Hint);
    }

    [Fact]
    public void Without_MTS_OUT_the_MTA_says_so()
    {
        using var f = new StoreFixture();
        f.Store.FindMailbox(Dn)!.DeleteFolder("MTS-OUT");
        var e = Assert.Throws<ServerException>(() => f.Store.Mta.SubmitToInternet(Dn, SampleMessages.Simple("x")));
        Assert.Equal($"The gateway mailbox {Dn} has no MTS-OUT folder, so the MTA cannot deliver to it.", e.Message);
    }
}
