using System.Text;
using Imc.Formats.Reg;
using Imc.Server.Directory;
using Imc.Server.Gateway;
using Imc.Server.Registry;

namespace Imc.Backup.Restore;

/// <summary>The identity of an IMC: server (HomeDSA), organisation, site, CommonName, service account, RootDir.</summary>
public sealed record IdentityNames(string Server, string Organization, string Site, string CommonName, string? ServiceAccount, string? RootDir)
{
    public string SiteDn => ExchangeDn.Site(Organization, Site);
    public string GatewayDn => ExchangeDn.Gateway(SiteDn, CommonName);
}

/// <summary>
/// Rewrites a backup's configuration for another server (imcrestore without -keepidentity). Exactly these values:
/// Parameters RootDir, HomeDSA, SiteDN, CommonName and the service's ObjectName; the profile values
/// PR_PROFILE_HOME_SERVER, PR_PROFILE_SERVER (server names), PR_PROFILE_USER, PR_PROFILE_MAILBOX,
/// PR_PROFILE_HOME_SERVER_DN, PR_PROFILE_SERVER_DN (DNs); the gateway object's DN, Common-Name, Admin-Display-Name
/// (its "(SERVER)" part), Computer-Name, Home-Server, Home-MTA and Obj-Users. Every change is recorded, old and new.
/// </summary>
public sealed class IdentityRetargeter(IdentityNames source, IdentityNames target, List<IdentityChange> changes)
{
    private static readonly HashSet<string> ProfileServerValues = new(StringComparer.OrdinalIgnoreCase) { "001e6602", "001e660c", "001f6602", "001f660c" };
    private static readonly HashSet<string> ProfileDnValues = new(StringComparer.OrdinalIgnoreCase)
        { "001e6603", "001e660b", "001e6612", "001e6614", "001f6603", "001f660b", "001f6612", "001f6614" };

