using Imc.Formats.Reg;
using Imc.Server.Registry;
using Imc.Testing;

namespace Imc.Server.Tests.Registry;

public sealed class RegistryStoreTests : IDisposable
{
    private const string Key = @"HKEY_LOCAL_MACHINE\SOFTWARE\Test";
    private readonly TempDirectory _temp = new();
    private readonly RegistryStore _reg;

    public RegistryStoreTests() => _reg = Open();

    private RegistryStore Open() => new(SqliteDatabase.Open(_temp.Combine("registry.db"), create: true));

    public void Dispose()
    {
        _reg.Dispose();
        _temp.Dispose();
    }

    public static TheoryData<RegValue> EveryType => new()
    {
        RegValue.String("Sz", "text with \\ and \" and é"),
        RegValue.String("EmptySz", ""),
        RegValue.ExpandString("Expand", @"%SystemRoot%\System32"),
        RegValue.Binary("Bin", [0x00, 0xFF, 0x10]),
        RegValue.Binary("EmptyBin", []),
        RegValue.DWord("DWord", 0xDEADBEEF),
        new RegValue("BigEndian", RegType.DWordBigEndian, [0, 0, 0, 25]),
        RegValue.MultiString("Multi", ["a", "", "c"]),
        RegValue.MultiString("EmptyMulti", []),
        RegValue.QWord("QWord", 0x0123456789ABCDEF),
        new RegValue("None", RegType.None, []),
        new RegValue("NoneWithData", RegType.None, [1, 2, 3]),
        new RegValue("Odd", 0x20000, [9, 8, 7]),
        new RegValue("MaxType", uint.MaxValue, [1]),
        new RegValue("Link", RegType.Link, [0x41, 0]),
        RegValue.String("", "the default value"),
    };

    [Theory]
    [MemberData(nameof(EveryType))]
    public void Every_value_type_round_trips_byte_for_byte(RegValue value)
    {
        _reg.SetValue(Key, value);
        var read = _reg.GetValue(Key, value.Name);
        Assert.NotNull(read);
        Assert.Equal(value.Name, read.Name);
        Assert.Equal(value.Type, read.Type);
        Assert.Equal(value.Data, read.Data);
    }

    [Fact]
    public void Values_survive_reopening_the_database()
    {
        _reg.SetValue(Key, new RegValue("Odd", 0x20000, [9, 8, 7]));
        _reg.SetValue(Key, RegValue.Binary("Empty", []));
        using var again = Open();
        Assert.Equal([new RegValue("Odd", 0x20000, [9, 8, 7]), RegValue.Binary("Empty", [])], again.GetValues(Key));
    }

    [Fact]
    public void Names_are_case_insensitive_and_keep_their_case()
    {
        _reg.SetValue(@"HKLM\SOFTWARE\MixedCase\Sub", RegValue.String("ValueName", "1"));
        Assert.True(_reg.KeyExists(@"hkey_local_machine\software\MIXEDCASE\sub"));
        Assert.Equal("1", _reg.GetValue(@"HKLM\SOFTWARE\mixedcase\SUB", "VALUENAME")?.AsString());
        Assert.Equal(["MixedCase"], _reg.GetSubKeyNames(@"HKEY_LOCAL_MACHINE\software").Where(n => n.StartsWith("M", StringComparison.Ordinal)));
        var exported = _reg.ExportTree(@"hklm\software\mixedcase");
        Assert.Equal([@"HKEY_LOCAL_MACHINE\SOFTWARE\MixedCase", @"HKEY_LOCAL_MACHINE\SOFTWARE\MixedCase\Sub"], exported.Select(k => k.Path));
        Assert.Equal("ValueName", exported[1].Values[0].Name);
    }

    [Fact]
    public void Setting_a_value_again_replaces_it_in_place_and_keeps_the_original_name()
    {
        _reg.SetValue(Key, RegValue.String("First", "1"));
        _reg.SetValue(Key, RegValue.String("Second", "2"));
        _reg.SetValue(Key, RegValue.String("Third", "3"));
        _reg.SetValue(Key, RegValue.DWord("SECOND", 22));
        var values = _reg.GetValues(Key);
        Assert.Equal(["First", "Second", "Third"], values.Select(v => v.Name));
        Assert.Equal(22u, values[1].AsDWord());
    }

