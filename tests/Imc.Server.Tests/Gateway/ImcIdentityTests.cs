using Imc.Formats.Reg;
using Imc.Server.Gateway;
using Imc.Server.Registry;
using Imc.Server.Setup;
using Imc.Testing;

namespace Imc.Server.Tests.Gateway;

public sealed class ImcIdentityTests : IDisposable
{
    private const string Params = @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSExchangeIMC\Parameters";
    private const string Service = @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSExchangeIMC";
    private readonly TempDirectory _temp = new();
    private readonly ServerLayout _layout;
    private readonly RegistryStore _reg;

    public ImcIdentityTests()
    {
        _layout = new ServerLayout(_temp.Combine("server"));
        System.IO.Directory.CreateDirectory(_layout.Root);
        _reg = new RegistryStore(SqliteDatabase.Open(_layout.RegistryDb, create: true));
    }

    public void Dispose()
    {
        _reg.Dispose();
        _temp.Dispose();
    }

    private void Install(InstallOptions? options = null) => ImcInstaller.InstallRegistry(_reg, _layout, options ?? new InstallOptions());

    [Fact]
    public void Reads_the_identity_setup_installed()
    {
        Install(new InstallOptions { ServerName = "MAIL7", Organization = "Contoso", Site = "Paris" });
        var id = ImcIdentity.Read(_reg);
        Assert.Equal(_layout.ImcData, id.RootDir);
        Assert.Equal("MAIL7", id.HomeDsa);
        Assert.Equal("/o=Contoso/ou=Paris", id.SiteDn);
        Assert.Equal("Contoso", id.Organization);
        Assert.Equal("Paris", id.Site);
        Assert.Equal("Internet Mail Connector (MAIL7)", id.CommonName);
        Assert.Equal("61DF5950-E40A-11ce-A2C9-00AA0040E865", id.ObjectGuid);
        Assert.Equal(@"MAIL7\ExchangeService", id.ServiceAccount);
        Assert.Matches(@"^S-1-5-21-\d+-\d+-\d+-1001$", id.ServiceAccountSid);
        Assert.Equal("/o=Contoso/ou=Paris/cn=Configuration/cn=Connections/cn=Internet Mail Connector (MAIL7)", id.GatewayDn);
        Assert.Equal($@"HKEY_USERS\{id.ServiceAccountSid}\Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles", id.ProfilesKeyPath);
        var profile = Assert.Single(id.ProfileKeyPaths);
        Assert.Matches(@"\\Profiles\\MSExchangeIMC \d{10}$", profile);
        Assert.True(_reg.KeyExists(profile));
    }

    [Fact]
    public void Lists_every_IMC_profile_and_only_those()
    {
        Install();
        var before = ImcIdentity.Read(_reg);
        _reg.CreateKey(before.ProfilesKeyPath + @"\MSExchangeIMC 0000000001");
        _reg.CreateKey(before.ProfilesKeyPath + @"\msexchangeimc 0000000002");
        _reg.CreateKey(before.ProfilesKeyPath + @"\MSExchangeIMCX");
        var id = ImcIdentity.Read(_reg);
        Assert.Equal(3, id.ProfileKeyPaths.Count);
        Assert.Contains(before.ProfileKeyPaths[0], id.ProfileKeyPaths);
        Assert.DoesNotContain(id.ProfileKeyPaths, p => p.EndsWith("MSExchangeIMCX", StringComparison.Ordinal) || p.EndsWith("MS Exchange Settings", StringComparison.Ordinal));
    }

    [Fact]
    public void No_profiles_key_means_no_profiles_not_an_error()
    {
        Install();
        var id = ImcIdentity.Read(_reg);
        Assert.True(_reg.DeleteKey(id.ProfilesKeyPath));
        Assert.Empty(ImcIdentity.Read(_reg).ProfileKeyPaths);
    }

    [Fact]
    public void An_empty_registry_means_the_IMC_is_not_installed()
    {
        var e = Assert.Throws<ServerException>(() => ImcIdentity.Read(_reg));
        Assert.Equal(@"The Internet Mail Connector is not installed on this server: HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSExchangeIMC does not exist.", e.Message);
        Assert.Equal("Install it with 'imcadmin setup', or choose another server with -server or IMC_SERVER.", e.Hint);
    }

    [Fact]
    public void A_missing_Parameters_key_is_named()
    {
        Install();
        _reg.DeleteKey(Params);
        var e = Assert.Throws<ServerException>(() => ImcIdentity.Read(_reg));
        Assert.Equal($"The Internet Mail Connector's registry key {Params} does not exist.", e.Message);
    }

