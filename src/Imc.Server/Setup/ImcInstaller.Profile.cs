using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Imc.Formats.Reg;
using Imc.Server.Directory;

namespace Imc.Server.Setup;

/// <summary>The IMC's gateway MAPI profile, as the EDK's HrCreateGatewayProfile builds it (exchange-imc.md §1.8).</summary>
public static partial class ImcInstaller
{
    /// <summary>The profile's global section (pbGlobalProfileSectionGuid).</summary>
    public const string GlobalSection = "13dbb0c8aa05101a9bb000aa002fc45a";

    /// <summary>The section that lists the profile's providers.</summary>
    public const string ProvidersSection = "9207f3e0a3b11019908b08002b2a56c2";

    // Property tags of profile sections (mapitags.h, EdkMdb.h).
    private const uint PrDisplayName = 0x3001001E;
    private const uint PrProviderDisplay = 0x3006001E;
    private const uint PrResourceFlags = 0x30090003;
    private const uint PrProviderDllName = 0x300A001E;
    private const uint PrProviderUid = 0x300C0102;
    private const uint PrStoreProviders = 0x3D000102;
    private const uint PrAbProviders = 0x3D010102;
    private const uint PrServiceName = 0x3D09001E;
    private const uint PrServiceDllName = 0x3D0A001E;
    private const uint PrServiceEntryName = 0x3D0B001E;
    private const uint PrServiceUid = 0x3D0C0102;
    private const uint PrResourceType = 0x3E030003;
    private const uint PrMdbProvider = 0x34140102;
    private const uint PrProfileVersion = 0x66000003;
    private const uint PrProfileConfigFlags = 0x66010003;
    private const uint PrProfileHomeServer = 0x6602001E;
    private const uint PrProfileUser = 0x6603001E;
    private const uint PrProfileConnectFlags = 0x66040003;
    private const uint PrProfileOpenFlags = 0x66090003;
    private const uint PrProfileType = 0x660A0003;
    private const uint PrProfileMailbox = 0x660B001E;
    private const uint PrProfileServer = 0x660C001E;
    private const uint PrProfileHomeServerDn = 0x6612001E;
    private const uint PrProfileServerDn = 0x6614001E;

    private const uint MapiStoreProvider = 33;
    private const uint MapiAbProvider = 35;
    private const uint StatusDefaultStore = 0x2, StatusPrimaryIdentity = 0x4, StatusPrimaryStore = 0x1000;
    private const uint ProfilePrimaryUser = 1, ProfilePublicStore = 3;
    private const uint ConnectUseAdminPrivilege = 0x1;
    private const uint OpenFlagsGateway = 0x08;

    private static readonly byte[] ExchangePrivateProvider = Convert.FromHexString("5494A1C0297F101BA58708002B2A2517");
    private static readonly byte[] ExchangePublicProvider = Convert.FromHexString("78B2FA70AFF711CD9BC800AA002FC45A");

    /// <summary>A profile value name: the property tag as 8 hex digits, type first (PT_STRING8 0x6602 → 001e6602).</summary>
    public static string TagName(uint tag) => ((tag & 0xFFFF).ToString("x4", CultureInfo.InvariantCulture) + (tag >> 16).ToString("x4", CultureInfo.InvariantCulture));

