using Imc.Server.Directory;

namespace Imc.Server.Tests.Directory;

public sealed class ExchangeDnTests
{
    [Fact]
    public void Builds_the_DNs_of_an_Exchange_site()
    {
        var site = ExchangeDn.Site("ORG", "SITE");
        Assert.Equal("/o=ORG/ou=SITE", site);
        Assert.Equal("/o=ORG/ou=SITE/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH1)", ExchangeDn.Gateway(site, "Internet Mail Connector (EXCH1)"));
        Assert.Equal("/o=ORG/ou=SITE/cn=Configuration/cn=Servers/cn=EXCH1", ExchangeDn.Server(site, "EXCH1"));
        Assert.Equal("/o=ORG/ou=SITE/cn=Configuration/cn=Servers/cn=EXCH1/cn=Microsoft MTA", ExchangeDn.Mta(site, "EXCH1"));
    }

    [Fact]
    public void Parses_sites_and_names()
    {
        Assert.Equal(("My Org", "Main Site"), ExchangeDn.ParseSite("/O=My Org/OU=Main Site"));
        Assert.Equal("Internet Mail Connector (EXCH1)", ExchangeDn.CommonName("/o=A/ou=B/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH1)"));
        Assert.Equal("/o=A/ou=B", ExchangeDn.Parent("/o=A/ou=B/cn=C"));
        Assert.Null(ExchangeDn.Parent("/o=A"));
        Assert.True(ExchangeDn.IsBelow("/o=A/ou=B/cn=C", "/O=a/OU=b"));
        Assert.False(ExchangeDn.IsBelow("/o=A/ou=BB", "/o=A/ou=B"));
    }

    [Theory]
    [InlineData("/o=Org")]
    [InlineData("/o=Org/ou=Site/cn=X")]
    [InlineData("/ou=Site/o=Org")]
    [InlineData("o=Org/ou=Site")]
    [InlineData("/o=Org/ou=")]
    public void Rejects_what_is_not_a_site_DN(string dn)
    {
        var e = Assert.Throws<ArgumentException>(() => ExchangeDn.ParseSite(dn));
        Assert.Equal($"The site DN '{dn}' is not of the form /o=Organization/ou=Site. (Parameter 'siteDn')", e.Message);
    }

    [Theory]
    [InlineData("EXCH1", true)]
    [InlineData("My Org (Paris)", true)]
    [InlineData("a/b", false)]
    [InlineData("a=b", false)]
    [InlineData("tab\there", false)]
    [InlineData("", false)]
    public void Knows_which_names_fit_in_a_DN(string name, bool valid) => Assert.Equal(valid, ExchangeDn.IsValidName(name));

    [Fact]
    public void Schema_knows_the_syntax_of_gateway_attributes()
    {
        Assert.Equal(AttributeSyntax.Integer, DirectorySchema.SyntaxOf("delivery-mechanism"));
        Assert.Equal(AttributeSyntax.Binary, DirectorySchema.SyntaxOf("Extension-Data"));
        Assert.Equal(AttributeSyntax.Binary, DirectorySchema.SyntaxOf("Deliv-Ext-Cont-Types"));
        Assert.Equal(AttributeSyntax.String, DirectorySchema.SyntaxOf("Routing-List"));
        Assert.Equal(AttributeSyntax.String, DirectorySchema.SyntaxOf("Some-Unknown-Attribute"));
    }
}
