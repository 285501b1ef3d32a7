using Imc.Formats.Reg;
using Imc.Server.Directory;
using Imc.Server.Registry;

namespace Imc.Server.Gateway;

/// <summary>
/// Who the Internet Mail Connector is on this server, read from the registry the way the IMC and Imcsave read it:
/// the service key and its Parameters (RootDir, HomeDSA, SiteDN, CommonName, ObjectGUID), the service account and
/// its SID, and from them the gateway DN (its directory object and mailbox) and the service account's IMC profiles.
/// </summary>
public sealed class ImcIdentity
{
    public const string ServiceName = "MSExchangeIMC";
    public const string ServiceKeyPath = @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSExchangeIMC";
    public const string ParametersKeyPath = ServiceKeyPath + @"\Parameters";
    public const string ProfileListKeyPath = @"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList";

    /// <summary>The path below HKEY_USERS\&lt;SID&gt; where MAPI keeps a user's profiles.</summary>
    public const string ProfilesSubPath = @"Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles";

    /// <summary>IMC profile keys are named "MSExchangeIMC xxxxxxxxxx".</summary>
    public const string ProfileNamePrefix = ServiceName + " ";

    /// <summary>OBJECT_GUID_MAIL_GATEWAY: the ObjectGUID every EDK gateway, the IMC among them, registers.</summary>
    public const string MailGatewayObjectGuid = "61DF5950-E40A-11ce-A2C9-00AA0040E865";

    private const string RestoreHint = "Restore the IMC's service registry values (imcrestore -restore Registry) or reinstall it with 'imcadmin setup'.";

    private ImcIdentity() { }

    /// <summary>The Imcdata folder (Parameters\RootDir), a folder of this machine that exists.</summary>
    public required string RootDir { get; init; }

    /// <summary>The IMC's home server (Parameters\HomeDSA).</summary>
    public required string HomeDsa { get; init; }

    /// <summary>The site DN, /o=Org/ou=Site (Parameters\SiteDN).</summary>
    public required string SiteDn { get; init; }

    public required string Organization { get; init; }
    public required string Site { get; init; }

    /// <summary>The RDN value of the gateway object, e.g. "Internet Mail Connector (EXCH1)" (Parameters\CommonName).</summary>
    public required string CommonName { get; init; }

    public required string ObjectGuid { get; init; }

    /// <summary>The service account, e.g. EXCH1\ExchangeService (the service key's ObjectName).</summary>
    public required string ServiceAccount { get; init; }

    /// <summary>The service account's SID, found through the ProfileList.</summary>
    public required string ServiceAccountSid { get; init; }

    /// <summary>The gateway's directory object and mailbox: SiteDN/cn=Configuration/cn=Connections/cn=CommonName.</summary>
    public required string GatewayDn { get; init; }

    /// <summary>HKEY_USERS\&lt;SID&gt;\...\Windows Messaging Subsystem\Profiles (it may not exist).</summary>
    public required string ProfilesKeyPath { get; init; }

    /// <summary>The "MSExchangeIMC *" profile keys under <see cref="ProfilesKeyPath"/> (full paths; may be none).</summary>
    public required IReadOnlyList<string> ProfileKeyPaths { get; init; }

    /// <summary>Reads the IMC identity from the registry.</summary>
    /// <exception cref="ServerException">The IMC is not installed, a value is missing, empty or of the wrong type, RootDir does not exist, or the service account has no profile.</exception>
    public static ImcIdentity Read(RegistryStore registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!registry.KeyExists(ServiceKeyPath))
            throw new ServerException(
                $"The Internet Mail Connector is not installed on this server: {ServiceKeyPath} does not exist.",
                "Install it with 'imcadmin setup', or choose another server with -server or IMC_SERVER.");
        if (!registry.KeyExists(ParametersKeyPath))
            throw new ServerException(
                $"The Internet Mail Connector's registry key {ParametersKeyPath} does not exist.",
                RestoreHint);

        var rootDir = ReadString(registry, ParametersKeyPath, "RootDir");
        var homeDsa = ReadString(registry, ParametersKeyPath, "HomeDSA");
        var siteDn = ReadString(registry, ParametersKeyPath, "SiteDN");
        var commonName = ReadString(registry, ParametersKeyPath, "CommonName");
        var objectGuid = ReadString(registry, ParametersKeyPath, "ObjectGUID");
        var account = ReadString(registry, ServiceKeyPath, "ObjectName");