    private static void AddProfile(List<RegKey> keys, InstallOptions o)
    {
        var profile = ProfileKeyPath(o);
        var siteDn = SiteDn(o);
        var gatewayDn = GatewayDn(o);
        var serverDn = ExchangeDn.Server(siteDn, o.ServerName);
        var service = Uid(o, "service");
        var directory = Uid(o, "directory");
        var privateStore = Uid(o, "private");
        var publicStore = Uid(o, "public");

        void Section(byte[] uid, params (uint Tag, byte[] Data)[] props) => NamedSection(Convert.ToHexString(uid).ToLowerInvariant(), props);
        void NamedSection(string name, params (uint Tag, byte[] Data)[] props)
        {
            var key = new RegKey(profile + "\\" + name);
            key.Values.AddRange(props.Select(p => RegValue.Binary(TagName(p.Tag), p.Data)));
            keys.Add(key);
        }

        keys.Add(new RegKey(profile));
        NamedSection(GlobalSection,
            (PrProfileVersion, Long(0x501)),
            (PrProfileConfigFlags, Long(0)),
            (PrProfileHomeServer, Ansi(o.ServerName)),
            (PrProfileHomeServerDn, Ansi(serverDn)),
            (PrProfileUser, Ansi(gatewayDn)),
            (PrProfileConnectFlags, Long(ConnectUseAdminPrivilege)));
        NamedSection(ProvidersSection,
            (PrStoreProviders, [.. privateStore, .. publicStore]),
            (PrAbProviders, directory));
        Section(service,
            (PrServiceName, Ansi("MSEMS_EdkGateway")),
            (PrDisplayName, Ansi("Exchange Access for EDK Gateways")),
            (PrServiceDllName, Ansi("emsui.dll")),
            (PrServiceEntryName, Ansi("EMSCfg")),
            (PrServiceUid, service),
            (PrStoreProviders, [.. privateStore, .. publicStore]),
            (PrAbProviders, directory),
            (PrProfileHomeServer, Ansi(o.ServerName)),
            (PrProfileUser, Ansi(gatewayDn)));
        Section(directory,
            (PrDisplayName, Ansi("Microsoft Exchange Directory Service")),
            (PrProviderDisplay, Ansi("Microsoft Exchange Directory Service")),
            (PrProviderDllName, Ansi("emsabp.dll")),
            (PrResourceType, Long(MapiAbProvider)),
            (PrServiceUid, service),
            (PrProviderUid, directory));
        Section(privateStore,
            (PrDisplayName, Ansi("Private Folders")),
            (PrProviderDisplay, Ansi("Microsoft Exchange Message Store")),
            (PrProviderDllName, Ansi("emsmdb.dll")),
            (PrResourceType, Long(MapiStoreProvider)),
            (PrResourceFlags, Long(StatusPrimaryIdentity | StatusDefaultStore | StatusPrimaryStore)),
            (PrMdbProvider, ExchangePrivateProvider),
            (PrProfileType, Long(ProfilePrimaryUser)),
            (PrProfileOpenFlags, Long(OpenFlagsGateway)),
            (PrProfileMailbox, Ansi(gatewayDn)),
            (PrProfileServer, Ansi(o.ServerName)),
            (PrProfileServerDn, Ansi(serverDn)),
            (PrServiceUid, service),
            (PrProviderUid, privateStore));
        Section(publicStore,
            (PrDisplayName, Ansi("Public Folders")),
            (PrProviderDisplay, Ansi("Microsoft Exchange Message Store")),
            (PrProviderDllName, Ansi("emsmdb.dll")),
            (PrResourceType, Long(MapiStoreProvider)),
            (PrResourceFlags, Long(0)),
            (PrMdbProvider, ExchangePublicProvider),
            (PrProfileType, Long(ProfilePublicStore)),
            (PrProfileServer, Ansi(o.ServerName)),
            (PrProfileServerDn, Ansi(serverDn)),
            (PrServiceUid, service),
            (PrProviderUid, publicStore));
    }

    /// <summary>A 16-byte section/provider UID derived from the names, so reinstalling gives the same profile.</summary>
    private static byte[] Uid(InstallOptions o, string role) =>
        Hash("uid", role, o.ServerName.ToUpperInvariant(), o.Organization.ToUpperInvariant(), o.Site.ToUpperInvariant())[..16];

    private static byte[] Long(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return b;
    }

    /// <summary>PT_STRING8 data as MAPI keeps it in a profile: ANSI (cp1252) with a terminating NUL.</summary>
    private static byte[] Ansi(string s) => [.. Cp1252.GetBytes(s), 0];

    private static readonly Encoding Cp1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)
        ?? throw new InvalidOperationException("Code page 1252 is not available.");
}