    [Fact]
    public void Setting_a_value_creates_the_key_and_its_ancestors()
    {
        _reg.SetValue(@"HKU\S-1-5-21\A\B\C", RegValue.DWord("x", 1));
        Assert.True(_reg.KeyExists(@"HKEY_USERS\S-1-5-21"));
        Assert.True(_reg.KeyExists(@"HKEY_USERS\S-1-5-21\A\B"));
        Assert.Empty(_reg.GetValues(@"HKEY_USERS\S-1-5-21\A\B"));
        Assert.Equal(["B"], _reg.GetSubKeyNames(@"HKEY_USERS\S-1-5-21\A"));
    }

    [Fact]
    public void CreateKey_creates_missing_ancestors_and_leaves_an_existing_key_alone()
    {
        _reg.SetValue(@"HKLM\X", RegValue.DWord("keep", 1));
        _reg.CreateKey(@"HKLM\X\Y\Z");
        _reg.CreateKey(@"HKLM\x");
        Assert.True(_reg.KeyExists(@"HKLM\X\Y\Z"));
        Assert.Equal(1u, _reg.GetValue(@"HKLM\X", "keep")?.AsDWord());
    }

    [Fact]
    public void Missing_keys_read_as_empty_not_as_errors()
    {
        Assert.False(_reg.KeyExists(@"HKLM\Nope\Deeper"));
        Assert.Empty(_reg.GetValues(@"HKLM\Nope"));
        Assert.Empty(_reg.GetSubKeyNames(@"HKLM\Nope"));
        Assert.Null(_reg.GetValue(@"HKLM\Nope", "x"));
        Assert.Empty(_reg.ExportTree(@"HKLM\Nope"));
        Assert.False(_reg.DeleteKey(@"HKLM\Nope"));
        Assert.False(_reg.DeleteValue(@"HKLM\Nope", "x"));
    }

    [Fact]
    public void Roots_exist_and_cannot_be_deleted()
    {
        Assert.True(_reg.KeyExists("HKEY_LOCAL_MACHINE"));
        Assert.True(_reg.KeyExists("hku"));
        var e = Assert.Throws<ArgumentException>(() => _reg.DeleteKey("HKLM"));
        Assert.StartsWith("The root key HKEY_LOCAL_MACHINE cannot be deleted.", e.Message);
    }

