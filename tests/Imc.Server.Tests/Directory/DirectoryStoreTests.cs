using Imc.Server.Directory;
using Imc.Testing;

namespace Imc.Server.Tests.Directory;

public sealed class DirectoryStoreTests : IDisposable
{
    private const string Site = "/o=Org/ou=Site";
    private const string Gw = "/o=Org/ou=Site/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH1)";
    private readonly TempDirectory _temp = new();
    private readonly DirectoryStore _dir;

    public DirectoryStoreTests() => _dir = Open();

    private DirectoryStore Open() => new(SqliteDatabase.Open(_temp.Combine("dir.db"), create: true));

    public void Dispose()
    {
        _dir.Dispose();
        _temp.Dispose();
    }

    private static DirectoryObject Gateway() => new(Gw, "Mail-Gateway",
    [
        DirectoryAttribute.String("Common-Name", "Internet Mail Connector (EXCH1)"),
        DirectoryAttribute.Integer("Delivery-Mechanism", 2),
        DirectoryAttribute.String("Routing-List", "SMTP:*;1", "SMTP:*.example.com;5", "SMTP:a%b@c;10", "123"),
        DirectoryAttribute.Integer("Numbers", 0, -1, long.MaxValue, long.MinValue),
        DirectoryAttribute.Binary("Extension-Data", [0x00, 0x01], [], [0xFF, 0x00, 0x7F]),
        DirectoryAttribute.String("Connected-Domains", "Org§Site§1§X400:c=US;a= ;p=Org;o=Site;"),
    ]);

    [Fact]
    public void Multi_values_of_every_syntax_round_trip_in_order()
    {
        _dir.Create(Gateway());
        using var again = Open();
        var read = again.Get(Gw);
        Assert.NotNull(read);
        Assert.Equal(Gw, read.DistinguishedName);
        Assert.Equal("Mail-Gateway", read.ObjectClass);
        Assert.Equal(Gateway().Attributes, read.Attributes);
        Assert.Equal(["Common-Name", "Delivery-Mechanism", "Routing-List", "Numbers", "Extension-Data", "Connected-Domains"], read.Attributes.Select(a => a.Name));
        // A string that looks like a number stays a string; integers come back as long, binaries as bytes.
        Assert.IsType<string>(read.Get("Routing-List")!.Values[3]);
        Assert.IsType<long>(read.Get("Delivery-Mechanism")!.Values[0]);
        Assert.Equal(Array.Empty<byte>(), Assert.IsType<byte[]>(read.Get("Extension-Data")!.Values[1]));
    }

    [Fact]
    public void DNs_and_attribute_names_compare_case_insensitively_and_keep_their_case()
    {
        _dir.Create(Gateway());
        var read = _dir.Get(Gw.ToUpperInvariant());
        Assert.Equal(Gw, read?.DistinguishedName);
        Assert.Equal("Common-Name", read?.Get("COMMON-NAME")?.Name);
        var e = Assert.Throws<ServerException>(() => _dir.Create(new DirectoryObject(Gw.ToLowerInvariant(), "Mail-Gateway")));
        Assert.Equal($"The directory object {Gw} already exists.", e.Message);
    }

    [Fact]
    public void Put_replaces_the_whole_object()
    {
        _dir.Create(Gateway());
        _dir.Put(new DirectoryObject(Gw.ToLowerInvariant(), "Other-Class", [DirectoryAttribute.String("Only", "x")]));
        var read = _dir.Get(Gw)!;
        Assert.Equal(Gw.ToLowerInvariant(), read.DistinguishedName);
        Assert.Equal("Other-Class", read.ObjectClass);
        Assert.Equal([DirectoryAttribute.String("Only", "x")], read.Attributes);
    }

    [Fact]
    public void SetAttribute_replaces_in_place_or_appends_and_empty_values_remove()
    {
        _dir.Create(Gateway());
        _dir.SetAttribute(Gw, DirectoryAttribute.Integer("ROUTING-LIST", 7));
        _dir.SetAttribute(Gw, DirectoryAttribute.Binary("Activation-Schedule", [0xFF, 0xFF]));
        _dir.SetAttribute(Gw, DirectoryAttribute.String("Numbers"));
        var read = _dir.Get(Gw)!;
        Assert.Equal(["Common-Name", "Delivery-Mechanism", "Routing-List", "Extension-Data", "Connected-Domains", "Activation-Schedule"], read.Attributes.Select(a => a.Name));
        Assert.Equal(DirectoryAttribute.Integer("Routing-List", 7), read.Get("routing-list"));
        Assert.Equal(DirectoryAttribute.Binary("Activation-Schedule", [0xFF, 0xFF]), read.Get("Activation-Schedule"));
    }