    [Theory]
    [InlineData(Params, "RootDir")]
    [InlineData(Params, "HomeDSA")]
    [InlineData(Params, "SiteDN")]
    [InlineData(Params, "CommonName")]
    [InlineData(Params, "ObjectGUID")]
    [InlineData(Service, "ObjectName")]
    public void A_missing_value_is_named_with_its_key(string key, string name)
    {
        Install();
        Assert.True(_reg.DeleteValue(key, name));
        var e = Assert.Throws<ServerException>(() => ImcIdentity.Read(_reg));
        Assert.Equal($"The registry value {name} is missing from {key}.", e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_named()
    {
        Install();
        _reg.SetValue(Params, RegValue.DWord("HomeDSA", 1));
        var e = Assert.Throws<ServerException>(() => ImcIdentity.Read(_reg));
        Assert.Equal($"The registry value HomeDSA in {Params} is REG_DWORD; expected REG_SZ.", e.Message);
        _reg.SetValue(Params, new RegValue("HomeDSA", 0x20000, [1]));
        e = Assert.Throws<ServerException>(() => ImcIdentity.Read(_reg));
        Assert.Equal($"The registry value HomeDSA in {Params} is 0x20000; expected REG_SZ.", e.Message);
    }

    [Fact]
    public void An_empty_value_is_named()
    {
        Install();
        _reg.SetValue(Params, RegValue.String("CommonName", ""));
        var e = Assert.Throws<ServerException>(() => ImcIdentity.Read(_reg));
        Assert.Equal($"The registry value CommonName in {Params} is empty.", e.Message);
    }

    [Fact]
    public void A_malformed_SiteDN_is_named()
    {
        Install();
        _reg.SetValue(Params, RegValue.String("SiteDN", "ORG/SITE"));
        var e = Assert.Throws<ServerException>(() => ImcIdentity.Read(_reg));
        Assert.Equal($"The registry value SiteDN in {Params} is 'ORG/SITE'; expected a site DN of the form /o=Organization/ou=Site.", e.Message);
    }

    [Fact]
    public void A_RootDir_that_does_not_exist_is_named()
    {
        Install();
        var missing = _temp.Combine("elsewhere", "imcdata");
        _reg.SetValue(Params, RegValue.String("RootDir", missing));
        var e = Assert.Throws<ServerException>(() => ImcIdentity.Read(_reg));
        Assert.Equal($"The IMC's RootDir folder {missing} does not exist (registry value RootDir in {Params}).", e.Message);
        Assert.Equal("Create the folder, or set RootDir to the Imcdata folder of this server.", e.Hint);
    }

    [Fact]
    public void A_REG_EXPAND_SZ_RootDir_is_expanded()
    {
        Install();
        Environment.SetEnvironmentVariable("IMC_TEST_ROOTDIR_PARENT", _layout.ExchSrvr);
        try
        {
            _reg.SetValue(Params, RegValue.ExpandString("RootDir", "%IMC_TEST_ROOTDIR_PARENT%" + Path.DirectorySeparatorChar + "imcdata"));
            Assert.Equal(_layout.ImcData, ImcIdentity.Read(_reg).RootDir);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IMC_TEST_ROOTDIR_PARENT", null);
        }
    }

    [Fact]
    public void A_service_account_without_a_user_profile_is_named()
    {
        Install();
        _reg.SetValue(Service, RegValue.String("ObjectName", @"EXCH1\Someone"));
        var e = Assert.Throws<ServerException>(() => ImcIdentity.Read(_reg));
        Assert.Equal(@"The IMC service account EXCH1\Someone has no user profile: no ProfileImagePath under HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList ends with \Someone.", e.Message);
    }

    [Fact]
    public void The_SID_is_found_like_Windows_finds_it_also_for_a_numbered_profile_folder()
    {
        Install();
        const string list = @"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList";
        _reg.SetValue(list + @"\S-1-5-21-1-2-3-500", RegValue.ExpandString("ProfileImagePath", @"%SystemRoot%\Profiles\Administrator"));
        _reg.SetValue(list + @"\S-1-5-21-1-2-3-1500", RegValue.ExpandString("ProfileImagePath", @"%SystemRoot%\Profiles\Other.000"));
        _reg.SetValue(Service, RegValue.String("ObjectName", @"DOMAIN\other"));
        Assert.Equal("S-1-5-21-1-2-3-1500", ImcIdentity.Read(_reg).ServiceAccountSid);
        _reg.SetValue(Service, RegValue.String("ObjectName", "Administrator"));
        Assert.Equal("S-1-5-21-1-2-3-500", ImcIdentity.Read(_reg).ServiceAccountSid);
    }
}
