namespace Imc.Server.Directory;

/// <summary>
/// Exchange 5.x distinguished names: <c>/o=Org/ou=Site/cn=Configuration/cn=Connections/cn=Name</c>. DNs compare
/// case-insensitively; a component is <c>type=value</c> and values contain no '/'.
/// </summary>
public static class ExchangeDn
{
    public static string Organization(string org) => "/o=" + org;

    public static string Site(string org, string site) => $"/o={org}/ou={site}";

    public static string Configuration(string siteDn) => siteDn + "/cn=Configuration";

    public static string Connections(string siteDn) => Configuration(siteDn) + "/cn=Connections";

    public static string Servers(string siteDn) => Configuration(siteDn) + "/cn=Servers";

    /// <summary>The DN of a gateway (connector) object, e.g. the IMC: its mailbox DN too.</summary>
    public static string Gateway(string siteDn, string commonName) => Connections(siteDn) + "/cn=" + commonName;

    public static string Server(string siteDn, string serverName) => Servers(siteDn) + "/cn=" + serverName;

    /// <summary>The server's message transfer agent (the Home-MTA of its connectors).</summary>
    public static string Mta(string siteDn, string serverName) => Server(siteDn, serverName) + "/cn=Microsoft MTA";

    /// <summary>The server's private information store (Home-MDB).</summary>
    public static string PrivateStore(string siteDn, string serverName) => Server(siteDn, serverName) + "/cn=Microsoft Private MDB";

    /// <summary>Splits a site DN <c>/o=Org/ou=Site</c> into its organization and site names.</summary>
    /// <exception cref="ArgumentException">The DN is not of that form.</exception>
    public static (string Org, string Site) ParseSite(string siteDn)
    {
        ArgumentNullException.ThrowIfNull(siteDn);
        var rdns = TryParse(siteDn);
        if (rdns is not [var o, var ou]
            || !o.Type.Equals("o", StringComparison.OrdinalIgnoreCase)
            || !ou.Type.Equals("ou", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"The site DN '{siteDn}' is not of the form /o=Organization/ou=Site.", nameof(siteDn));
        return (o.Value, ou.Value);
    }

    /// <summary>The components of <paramref name="dn"/> in order.</summary>
    /// <exception cref="ArgumentException">The DN does not start with '/' or has a component that is not type=value.</exception>
    public static IReadOnlyList<(string Type, string Value)> Parse(string dn) =>
        TryParse(dn) ?? throw new ArgumentException($"The DN '{dn}' is not of the form /o=Org/ou=Site/cn=Name (components type=value separated by '/').", nameof(dn));

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="dn"/> is not a well-formed DN.</summary>
    public static void Validate(string dn) => Parse(dn);

    /// <summary>The DN of the container holding <paramref name="dn"/>, or null for an organization.</summary>
    public static string? Parent(string dn)
    {
        var slash = dn.LastIndexOf('/');
        return slash > 0 ? dn[..slash] : null;
    }

    /// <summary>The value of the last component: the object's common name.</summary>
    public static string CommonName(string dn) => Parse(dn)[^1].Value;

    public static bool Equals(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="dn"/> lies strictly below <paramref name="ancestor"/>.</summary>
    public static bool IsBelow(string dn, string ancestor) =>
        dn.Length > ancestor.Length && dn[ancestor.Length] == '/' && dn.StartsWith(ancestor, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when a name can be one component value: not empty, no '/', '=' or control characters.</summary>
    public static bool IsValidName(string name) =>
        !string.IsNullOrWhiteSpace(name) && !name.Any(c => c is '/' or '=' || char.IsControl(c));

    internal static string Fold(string dn) => dn.ToUpperInvariant();

    private static List<(string Type, string Value)>? TryParse(string dn)
    {
        if (string.IsNullOrEmpty(dn) || dn[0] != '/') return null;
        var result = new List<(string, string)>();
        foreach (var part in dn[1..].Split('/'))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || eq == part.Length - 1 || part.Any(char.IsControl)) return null;
            result.Add((part[..eq], part[(eq + 1)..]));
        }
        return result;
    }
}
