using Imc.Server.Registry;

namespace Imc.Server.Tests.Registry;

public sealed class RegistryPathTests
{
    [Theory]
    [InlineData(@"HKLM\SYSTEM", @"HKEY_LOCAL_MACHINE\SYSTEM")]
    [InlineData(@"hku\S-1-5", @"HKEY_USERS\S-1-5")]
    [InlineData(@"Hkey_Local_Machine\a\B", @"HKEY_LOCAL_MACHINE\a\B")]
    [InlineData("HKU", "HKEY_USERS")]
    public void Normalize_writes_the_long_root_and_keeps_name_case(string path, string expected) =>
        Assert.Equal(expected, RegistryPath.Normalize(path));

    [Theory]
    [InlineData(@"HKLM\A\B", @"HKEY_LOCAL_MACHINE\a", true)]
    [InlineData(@"HKLM\A", @"HKLM\A", true)]
    [InlineData(@"HKLM\AB", @"HKLM\A", false)]
    [InlineData(@"HKLM\A", @"HKLM\A\B", false)]
    [InlineData(@"HKU\A", @"HKLM\A", false)]
    public void IsSameOrBelow_compares_whole_key_names(string path, string ancestor, bool expected) =>
        Assert.Equal(expected, RegistryPath.IsSameOrBelow(path, ancestor));
}
