using System.Text;
using Imc.Formats.Reg;
using Imc.Server.Directory;
using Imc.Server.Gateway;
using Imc.Server.Registry;
using Imc.Server.Setup;
using Imc.Testing;

namespace Imc.Server.Tests.Setup;

public sealed class ImcInstallerTests : IDisposable
{
    private const string Service = @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSExchangeIMC";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private (ServerLayout Layout, RegistryStore Registry, DirectoryStore Directory) NewServer(string name, InstallOptions? options = null)
    {
        var layout = new ServerLayout(_temp.Combine(name));
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(layout.DirectoryDb)!);
        var registry = new RegistryStore(SqliteDatabase.Open(layout.RegistryDb, create: true));
        var directory = new DirectoryStore(SqliteDatabase.Open(layout.DirectoryDb, create: true));
        ImcInstaller.InstallRegistry(registry, layout, options ?? new InstallOptions());
        ImcInstaller.InstallDirectory(directory, options ?? new InstallOptions());
        return (layout, registry, directory);
    }

    /// <summary>The whole registry as text lines, with this server's own folder replaced so servers compare.</summary>
    private static List<string> Dump(RegistryStore registry, ServerLayout layout) =>
        RegistryPath.Roots.SelectMany(registry.ExportTree)
            .SelectMany(k => k.Values.Select(v => $"{k.Path} | {v.Name} | {v.Type} | {Convert.ToHexString(v.Data)}").Prepend(k.Path))
            .Select(line => line.Replace(Convert.ToHexString(Encoding.Unicode.GetBytes(layout.Root)), "<ROOT>", StringComparison.Ordinal))
            .ToList();

    [Fact]
    public void Two_servers_with_the_same_options_have_the_same_registry_and_directory()
    {
        var a = NewServer("a");
        var b = NewServer("b");
        using (a.Registry) using (a.Directory) using (b.Registry) using (b.Directory)
        {
            var dumpA = Dump(a.Registry, a.Layout);
            Assert.Equal(dumpA, Dump(b.Registry, b.Layout));
            Assert.True(dumpA.Count > 100);
            Assert.Contains(dumpA, l => l.Contains("| RootDir |", StringComparison.Ordinal) && l.Contains("<ROOT>", StringComparison.Ordinal));
            Assert.Equal(a.Directory.Search("/o=ORG", true).Select(Describe), b.Directory.Search("/o=ORG", true).Select(Describe));
        }
    }

    private static string Describe(DirectoryObject o) => $"{o.DistinguishedName} {o.ObjectClass} {string.Join(";", o.Attributes)}";

    [Fact]
    public void Different_names_give_a_different_account_SID_and_profile()
    {
        var other = new InstallOptions { ServerName = "EXCH2" };
        Assert.NotEqual(ImcInstaller.ServiceAccountSid(new InstallOptions()), ImcInstaller.ServiceAccountSid(other));
        Assert.NotEqual(ImcInstaller.ProfileName(new InstallOptions()), ImcInstaller.ProfileName(other));
        Assert.Equal(ImcInstaller.ProfileName(new InstallOptions { ServerName = "exch1" }), ImcInstaller.ProfileName(new InstallOptions()));
    }

    [Fact]
    public void Reinstalling_gives_the_same_IMC_keys_and_removes_stray_values()
    {
        var s = NewServer("s");
        using (s.Registry) using (s.Directory)
        {
            var before = Dump(s.Registry, s.Layout);
            s.Registry.SetValue(Service + @"\Parameters", RegValue.DWord("Stray", 1));
            s.Registry.CreateKey(Service + @"\Parameters\StrayKey");
            ImcInstaller.InstallRegistry(s.Registry, s.Layout, new InstallOptions());
            ImcInstaller.InstallDirectory(s.Directory, new InstallOptions());
            Assert.Equal(before, Dump(s.Registry, s.Layout));
        }
    }

    [Fact]
    public void The_IMC_service_tree_holds_every_registry_type_and_the_awkward_cases()
    {
        var s = NewServer("s");
        using (s.Registry) using (s.Directory)
        {
            var tree = s.Registry.ExportTree(Service);
            Assert.Equal([Service, Service + @"\Diagnostics", Service + @"\Parameters", Service + @"\Parameters\Extension", Service + @"\Performance"], tree.Select(k => k.Path));
            var values = tree.SelectMany(k => k.Values).ToList();
            uint[] types = [RegType.None, RegType.Sz, RegType.ExpandSz, RegType.Binary, RegType.DWord, RegType.DWordBigEndian, RegType.MultiSz, RegType.QWord, 0x20000];
            Assert.All(types, t => Assert.Contains(values, v => v.Type == t));
            Assert.Contains(values, v => v.Name.Contains('"', StringComparison.Ordinal));
            Assert.Contains(values, v => v.Name.Contains('\\', StringComparison.Ordinal));
            Assert.Contains(values, v => v.Name.Length == 0);
            Assert.Contains(values, v => v.Data.Length == 0);
            Assert.Contains(values, v => v.Type == RegType.MultiSz && v.AsMultiString()!.Count == 0);
            Assert.Contains(values, v => v.AsString()?.Contains('é', StringComparison.Ordinal) == true);
            var cp1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
            Assert.All(values.Where(v => v.AsString() is not null), v => Assert.Equal(v.AsString(), cp1252.GetString(cp1252.GetBytes(v.AsString()!))));
        }
    }

    [Fact]
    public void Service_values_are_those_of_an_Exchange_55_IMS()
    {
        var s = NewServer("s");
        using (s.Registry) using (s.Directory)
        {
            var svc = s.Registry;
            Assert.Equal("Microsoft Exchange Internet Mail Service", svc.GetValue(Service, "DisplayName")?.AsString());
            Assert.Equal(RegValue.ExpandString("ImagePath", @"%SystemDrive%\exchsrvr\connect\msexcimc\bin\msexcimc.exe"), svc.GetValue(Service, "ImagePath"));
            Assert.Equal(@"EXCH1\ExchangeService", svc.GetValue(Service, "ObjectName")?.AsString());
            Assert.Equal(2u, svc.GetValue(Service, "Start")?.AsDWord());
            Assert.Equal(0x10u, svc.GetValue(Service, "Type")?.AsDWord());
            Assert.Equal(["MSExchangeIS", "MSExchangeMTA", "TCPIP"], svc.GetValue(Service, "DependOnService")?.AsMultiString());
            var p = Service + @"\Parameters";
            Assert.Equal(s.Layout.ImcData, svc.GetValue(p, "RootDir")?.AsString());
            Assert.Equal("/o=ORG/ou=SITE", svc.GetValue(p, "SiteDN")?.AsString());
            Assert.Equal("Internet Mail Connector (EXCH1)", svc.GetValue(p, "CommonName")?.AsString());
            Assert.Equal("61DF5950-E40A-11ce-A2C9-00AA0040E865", svc.GetValue(p, "ObjectGUID")?.AsString());
            Assert.Equal(0xFu, svc.GetValue(p, "RouteCalculationInterval")?.AsDWord());
            Assert.Equal(0x00A00000u, svc.GetValue(p, "DiskSpaceLowWaterMark")?.AsDWord());
            Assert.Equal(
                ["1 Initialization/Termination", "2 Internal Processing", "3 SMTP Interface Events", "4 SMTP Protocol Log", "5 Message Archival", "6 Message Transfer"],
                svc.GetValues(Service + @"\Diagnostics").Select(v => v.Name));
            Assert.All(svc.GetValues(Service + @"\Diagnostics"), v => Assert.Equal(0u, v.AsDWord()));
            Assert.Equal(0x80360000u, svc.GetValue(p + @"\Extension", "InboundRecipJournalProp")?.AsDWord());
            Assert.All(ServerLayout.ImcDataFolders, f => Assert.True(System.IO.Directory.Exists(Path.Combine(s.Layout.ImcData, f)), f));
        }
    }

    [Fact]
    public void The_profile_is_a_gateway_profile_whose_mailbox_is_the_gateway()
    {
        var s = NewServer("s");
        using (s.Registry) using (s.Directory)
        {
            var id = ImcIdentity.Read(s.Registry);
            Assert.Equal(ImcInstaller.GatewayDn(new InstallOptions()), id.GatewayDn);
            Assert.Equal(ImcInstaller.ServiceAccountSid(new InstallOptions()), id.ServiceAccountSid);
            var profile = Assert.Single(id.ProfileKeyPaths);
            Assert.Equal(ImcInstaller.ProfileKeyPath(new InstallOptions()), profile);
            var sections = s.Registry.ExportTree(profile).Skip(1).ToList();
            Assert.All(sections, k => Assert.Matches(@"\\[0-9a-f]{32}$", k.Path));
            Assert.All(sections.SelectMany(k => k.Values), v =>
            {
                Assert.Equal(RegType.Binary, v.Type);
                Assert.Matches("^[0-9a-f]{8}$", v.Name);
            });
            var global = s.Registry.GetValues(profile + @"\13dbb0c8aa05101a9bb000aa002fc45a");
            Assert.Equal("EXCH1\0"u8.ToArray(), global.Single(v => v.Name == "001e6602").Data);
            Assert.Equal(new byte[] { 1, 5, 0, 0 }, global.Single(v => v.Name == "00036600").Data);
            var mailbox = sections.SelectMany(k => k.Values).Single(v => v.Name == "001e660b");
            Assert.Equal(Encoding.ASCII.GetBytes(id.GatewayDn + "\0"), mailbox.Data);
            Assert.Equal("MSExchangeIMC ", ImcInstaller.ProfileName(new InstallOptions())[..14]);
            // The account's ProfileList entry carries its binary SID, as Windows writes it.
            var sid = s.Registry.GetValue(ImcIdentity.ProfileListKeyPath + "\\" + id.ServiceAccountSid, "Sid")!.Data;
            Assert.Equal(new byte[] { 1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0 }, sid[..12]);
            Assert.Equal(28, sid.Length);
        }
    }

    [Fact]
    public void Non_IMC_keys_exist_beside_the_IMC()
    {
        var s = NewServer("s");
        using (s.Registry) using (s.Directory)
        {
            Assert.True(s.Registry.KeyExists(@"HKLM\SYSTEM\CurrentControlSet\Services\MSExchangeIS\ParametersSystem"));
            Assert.True(s.Registry.KeyExists(@"HKLM\SYSTEM\CurrentControlSet\Services\MSExchangeMTA\Parameters"));
            var id = ImcIdentity.Read(s.Registry);
            Assert.Contains("MS Exchange Settings", s.Registry.GetSubKeyNames(id.ProfilesKeyPath));
        }
    }

    [Fact]
    public void The_directory_has_the_containers_and_the_Mail_Gateway_object()
    {
        var s = NewServer("s");
        using (s.Registry) using (s.Directory)
        {
            foreach (var dn in new[] { "/o=ORG", "/o=ORG/ou=SITE", "/o=ORG/ou=SITE/cn=Configuration", "/o=ORG/ou=SITE/cn=Configuration/cn=Servers/cn=EXCH1", "/o=ORG/ou=SITE/cn=Configuration/cn=Connections" })
                Assert.NotNull(s.Directory.Get(dn));
            var gw = s.Directory.Get("/o=ORG/ou=SITE/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH1)");
            Assert.NotNull(gw);
            Assert.Equal("Mail-Gateway", gw.ObjectClass);
            Assert.Equal(DirectoryAttribute.String("Admin-Display-Name", "Internet Mail Service (EXCH1)"), gw.Get("Admin-Display-Name"));
            Assert.Equal(DirectoryAttribute.Integer("Delivery-Mechanism", 2), gw.Get("Delivery-Mechanism"));
            Assert.Equal(DirectoryAttribute.Binary("Deliv-Ext-Cont-Types", Convert.FromHexString("2A864886F7140501")), gw.Get("Deliv-Ext-Cont-Types"));
            Assert.Equal("/o=ORG/ou=SITE/cn=Configuration/cn=Servers/cn=EXCH1", gw.Get("Home-Server")?.FirstString);
            Assert.True(gw.Get("Extension-Data")!.Values.Count >= 2);
            Assert.Contains(gw.Get("Routing-List")!.Values, v => ((string)v).Contains('%', StringComparison.Ordinal));
            Assert.Contains('§', gw.Get("Connected-Domains")!.FirstString!);
            // Every attribute is stored with the syntax the schema gives it, so exports and imports agree.
            Assert.All(gw.Attributes, a => Assert.Equal(DirectorySchema.SyntaxOf(a.Name), a.Syntax));
            Assert.True(gw.Attributes.Count >= 20);
        }
    }

    [Theory]
    [InlineData("EX/1", "ORG", "SITE", @"The server name 'EX/1' cannot be used: a name must not be empty, start or end with a space, or contain '/', '=', '\' or control characters.")]
    [InlineData(@"EX\1", "ORG", "SITE", @"The server name 'EX\1' cannot be used: a name must not be empty, start or end with a space, or contain '/', '=', '\' or control characters.")]
    [InlineData("EXCH1", "O=RG", "SITE", "The organization name 'O=RG' cannot be used: a name must not be empty, start or end with a space, or contain '/', '=' or control characters.")]
    [InlineData("EXCH1", "ORG", "SI\nTE", "The site name 'SI\nTE' cannot be used: a name must not be empty, start or end with a space, or contain '/', '=' or control characters.")]
    [InlineData("EXCH1", "ORG", "", "The site name '' cannot be used: a name must not be empty, start or end with a space, or contain '/', '=' or control characters.")]
    [InlineData("EXCH1", " ORG", "SITE", "The organization name ' ORG' cannot be used: a name must not be empty, start or end with a space, or contain '/', '=' or control characters.")]
    public void Invalid_names_are_refused_before_anything_is_written(string server, string org, string site, string message)
    {
        var layout = new ServerLayout(_temp.Combine("bad"));
        System.IO.Directory.CreateDirectory(layout.Root);
        using var registry = new RegistryStore(SqliteDatabase.Open(layout.RegistryDb, create: true));
        var options = new InstallOptions { ServerName = server, Organization = org, Site = site };
        var e = Assert.Throws<ServerException>(() => ImcInstaller.InstallRegistry(registry, layout, options));
        Assert.Equal(message, e.Message);
        Assert.False(registry.KeyExists(Service));
        Assert.False(System.IO.Directory.Exists(layout.ImcData));
    }
}

public sealed class ExchangeServerIntegrationTests
{
    [Fact]
    public void A_server_created_and_installed_reopens_with_the_IMC_in_place()
    {
        using var temp = new TempDirectory();
        var layout = new ServerLayout(temp.Combine("srv"));
        using (var server = ExchangeServer.Open(layout, create: true))
        {
            ImcInstaller.InstallRegistry(server.Registry, layout, new InstallOptions());
            ImcInstaller.InstallDirectory(server.Directory, new InstallOptions());
        }
        using var again = ExchangeServer.Open(layout.Root);
        var id = ImcIdentity.Read(again.Registry);
        Assert.Equal("Mail-Gateway", again.Directory.Get(id.GatewayDn)?.ObjectClass);
        Assert.Equal(layout.ImcData, id.RootDir);
    }
}
