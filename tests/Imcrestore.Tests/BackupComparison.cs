using System.Text;
using Imc.Formats.Csv;
using Imc.Formats.Mapi;
using Imc.Formats.Reg;
using Imc.Formats.Tnef;

namespace Imcrestore.Tests;

/// <summary>Compares two Backup folders: messages through TnefReader + MapiMessageComparer, .reg and .csv value by value.</summary>
internal static class BackupComparison
{
    public static readonly string[] QueueFolders = ["Mtsin", "Mtsout", "Bad", "ContentConversionFailed", "Work"];

    /// <summary>
    /// Every message of <paramref name="expected"/> equals the one at the same place in <paramref name="actual"/> (same
    /// queue, same position), PR_ENTRYID aside (the store gives a new one); search keys equal. Returns the number compared.
    /// </summary>
    public static int AssertSameMessages(string expected, string actual)
    {
        var comparer = new MapiMessageComparer { IgnoreTags = new HashSet<PropTag> { PropTags.EntryId } };
        var compared = 0;
        foreach (var folder in QueueFolders)
        {
            var a = Files(expected, folder);
            var b = Files(actual, folder);
            Assert.Equal(a.Select(Path.GetFileName), b.Select(Path.GetFileName));
            for (var i = 0; i < a.Count; i++)
            {
                var ma = TnefReader.ReadFile(a[i]);
                var mb = TnefReader.ReadFile(b[i]);
                Assert.NotNull(ma.SearchKey);
                Assert.Equal(Convert.ToHexString(ma.SearchKey!), Convert.ToHexString(mb.SearchKey!));
                var differences = comparer.Compare(ma, mb);
                Assert.True(differences.Count == 0, $"{folder}/{Path.GetFileName(a[i])}: {string.Join("; ", differences)}");
                compared++;
            }
        }
        return compared;
    }

    private static List<string> Files(string backup, string folder)
    {
        var dir = Path.Combine(backup, folder);
        return System.IO.Directory.Exists(dir) ? [.. System.IO.Directory.GetFiles(dir, "*.tnef").Order(StringComparer.Ordinal)] : [];
    }

    /// <summary>
    /// The differences between two .reg files, one line each: "KEY VALUE: OLD -> NEW", "+KEY VALUE: NEW", "-KEY VALUE: OLD",
    /// with the account SID under HKEY_USERS written as &lt;SID&gt; (the test checks the SIDs on their own).
    /// </summary>
    public static List<string> RegDifferences(string fileA, string fileB)
    {
        var a = Index(RegReader.ReadFile(fileA));
        var b = Index(RegReader.ReadFile(fileB));
        var result = new List<string>();
        foreach (var (k, va) in a)
        {
            if (!b.TryGetValue(k, out var vb)) result.Add($"-{k}: {Show(va)}");
            else if (va.Type != vb.Type || !va.Data.AsSpan().SequenceEqual(vb.Data)) result.Add($"{k}: {Show(va)} -> {Show(vb)}");
        }
        foreach (var (k, vb) in b)
            if (!a.ContainsKey(k)) result.Add($"+{k}: {Show(vb)}");
        return result;
    }

    private static Dictionary<string, RegValue> Index(IReadOnlyList<RegKey> keys)
    {
        var d = new Dictionary<string, RegValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys)
        {
            d[Sid(key.Path) + " (key)"] = new RegValue("", RegType.None, []);
            foreach (var v in key.Values) d[$"{Sid(key.Path)} {v.Name}"] = v;
        }
        return d;
    }

    /// <summary>A key path with the SID under HKEY_USERS as &lt;SID&gt;, and the SID itself.</summary>
    public static string Sid(string path)
    {
        const string users = @"HKEY_USERS\";
        if (!path.StartsWith(users, StringComparison.OrdinalIgnoreCase)) return path;
        var end = path.IndexOf('\\', users.Length);
        return users + "<SID>" + (end < 0 ? "" : path[end..]);
    }

    private static string Show(RegValue v)
    {
        if (v.Type is RegType.Sz or RegType.ExpandSz) return v.AsString() ?? "";
        // Profile strings are PT_STRING8 bytes ending in NUL: show them as text.
        if (v.Type == RegType.Binary && v.Data.Length > 0 && v.Data[^1] == 0 && v.Data[..^1].All(c => c is >= 0x20 and < 0x7F))
            return Encoding.ASCII.GetString(v.Data, 0, v.Data.Length - 1);
        return Convert.ToHexString(v.Data);
    }

    /// <summary>The differences between two one-object directory CSV files: "ATTRIBUTE: OLD -> NEW".</summary>
    public static List<string> CsvDifferences(string fileA, string fileB)
    {
        var a = Assert.Single(DirectoryCsvReader.ReadFile(fileA));
        var b = Assert.Single(DirectoryCsvReader.ReadFile(fileB));
        Assert.Equal(a.Attributes.Select(x => x.Name), b.Attributes.Select(x => x.Name));
        var result = new List<string>();
        foreach (var attribute in a.Attributes)
        {
            var old = string.Join("%", attribute.Values);
            var @new = string.Join("%", b[attribute.Name]!);
            if (old != @new) result.Add($"{attribute.Name}: {old} -> {@new}");
        }
        return result;
    }
}