    [Fact]
    public void RemoveAttribute_and_Delete_report_whether_something_was_there()
    {
        _dir.Create(Gateway());
        Assert.True(_dir.RemoveAttribute(Gw, "numbers"));
        Assert.False(_dir.RemoveAttribute(Gw, "Numbers"));
        Assert.False(_dir.RemoveAttribute("/o=Org/cn=Nothing", "Numbers"));
        Assert.Null(_dir.Get(Gw)!.Get("Numbers"));
        Assert.True(_dir.Delete(Gw.ToUpperInvariant()));
        Assert.False(_dir.Delete(Gw));
        Assert.Null(_dir.Get(Gw));
        Assert.Equal(0L, _dir.Database.Scalar("SELECT (SELECT COUNT(*) FROM dir_attribute) + (SELECT COUNT(*) FROM dir_value)"));
    }

    [Fact]
    public void SetAttribute_on_a_missing_object_is_a_clear_error()
    {
        var e = Assert.Throws<ServerException>(() => _dir.SetAttribute("/o=Org/ou=Nope", DirectoryAttribute.String("A", "b")));
        Assert.Equal("The directory object /o=Org/ou=Nope does not exist.", e.Message);
    }

    [Fact]
    public void Values_of_the_wrong_type_and_bad_DNs_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => _dir.Create(new DirectoryObject(Gw, "Mail-Gateway",
            [new DirectoryAttribute("Delivery-Mechanism", AttributeSyntax.Integer, ["2"])])));
        Assert.Equal("Value 1 of the Integer attribute Delivery-Mechanism is String; expected Int64.", e.Message);
        var dup = Assert.Throws<ArgumentException>(() => _dir.Create(new DirectoryObject(Gw, "Mail-Gateway",
            [DirectoryAttribute.String("A", "1"), DirectoryAttribute.String("a", "2")])));
        Assert.Equal($"The directory object {Gw} has the attribute a twice.", dup.Message);
        var dn = Assert.Throws<ArgumentException>(() => _dir.Create(new DirectoryObject("o=Org", "Organization")));
        Assert.Equal("The DN 'o=Org' is not of the form /o=Org/ou=Site/cn=Name (components type=value separated by '/'). (Parameter 'dn')", dn.Message);
        Assert.Null(_dir.Get(Gw));
    }

    [Fact]
    public void Search_finds_children_or_the_whole_subtree_sorted_by_DN()
    {
        foreach (var dn in new[] { "/o=Org", Site, Site + "/cn=Configuration", Site + "/cn=Configuration/cn=Connections", Gw,
                     Site + "/cn=Configuration/cn=Connections/cn=Another", Site + "/cn=Configuration/cn=Servers", "/o=Org/ou=SiteB", "/o=Org/ou=Site2/cn=X" })
            _dir.Put(new DirectoryObject(dn, "Container"));
        Assert.Equal(["/o=Org/ou=Site", "/o=Org/ou=SiteB"], _dir.Search("/O=ORG", subtree: false).Select(o => o.DistinguishedName));
        Assert.Equal(
            [Site + "/cn=Configuration", Site + "/cn=Configuration/cn=Connections", Site + "/cn=Configuration/cn=Connections/cn=Another", Gw, Site + "/cn=Configuration/cn=Servers"],
            _dir.Search(Site, subtree: true).Select(o => o.DistinguishedName));
        Assert.Equal([Site + "/cn=Configuration/cn=Connections/cn=Another", Gw], _dir.Search(Site + "/cn=configuration/cn=connections", subtree: false).Select(o => o.DistinguishedName));
        Assert.Empty(_dir.Search(Gw, subtree: true));
    }

    [Fact]
    public void InTransaction_rolls_back_on_failure()
    {
        Assert.Throws<ServerException>(() => _dir.InTransaction(() =>
        {
            _dir.Put(Gateway());
            _dir.Create(Gateway());
        }));
        Assert.Null(_dir.Get(Gw));
    }
}