    [Theory]
    [InlineData(@"HKEY_CURRENT_USER\Software", @"The registry path 'HKEY_CURRENT_USER\Software' starts with 'HKEY_CURRENT_USER'; expected HKEY_LOCAL_MACHINE (HKLM) or HKEY_USERS (HKU).")]
    [InlineData(@"SOFTWARE\Microsoft", @"The registry path 'SOFTWARE\Microsoft' starts with 'SOFTWARE'; expected HKEY_LOCAL_MACHINE (HKLM) or HKEY_USERS (HKU).")]
    [InlineData(@"HKLM\A\\B", @"The registry path 'HKLM\A\\B' has an empty key name (a doubled or trailing backslash).")]
    [InlineData(@"HKLM\A\", @"The registry path 'HKLM\A\' has an empty key name (a doubled or trailing backslash).")]
    [InlineData("", @"The registry path is empty; expected HKEY_LOCAL_MACHINE\... or HKEY_USERS\....")]
    public void Bad_paths_are_rejected_with_a_clear_message(string path, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => _reg.KeyExists(path));
        Assert.Equal(message + " (Parameter 'path')", e.Message);
        Assert.Throws<ArgumentException>(() => _reg.SetValue(path, RegValue.DWord("x", 1)));
    }

    [Fact]
    public void DeleteValue_removes_one_value_case_insensitively()
    {
        _reg.SetValue(Key, RegValue.DWord("a", 1));
        _reg.SetValue(Key, RegValue.DWord("b", 2));
        Assert.True(_reg.DeleteValue(Key, "A"));
        Assert.False(_reg.DeleteValue(Key, "a"));
        Assert.Equal(["b"], _reg.GetValues(Key).Select(v => v.Name));
    }

    [Fact]
    public void DeleteKey_is_recursive_and_touches_nothing_else()
    {
        _reg.SetValue(@"HKLM\T\Gone\Child\Grandchild", RegValue.DWord("x", 1));
        _reg.SetValue(@"HKLM\T\Gone", RegValue.DWord("y", 1));
        _reg.SetValue(@"HKLM\T\GoneToo", RegValue.DWord("z", 1));
        Assert.True(_reg.DeleteKey(@"hklm\t\GONE"));
        Assert.False(_reg.KeyExists(@"HKLM\T\Gone"));
        Assert.False(_reg.KeyExists(@"HKLM\T\Gone\Child\Grandchild"));
        Assert.Equal(["GoneToo"], _reg.GetSubKeyNames(@"HKLM\T"));
        Assert.Equal(1L, _reg.Database.Scalar("SELECT COUNT(*) FROM reg_value"));
        Assert.Equal(4L, _reg.Database.Scalar("SELECT COUNT(*) FROM reg_key")); // 2 roots, T, GoneToo
    }

    [Fact]
    public void Subkeys_sort_case_insensitively_and_export_is_pre_order()
    {
        foreach (var name in new[] { "beta", "Alpha", "_under", "Gamma", "alpha2", "B" })
            _reg.CreateKey(@"HKLM\S\" + name);
        _reg.CreateKey(@"HKLM\S\Alpha\Inner");
        _reg.SetValue(@"HKLM\S\beta", RegValue.DWord("v", 1));
        // Windows compares upper-cased names ordinally, so '_' (0x5F) sorts after the letters.
        Assert.Equal(["Alpha", "alpha2", "B", "beta", "Gamma", "_under"], _reg.GetSubKeyNames(@"HKLM\S"));
        var tree = _reg.ExportTree(@"HKLM\S");
        Assert.Equal(
            [@"HKEY_LOCAL_MACHINE\S", @"HKEY_LOCAL_MACHINE\S\Alpha", @"HKEY_LOCAL_MACHINE\S\Alpha\Inner", @"HKEY_LOCAL_MACHINE\S\alpha2",
             @"HKEY_LOCAL_MACHINE\S\B", @"HKEY_LOCAL_MACHINE\S\beta", @"HKEY_LOCAL_MACHINE\S\Gamma", @"HKEY_LOCAL_MACHINE\S\_under"],
            tree.Select(k => k.Path));
        Assert.Equal([RegValue.DWord("v", 1)], tree[5].Values);
    }

    [Fact]
    public void Import_applies_values_deletions_and_key_deletions()
    {
        _reg.SetValue(@"HKLM\I\Old", RegValue.DWord("x", 1));
        _reg.SetValue(@"HKLM\I\Keep", RegValue.DWord("drop", 1));
        _reg.SetValue(@"HKLM\I\Keep", RegValue.DWord("stay", 2));
        var keep = new RegKey(@"HKEY_LOCAL_MACHINE\I\Keep");
        keep.DeletedValues.Add("DROP");
        keep.Values.Add(RegValue.String("new", "n"));
        var fresh = new RegKey(@"HKLM\I\New\Deep");
        fresh.Values.Add(RegValue.QWord("q", 5));
        _reg.Import([new RegKey(@"HKLM\I\Old") { Delete = true }, keep, fresh, new RegKey(@"HKLM\I\Absent") { Delete = true }]);
        Assert.False(_reg.KeyExists(@"HKLM\I\Old"));
        Assert.Equal(["stay", "new"], _reg.GetValues(@"HKLM\I\Keep").Select(v => v.Name));
        Assert.Equal(RegValue.QWord("q", 5), _reg.GetValue(@"HKLM\I\New\Deep", "q"));
    }

    [Fact]
    public void A_failure_in_the_middle_of_an_import_changes_nothing()
    {
        _reg.SetValue(@"HKLM\I\Existing", RegValue.DWord("x", 1));
        var first = new RegKey(@"HKLM\I\Added");
        first.Values.Add(RegValue.DWord("a", 1));
        var change = new RegKey(@"HKLM\I\Existing");
        change.Values.Add(RegValue.DWord("x", 2));
        var bad = new RegKey(@"HKEY_CLASSES_ROOT\.txt");
        bad.Values.Add(RegValue.String("", "txtfile"));
        Assert.Throws<ArgumentException>(() => _reg.Import([new RegKey(@"HKLM\I\Existing\Sub"), first, change, bad]));
        Assert.False(_reg.KeyExists(@"HKLM\I\Added"));
        Assert.False(_reg.KeyExists(@"HKLM\I\Existing\Sub"));
        Assert.Equal(1u, _reg.GetValue(@"HKLM\I\Existing", "x")?.AsDWord());
        // The store is still usable afterwards.
        _reg.SetValue(@"HKLM\I\After", RegValue.DWord("ok", 1));
        Assert.True(_reg.KeyExists(@"HKLM\I\After"));
    }

    [Fact]
    public void InTransaction_rolls_back_everything_on_an_exception()
    {
        Assert.Throws<InvalidOperationException>(() => _reg.InTransaction(() =>
        {
            _reg.SetValue(@"HKLM\Tx", RegValue.DWord("a", 1));
            _reg.DeleteKey(@"HKLM\SOFTWARE");
            throw new InvalidOperationException("boom");
        }));
        Assert.False(_reg.KeyExists(@"HKLM\Tx"));
    }

    [Fact]
    public async Task Two_connections_see_each_others_writes_and_write_concurrently()
    {
        using var other = Open();
        _reg.SetValue(@"HKLM\Shared", RegValue.DWord("from-first", 1));
        Assert.Equal(1u, other.GetValue(@"HKLM\Shared", "from-first")?.AsDWord());

        const int count = 150;
        var a = Task.Run(() => { for (var i = 0; i < count; i++) _reg.SetValue(@"HKLM\Shared\A", RegValue.DWord($"v{i}", (uint)i)); }, TestContext.Current.CancellationToken);
        var b = Task.Run(() =>
        {
            for (var i = 0; i < count; i++)
                other.Import([new RegKey(@"HKLM\Shared\B") { Values = { RegValue.DWord($"v{i}", (uint)i) } }]);
        }, TestContext.Current.CancellationToken);
        await Task.WhenAll(a, b);
        using var third = Open();
        Assert.Equal(count, third.GetValues(@"HKLM\Shared\A").Count);
        Assert.Equal(count, third.GetValues(@"HKLM\Shared\B").Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (uint?)i), third.GetValues(@"HKLM\Shared\B").Select(v => v.AsDWord()));
    }

    [Fact]
    public void A_reader_on_another_connection_does_not_see_an_uncommitted_transaction()
    {
        using var other = Open();
        _reg.InTransaction(() =>
        {
            _reg.SetValue(@"HKLM\Pending", RegValue.DWord("x", 1));
            Assert.False(other.KeyExists(@"HKLM\Pending"));
        });
        Assert.True(other.KeyExists(@"HKLM\Pending"));
    }

    [Fact]
    public void One_store_is_safe_to_use_from_several_threads()
    {
        Parallel.For(0, 8, t =>
        {
            for (var i = 0; i < 25; i++)
            {
                _reg.SetValue($@"HKLM\Threads\T{t}", RegValue.DWord($"v{i}", (uint)i));
                Assert.NotNull(_reg.GetValue($@"HKLM\Threads\T{t}", $"v{i}"));
            }
        });
        Assert.Equal(8, _reg.GetSubKeyNames(@"HKLM\Threads").Count);
        Assert.All(_reg.GetSubKeyNames(@"HKLM\Threads"), k => Assert.Equal(25, _reg.GetValues(@"HKLM\Threads\" + k).Count));
    }
}
