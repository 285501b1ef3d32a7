namespace Imc.Server.Registry;

/// <summary>
/// Registry key paths as Windows writes them: a root (HKEY_LOCAL_MACHINE or HKEY_USERS; HKLM and HKU are accepted on
/// input) followed by backslash-separated key names. Names compare case-insensitively and keep their case.
/// </summary>
public static class RegistryPath
{
    public const string LocalMachine = "HKEY_LOCAL_MACHINE";
    public const string Users = "HKEY_USERS";

    /// <summary>The roots this registry has, in their long form.</summary>
    public static IReadOnlyList<string> Roots { get; } = [LocalMachine, Users];

    /// <summary>How key and value names compare: ordinal, ignoring case, as the Windows registry does.</summary>
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>Splits <paramref name="path"/> into its long root name and its key names.</summary>
    /// <exception cref="ArgumentException">Unknown root, empty path or an empty key name.</exception>
    public static (string Root, IReadOnlyList<string> Names) Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0) throw new ArgumentException("The registry path is empty; expected HKEY_LOCAL_MACHINE\\... or HKEY_USERS\\....", nameof(path));
        var parts = path.Split('\\');
        var root = RootName(parts[0])
            ?? throw new ArgumentException($"The registry path '{path}' starts with '{parts[0]}'; expected HKEY_LOCAL_MACHINE (HKLM) or HKEY_USERS (HKU).", nameof(path));
        for (var i = 1; i < parts.Length; i++)
            if (parts[i].Length == 0)
                throw new ArgumentException($"The registry path '{path}' has an empty key name (a doubled or trailing backslash).", nameof(path));
        return (root, parts[1..]);
    }

    /// <summary>The path with its root in long form (HKLM\X → HKEY_LOCAL_MACHINE\X); names keep the case given.</summary>
    public static string Normalize(string path)
    {
        var (root, names) = Parse(path);
        return names.Count == 0 ? root : root + "\\" + string.Join('\\', names);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="ancestor"/> or lies below it (case-insensitive).</summary>
    public static bool IsSameOrBelow(string path, string ancestor)
    {
        var p = Normalize(path);
        var a = Normalize(ancestor);
        return p.Equals(a, StringComparison.OrdinalIgnoreCase)
            || (p.Length > a.Length && p[a.Length] == '\\' && p.StartsWith(a, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Joins a key path and one or more subkey names.</summary>
    public static string Combine(string path, params string[] names) =>
        names.Aggregate(path.TrimEnd('\\'), (p, n) => p + "\\" + n);

    /// <summary>The long name of a root written in long or short form, or null.</summary>
    public static string? RootName(string root) => root.ToUpperInvariant() switch
    {
        "HKEY_LOCAL_MACHINE" or "HKLM" => LocalMachine,
        "HKEY_USERS" or "HKU" => Users,
        _ => null,
    };

    /// <summary>The case-folded form names are compared and indexed by.</summary>
    internal static string Fold(string name) => name.ToUpperInvariant();
}
