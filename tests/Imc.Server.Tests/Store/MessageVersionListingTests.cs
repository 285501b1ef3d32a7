using Imc.Formats.Mapi;
using Imc.Server.Store;

namespace Imc.Server.Tests.Store;

public sealed class MessageVersionListingTests
{
    [Fact]
    public void The_lean_listing_is_the_full_listings_ids_and_versions_in_order_and_a_snapshot()
    {
        using var f = new StoreFixture();
        var q = f.Queue("MTS-OUT");
        var ids = Enumerable.Range(0, 5).Select(i => q.AddMessage(SampleMessages.Simple("m" + i))).ToList();
        f.Queue("Bad").AddMessage(SampleMessages.Simple("other queue"));
        q.SetProperty(ids[3], new MapiProperty(PropTags.Subject, "changed"));

        var lean = q.ListMessageVersions();
        Assert.Equal(q.ListMessages().Select(m => new MessageVersion(m.Id, m.Version)), lean);
        Assert.Equal(ids, lean.Select(m => m.Id));
        Assert.Equal([1L, 1, 1, 2, 1], lean.Select(m => m.Version));

        q.AddMessage(SampleMessages.Simple("late"));
        Assert.Equal(5, lean.Count);
        Assert.Equal(6, q.ListMessageVersions().Count);
        Assert.Empty(f.Queue("MTS-IN").ListMessageVersions());
    }
}
