using System.Globalization;
using System.Text;
using Imc.Formats.Reg;
using Imc.Testing;

namespace Imc.Formats.Tests.Reg;

/// <summary>Our .reg files checked by programs nobody here wrote: hivexregedit and Wine's regedit.</summary>
public sealed class RegOracleTests(WinePrefixFixture wine) : IClassFixture<WinePrefixFixture>
{
    private const string Prefix = @"HKEY_LOCAL_MACHINE\SYSTEM";

    private static string WriteFile(TempDirectory dir, string name, IEnumerable<RegKey> keys, RegFileFormat format)
    {
        var path = dir.Combine(name);
        using (var f = File.Create(path)) RegWriter.Write(f, keys, format);
        return path;
    }

    [Fact]
    public void Regedit4_output_merges_into_a_hive_with_hivexregedit_and_exports_the_same_bytes()
    {
        var hivex = ExternalTools.Require("hivexregedit", "libhivex-bin");
        using var dir = new TempDirectory();
        var keys = RegSamples.AllTypes().Concat(RegSamples.Golden()).ToList();
        var file = WriteFile(dir, "ours.reg", keys, RegFileFormat.Regedit4);

        // hivexregedit reads UTF-8 and does not create parent keys: convert, and list every ancestor first.
        var utf8 = dir.Combine("ours.utf8.reg");
        File.WriteAllText(utf8, Imc.Formats.Text.Cp1252.Strict.GetString(File.ReadAllBytes(file)), new UTF8Encoding(false));
        var parents = dir.Combine("parents.reg");
        File.WriteAllText(parents, ParentKeys(keys));
        var hive = dir.Combine("h.hive");
        File.Copy(Path.Combine(TestPaths.RegSamples, "minimal.hive"), hive);

        var merge = ToolRunner.RunCommand(hivex, ["--merge", "--prefix", Prefix, hive, parents, utf8]);
        Assert.True(merge.ExitCode == 0, merge.ToString());
        var export = ToolRunner.RunCommand(hivex, ["--export", "--prefix", Prefix, hive, @"\CurrentControlSet\Services\MSExchangeIMC\Parameters\AllTypes"]);
        Assert.True(export.ExitCode == 0, export.ToString());

        // hivex stores hex(2)/hex(7) bytes as they are and prints strings its own way; every other type must come
        // back byte for byte (hivex writes unwrapped hex(N): lines, so our wrapping was read correctly).
        var exported = export.Stdout.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        foreach (var v in keys[1].Values.Where(v => v.Type is not (RegType.Sz or RegType.ExpandSz or RegType.MultiSz)))
        {
            var name = v.Name.Length == 0 ? "@" : "\"" + v.Name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
            var data = v.Type == RegType.DWord && v.Data.Length == 4
                ? "dword:" + BitConverter.ToUInt32(v.Data).ToString("x8", CultureInfo.InvariantCulture)
                : $"hex({v.Type:x}):" + string.Join(",", v.Data.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
            Assert.Contains(name + "=" + data, exported);
        }
    }

    [Fact]
    public void Wine_regedit_imports_our_regedit4_file_and_its_export_reads_back_to_the_same_values()
    {
        ExternalTools.Require("wine", "wine");
        using var dir = new TempDirectory();
        var keys = RegSamples.AllTypes();
        var file = WriteFile(dir, "ours.reg", keys, RegFileFormat.Regedit4);
        var import = wine.Wine("regedit", "/S", file);
        Assert.True(import.ExitCode == 0, import.ToString());

        var back = Export(dir, keys[1].Path);
        var k = Assert.Single(back);
        // Wine's *export* (not its import) mishandles two kinds of irregular data that Windows regedit writes as
        // hex(1)/hex(4): a REG_DWORD that is not 4 bytes, and a REG_SZ that is not NUL-terminated UTF-16.
        var expected = keys[1].Values.Where(v => !WineExportQuirk(v)).OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var quirks = keys[1].Values.Where(WineExportQuirk).Select(v => v.Name).ToHashSet();
        Assert.Equal(7, quirks.Count); // DwShort, DwLong and the five irregular or multi-line REG_SZ values
        var actual = k.Values.Where(v => !quirks.Contains(v.Name)).ToList();
        Assert.Equal(expected.Select(Describe), actual.Select(Describe));
        Assert.Empty(k.DeletedValues);
    }

    [Fact]
    public void Our_version5_output_is_byte_identical_to_wine_regedits_export_of_the_same_key()
    {
        ExternalTools.Require("wine", "wine");
        using var dir = new TempDirectory();
        var key = new RegKey(RegSamples.Parameters + @"\SameBytes");
        key.Values.AddRange(RegSamples.AllTypes()[1].Values.Where(v => !WineExportQuirk(v)));
        key.Values.Add(RegValue.String("Unicode 中文", "Ω 😀"));
        key.Values.Add(RegValue.MultiString("MultiΩ", ["Ω", "x"]));
        key.Values.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        var file = WriteFile(dir, "ours.reg", [key], RegFileFormat.Version5);
        var import = wine.Wine("regedit", "/S", file);
        Assert.True(import.ExitCode == 0, import.ToString());

        var exported = dir.Combine("wine.reg");
        var export = wine.Wine("regedit", "/E", exported, key.Path);
        Assert.True(export.ExitCode == 0, export.ToString());
        var theirs = File.ReadAllBytes(exported);
        var ours = File.ReadAllBytes(file);
        Assert.Equal(Encoding.Unicode.GetString(theirs), Encoding.Unicode.GetString(ours));
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Wine_regedit_applies_our_value_and_key_deletions()
    {
        ExternalTools.Require("wine", "wine");
        using var dir = new TempDirectory();
        var path = RegSamples.Parameters + @"\Deletions";
        var key = new RegKey(path);
        key.Values.Add(RegValue.DWord("Keep", 1));
        key.Values.Add(RegValue.DWord("Drop", 2));
        var sub = new RegKey(path + @"\Sub");
        sub.Values.Add(RegValue.String("x", "y"));
        Assert.Equal(0, wine.Wine("regedit", "/S", WriteFile(dir, "a.reg", [key, sub], RegFileFormat.Regedit4)).ExitCode);

        var delete = new RegKey(path);
        delete.DeletedValues.Add("Drop");
        Assert.Equal(0, wine.Wine("regedit", "/S", WriteFile(dir, "b.reg", [delete, new RegKey(path + @"\Sub") { Delete = true }], RegFileFormat.Regedit4)).ExitCode);

        var back = Export(dir, path);
        var k = Assert.Single(back);
        Assert.Equal(["Keep"], k.Values.Select(v => v.Name));
    }

    private List<RegKey> Export(TempDirectory dir, string keyPath)
    {
        var exported = dir.Combine("export-" + Guid.NewGuid().ToString("N") + ".reg");
        var export = wine.Wine("regedit", "/E", exported, keyPath);
        Assert.True(export.ExitCode == 0 && File.Exists(exported), export.ToString());
        return [.. RegReader.ReadFile(exported)];
    }

    private static bool WineExportQuirk(RegValue v) =>
        (v.Type == RegType.DWord && v.Data.Length != 4) || (v.Type == RegType.Sz && RegWriter.AsPlainString(v.Data) is null);

    private static string Describe(RegValue v) => $"{v.Name}={v.Type:x}:{Convert.ToHexString(v.Data)}";

    private static string ParentKeys(IEnumerable<RegKey> keys)
    {
        var sb = new StringBuilder("Windows Registry Editor Version 5.00\n\n");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys.Where(k => !k.Delete))
        {
            var parts = key.Path[(Prefix.Length + 1)..].Split('\\');
            for (var i = 1; i < parts.Length; i++)
            {
                var parent = Prefix + "\\" + string.Join('\\', parts[..i]);
                if (seen.Add(parent)) sb.Append('[').Append(parent).Append("]\n\n");
            }
        }
        return sb.ToString();
    }
}
