using Imc.Formats.Reg;
using Imc.Server.Gateway;
using Imc.Server.Registry;

namespace Imc.Backup.Verify;

/// <summary>
/// What a backup's .reg files may touch (DESIGN.md §6 promise 4): Imcsvc.reg only the IMC service key and below,
/// Imcpro.reg only "MSExchangeIMC *" profile keys (and below) of one service account. Anything else — also a
/// <c>[-KEY]</c> deletion, or a key that merely starts with the same text — rejects the whole file.
/// </summary>
public static class RegistryScope
{
    /// <summary>Throws <see cref="PackingList.BackupFormatException"/> naming <paramref name="file"/> and the first key outside the service key.</summary>
    public static void CheckService(string file, IReadOnlyList<RegKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
            if (!IsServiceKey(key.Path))
                throw new PackingList.BackupFormatException(file,
                    $"the key [{(key.Delete ? "-" : "")}{key.Path}] is outside the IMC; only {ImcIdentity.ServiceKeyPath} and its subkeys may be restored");
    }

    /// <summary>
    /// Checks Imcpro.reg and returns the service account SID its keys live under (null when it has no keys).
    /// </summary>
    public static string? CheckProfiles(string file, IReadOnlyList<RegKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        string? sid = null;
        foreach (var key in keys)
        {
            var keySid = ProfileSid(key.Path);
            if (keySid is null)
                throw new PackingList.BackupFormatException(file,
                    $"the key [{(key.Delete ? "-" : "")}{key.Path}] is outside the IMC; only HKEY_USERS\\<SID>\\{ImcIdentity.ProfilesSubPath}\\{ImcIdentity.ProfileNamePrefix}* keys may be restored");
            if (sid is not null && !string.Equals(sid, keySid, StringComparison.OrdinalIgnoreCase))
                throw new PackingList.BackupFormatException(file, $"the key [{key.Path}] belongs to another account ({keySid}) than the first key ({sid})");
            sid ??= keySid;
        }
        return sid;
    }

    public static bool IsServiceKey(string path) => Safe(() => RegistryPath.IsSameOrBelow(path, ImcIdentity.ServiceKeyPath));

    /// <summary>The SID of an IMC profile key path (<c>HKEY_USERS\SID\...\Profiles\MSExchangeIMC x[\...]</c>), or null when it is not one.</summary>
    public static string? ProfileSid(string path)
    {
        (string Root, IReadOnlyList<string> Names) parsed;
        try
        {
            parsed = RegistryPath.Parse(path);
        }
        catch (ArgumentException)
        {
            return null;
        }
        var profiles = ImcIdentity.ProfilesSubPath.Split('\\');
        var names = parsed.Names;
        if (parsed.Root != RegistryPath.Users || names.Count < 2 + profiles.Length) return null;
        for (var i = 0; i < profiles.Length; i++)
            if (!string.Equals(names[1 + i], profiles[i], StringComparison.OrdinalIgnoreCase)) return null;
        var profileName = names[1 + profiles.Length];
        if (!profileName.StartsWith(ImcIdentity.ProfileNamePrefix, StringComparison.OrdinalIgnoreCase)
            || profileName.Length == ImcIdentity.ProfileNamePrefix.Length) return null;
        var sid = names[0];
        return sid.StartsWith("S-", StringComparison.OrdinalIgnoreCase) ? sid : null;
    }

    /// <summary>The same key path under another account's SID.</summary>
    public static string Rehome(string path, string sid)
    {
        var (root, names) = RegistryPath.Parse(path);
        return string.Join('\\', [root, sid, .. names.Skip(1)]);
    }

    private static bool Safe(Func<bool> test)
    {
        try
        {
            return test();
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