    private static readonly Dictionary<string, string> ProfileValueNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["6602"] = "PR_PROFILE_HOME_SERVER", ["660c"] = "PR_PROFILE_SERVER", ["6603"] = "PR_PROFILE_USER",
        ["660b"] = "PR_PROFILE_MAILBOX", ["6612"] = "PR_PROFILE_HOME_SERVER_DN", ["6614"] = "PR_PROFILE_SERVER_DN",
    };

    /// <summary>Imcsvc.reg's keys with the identity values of the target.</summary>
    public IReadOnlyList<RegKey> RetargetService(IReadOnlyList<RegKey> keys)
    {
        var result = new List<RegKey>();
        foreach (var key in keys)
        {
            var copy = new RegKey(key.Path) { Delete = key.Delete };
            copy.DeletedValues.AddRange(key.DeletedValues);
            var isService = PathEquals(key.Path, ImcIdentity.ServiceKeyPath);
            var isParameters = PathEquals(key.Path, ImcIdentity.ParametersKeyPath);
            foreach (var value in key.Values)
            {
                var replacement = (isParameters, isService, value.Name.ToUpperInvariant()) switch
                {
                    (true, _, "ROOTDIR") => target.RootDir,
                    (true, _, "HOMEDSA") => ReplaceServer(value.AsString()),
                    (true, _, "SITEDN") => RetargetDn(value.AsString()),
                    (true, _, "COMMONNAME") => ReplaceCommonName(value.AsString()),
                    (_, true, "OBJECTNAME") => ReplaceAccount(value.AsString()),
                    _ => null,
                };
                copy.Values.Add(replacement is null || !IsString(value) ? value : Record(key.Path, value, replacement));
            }
            result.Add(copy);
        }
        return result;
    }

    /// <summary>Imcpro.reg's keys moved under <paramref name="targetSid"/> (when given) with the target's names.</summary>
    public IReadOnlyList<RegKey> RetargetProfiles(IReadOnlyList<RegKey> keys, string? targetSid, bool retargetValues)
    {
        var result = new List<RegKey>();
        foreach (var key in keys)
        {
            var path = targetSid is null ? key.Path : Verify.RegistryScope.Rehome(key.Path, targetSid);
            var copy = new RegKey(path) { Delete = key.Delete };
            copy.DeletedValues.AddRange(key.DeletedValues);
            foreach (var value in key.Values)
                copy.Values.Add(retargetValues ? RetargetProfileValue(path, value) : value);
            result.Add(copy);
        }
        return result;
    }

    /// <summary>The gateway object with the target's DN and names.</summary>
    public DirectoryObject RetargetGateway(DirectoryObject obj)
    {
        var dn = RetargetDn(obj.DistinguishedName) ?? obj.DistinguishedName;
        const string where = "directory";
        if (dn != obj.DistinguishedName) changes.Add(new(where, "Obj-Dist-Name", obj.DistinguishedName, dn));
        var copy = new DirectoryObject(dn, obj.ObjectClass);
        foreach (var a in obj.Attributes)
        {
            if (a.Syntax != AttributeSyntax.String)
            {
                copy.Attributes.Add(a);
                continue;
            }
            var values = a.Values.Select(v => (string)v).ToList();
            var updated = values.Select(v => a.Name.ToUpperInvariant() switch
            {
                "COMMON-NAME" => ReplaceCommonName(v),
                "ADMIN-DISPLAY-NAME" => ReplaceServerInParentheses(v),
                "COMPUTER-NAME" => ReplaceServer(v),
                "HOME-SERVER" or "HOME-MTA" => RetargetDn(v),
                "OBJ-USERS" => ReplaceAccount(v),
                _ => null,
            } ?? v).ToList();
            for (var i = 0; i < values.Count; i++)
                if (values[i] != updated[i]) changes.Add(new(where, a.Name, values[i], updated[i]));
            copy.Attributes.Add(new DirectoryAttribute(a.Name, a.Syntax, [.. updated.Cast<object>()]));
        }
        return copy;
    }

    /// <summary>A DN with the source's organisation, site, server and CommonName replaced by the target's; null when unchanged or not a DN.</summary>
    public string? RetargetDn(string? dn)
    {
        if (dn is null) return null;
        IReadOnlyList<(string Type, string Value)> parts;
        try
        {
            parts = ExchangeDn.Parse(dn);
        }
        catch (ArgumentException)
        {
            return null;
        }
        var sb = new StringBuilder();
        string? previous = null;
        foreach (var (type, value) in parts)
        {
            var v = value;
            if (Is(type, "o") && Same(value, source.Organization)) v = target.Organization;
            else if (Is(type, "ou") && Same(value, source.Site)) v = target.Site;
            else if (Is(type, "cn") && Same(value, source.CommonName)) v = target.CommonName;
            else if (Is(type, "cn") && Same(value, source.Server) && previous is not null && Same(previous, "Servers")) v = target.Server;
            sb.Append('/').Append(type).Append('=').Append(v);
            previous = value;
        }
        var result = sb.ToString();
        return result == dn ? null : result;
    }

    private RegValue RetargetProfileValue(string path, RegValue value)
    {
        var isServer = ProfileServerValues.Contains(value.Name);
        if (!isServer && !ProfileDnValues.Contains(value.Name)) return value;
        var unicode = value.Name.StartsWith("001f", StringComparison.OrdinalIgnoreCase);
        var text = DecodeProfileString(value.Data, unicode);
        if (text is null) return value;
        var replacement = isServer ? ReplaceServer(text) : RetargetDn(text);
        if (replacement is null || replacement == text) return value;
        var label = ProfileValueNames.TryGetValue(value.Name[4..], out var n) ? $"{value.Name} ({n})" : value.Name;
        changes.Add(new(path, label, text, replacement));
        return new RegValue(value.Name, value.Type, EncodeProfileString(replacement, unicode));
    }

    private RegValue Record(string path, RegValue value, string replacement)
    {
        var old = value.AsString() ?? "";
        if (old == replacement) return value;
        changes.Add(new(path, value.Name, old, replacement));
        return value.Type == RegType.ExpandSz ? RegValue.ExpandString(value.Name, replacement) : RegValue.String(value.Name, replacement);
    }

    private string? ReplaceServer(string? value) => value is not null && Same(value, source.Server) ? target.Server : null;
    private string? ReplaceCommonName(string? value) => value is not null && Same(value, source.CommonName) ? target.CommonName : null;
    private string? ReplaceAccount(string? value) =>
        value is not null && source.ServiceAccount is not null && target.ServiceAccount is not null && Same(value, source.ServiceAccount) ? target.ServiceAccount : null;

    private string? ReplaceServerInParentheses(string value)
    {
        var from = "(" + source.Server + ")";
        var i = value.IndexOf(from, StringComparison.OrdinalIgnoreCase);
        return i < 0 ? null : value[..i] + "(" + target.Server + ")" + value[(i + from.Length)..];
    }

    private static string? DecodeProfileString(byte[] data, bool unicode)
    {
        try
        {
            var text = unicode ? Encoding.Unicode.GetString(data) : Ansi.GetString(data);
            return text.TrimEnd('\0');
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static byte[] EncodeProfileString(string text, bool unicode) =>
        unicode ? Encoding.Unicode.GetBytes(text + "\0") : [.. Ansi.GetBytes(text), 0];

    // Profile strings (PT_STRING8) are ANSI, code page 1252, as MAPI keeps them; refuse rather than guess.
    private static readonly Encoding Ansi = CodePagesEncodingProvider.Instance.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
        ?? throw new InvalidOperationException("Code page 1252 is not available.");

    private static bool IsString(RegValue v) => v.Type is RegType.Sz or RegType.ExpandSz;
    private static bool Is(string type, string expected) => string.Equals(type, expected, StringComparison.OrdinalIgnoreCase);
    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    private static bool PathEquals(string a, string b)
    {
        try
        {
            return string.Equals(RegistryPath.Normalize(a), RegistryPath.Normalize(b), StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