        (string Org, string Site) site;
        try
        {
            site = ExchangeDn.ParseSite(siteDn);
        }
        catch (ArgumentException)
        {
            throw new ServerException(
                $"The registry value SiteDN in {ParametersKeyPath} is '{siteDn}'; expected a site DN of the form /o=Organization/ou=Site.", RestoreHint);
        }
        if (!ExchangeDn.IsValidName(commonName))
            throw new ServerException(
                $"The registry value CommonName in {ParametersKeyPath} is '{commonName}'; expected a directory name without '/', '=' or control characters.", RestoreHint);

        if (!System.IO.Directory.Exists(rootDir))
            throw new ServerException(
                $"The IMC's RootDir folder {rootDir} does not exist (registry value RootDir in {ParametersKeyPath}).",
                "Create the folder, or set RootDir to the Imcdata folder of this server.");

        var sid = FindSid(registry, account);
        var profilesKey = RegistryPath.Combine(RegistryPath.Users, sid) + "\\" + ProfilesSubPath;
        var profiles = registry.GetSubKeyNames(profilesKey)
            .Where(n => n.StartsWith(ProfileNamePrefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => profilesKey + "\\" + n)
            .ToList();

        return new ImcIdentity
        {
            RootDir = rootDir,
            HomeDsa = homeDsa,
            SiteDn = siteDn,
            Organization = site.Org,
            Site = site.Site,
            CommonName = commonName,
            ObjectGuid = objectGuid,
            ServiceAccount = account,
            ServiceAccountSid = sid,
            GatewayDn = ExchangeDn.Gateway(siteDn, commonName),
            ProfilesKeyPath = profilesKey,
            ProfileKeyPaths = profiles,
        };
    }

    /// <summary>The user-name part of an account (EXCH1\ExchangeService → ExchangeService).</summary>
    public static string UserName(string account)
    {
        var slash = account.LastIndexOf('\\');
        return slash >= 0 ? account[(slash + 1)..] : account;
    }

    /// <summary>
    /// As Windows does: the SID whose ProfileList entry has a ProfileImagePath whose last folder is the account's user
    /// name (or name.NNN, the folder Windows makes when the name is taken).
    /// </summary>
    private static string FindSid(RegistryStore registry, string account)
    {
        var user = UserName(account);
        foreach (var sid in registry.GetSubKeyNames(ProfileListKeyPath))
        {
            var image = registry.GetValue(ProfileListKeyPath + "\\" + sid, "ProfileImagePath")?.AsString();
            if (image is null) continue;
            var folder = image.TrimEnd('\\', '/');
            folder = folder[(folder.LastIndexOfAny(['\\', '/']) + 1)..];
            if (folder.Equals(user, StringComparison.OrdinalIgnoreCase)) return sid;
            var dot = folder.LastIndexOf('.');
            if (dot > 0 && folder[..dot].Equals(user, StringComparison.OrdinalIgnoreCase) && folder[(dot + 1)..].All(char.IsAsciiDigit) && dot < folder.Length - 1)
                return sid;
        }
        throw new ServerException(
            $"The IMC service account {account} has no user profile: no ProfileImagePath under {ProfileListKeyPath} ends with \\{user}.",
            "Restore the IMC's profile registry values, or reinstall the IMC with 'imcadmin setup'.");
    }

    private static string ReadString(RegistryStore registry, string key, string name)
    {
        var value = registry.GetValue(key, name)
            ?? throw new ServerException($"The registry value {name} is missing from {key}.",
                RestoreHint);
        if (value.Type is not (RegType.Sz or RegType.ExpandSz))
            throw new ServerException($"The registry value {name} in {key} is {RegType.Name(value.Type)}; expected REG_SZ.", RestoreHint);
        var text = value.AsString()!;
        if (value.Type == RegType.ExpandSz) text = Environment.ExpandEnvironmentVariables(text);
        if (string.IsNullOrWhiteSpace(text))
            throw new ServerException($"The registry value {name} in {key} is empty.", RestoreHint);
        return text;
    }
}
