using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Imc.Formats.Reg;
using Imc.Server.Directory;
using Imc.Server.Gateway;
using Imc.Server.Registry;

namespace Imc.Server.Setup;

/// <summary>
/// Installs an Exchange 5.5 Internet Mail Service on a server: its service registry tree, the service account's
/// user-profile entry and IMC MAPI profile, a few neighbouring non-IMC keys, and the directory objects down to the
/// Mail-Gateway object (exchange-imc.md §1, §5.4). Deterministic: the same options give the same content, with GUIDs,
/// SIDs and profile names derived from the names. Reinstalling replaces the IMC's own keys and objects.
/// </summary>
public static partial class ImcInstaller
{
    public const string ServicesKeyPath = @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services";
    public const string ProductGuid = "9D6E5D10-E40A-11ce-A2C9-00AA0040E865";

    public static string SiteDn(InstallOptions o) => ExchangeDn.Site(o.Organization, o.Site);
    public static string CommonName(InstallOptions o) => $"Internet Mail Connector ({o.ServerName})";
    public static string DisplayName(InstallOptions o) => $"Internet Mail Service ({o.ServerName})";
    public static string GatewayDn(InstallOptions o) => ExchangeDn.Gateway(SiteDn(o), CommonName(o));
    public static string ServiceAccount(InstallOptions o) => o.ServerName + @"\ExchangeService";

    /// <summary>The service account's SID, S-1-5-21-a-b-c-1001 with a, b, c derived from the server name.</summary>
    public static string ServiceAccountSid(InstallOptions o)
    {
        var h = Hash("machine-sid", o.ServerName.ToUpperInvariant());
        return $"S-1-5-21-{BinaryPrimitives.ReadUInt32LittleEndian(h)}-{BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(4))}-{BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(8))}-1001";
    }

    /// <summary>The IMC profile key name, "MSExchangeIMC" and ten digits derived from the names.</summary>
    public static string ProfileName(InstallOptions o)
    {
        var h = Hash("profile", o.ServerName.ToUpperInvariant(), o.Organization.ToUpperInvariant(), o.Site.ToUpperInvariant());
        return ImcIdentity.ProfileNamePrefix + (BinaryPrimitives.ReadUInt64LittleEndian(h) % 10_000_000_000UL).ToString("D10", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string ProfilesKeyPath(InstallOptions o) => $@"{RegistryPath.Users}\{ServiceAccountSid(o)}\{ImcIdentity.ProfilesSubPath}";

    public static string ProfileKeyPath(InstallOptions o) => ProfilesKeyPath(o) + "\\" + ProfileName(o);

    /// <summary>
    /// Writes the IMC's registry content in one transaction (removing an earlier IMC service key and profile first)
    /// and creates the Imcdata folders RootDir names.
    /// </summary>
    public static void InstallRegistry(RegistryStore registry, ServerLayout layout, InstallOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CreateImcDataFolders(layout);
        var keys = RegistryContent(layout, options);
        registry.InTransaction(() =>
        {
            registry.DeleteKey(ImcIdentity.ServiceKeyPath);
            registry.DeleteKey(ProfileKeyPath(options));
            registry.Import(keys);
        });
    }

    /// <summary>Creates imcdata and its In, Out, Work, Pickup and Log folders.</summary>
    public static void CreateImcDataFolders(ServerLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        foreach (var folder in ServerLayout.ImcDataFolders) System.IO.Directory.CreateDirectory(Path.Combine(layout.ImcData, folder));
    }

    /// <summary>The registry content <see cref="InstallRegistry"/> writes, as key blocks in order.</summary>
    public static IReadOnlyList<RegKey> RegistryContent(ServerLayout layout, InstallOptions options)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var server = options.ServerName;
        var keys = new List<RegKey>();

        RegKey Key(string path, params RegValue[] values)
        {
            var k = new RegKey(path);
            k.Values.AddRange(values);
            keys.Add(k);
            return k;
        }

        var svc = ImcIdentity.ServiceKeyPath;
        Key(svc,
            RegValue.String("DisplayName", "Microsoft Exchange Internet Mail Service"),
            RegValue.ExpandString("ImagePath", @"%SystemDrive%\exchsrvr\connect\msexcimc\bin\msexcimc.exe"),
            RegValue.String("ObjectName", ServiceAccount(options)),
            RegValue.DWord("Start", 2),
            RegValue.DWord("Type", 0x10),
            RegValue.DWord("ErrorControl", 1),
            RegValue.MultiString("DependOnService", ["MSExchangeIS", "MSExchangeMTA", "TCPIP"]),
            RegValue.MultiString("DependOnGroup", []));

        var imcData = layout.ImcData;
        Key(svc + @"\Parameters",
            RegValue.String("RootDir", imcData),
            RegValue.String("HomeDSA", server),
            RegValue.String("SiteDN", SiteDn(options)),
            RegValue.String("CommonName", CommonName(options)),
            RegValue.String("ObjectGUID", ImcIdentity.MailGatewayObjectGuid),
            RegValue.String("ProductGUID", ProductGuid),
            RegValue.String("SiteDomain", SiteDomain(options)),
            RegValue.String("TurfDir", Path.Combine(imcData, "Turfdir")),
            RegValue.DWord("RouteCalculationInterval", 0xF),
            RegValue.DWord("DiskSpaceLowWaterMark", 0x00A00000),
            RegValue.DWord("UseRTFText", 1),
            RegValue.DWord("MaxRecipients", 100),
            RegValue.DWord("RelayFlags", 0x4),
            RegValue.DWord("ResolveP2", 0),
            RegValue.DWord("DisableReverseResolve", 0),
            RegValue.DWord("OutboundSizeLimit", 0),
            RegValue.DWord("InboundSizeLimit", 0),
            RegValue.DWord("SMTPWorkerThreads", 4),
            RegValue.DWord("ResolverThreads", 2),
            RegValue.DWord("ConsoleStatFrequency", 14),
            RegValue.DWord("DisplayErrsOnConsole", 0xFFFFFFFF),
            RegValue.MultiString("RelayAllowList", ["192.168.0.0;255.255.0.0", "10.0.0.1"]),
            RegValue.MultiString("RelayDenyList", []),
            RegValue.MultiString("TurfTable", ["spammer@example.net", "@junk.example.com", "#@bulk.example.org"]),
            RegValue.ExpandString("ProtocolLogDirectory", @"%SystemDrive%\exchsrvr\imcdata\Log"),
            RegValue.Binary("RetryIntervals", DWords(10, 10, 10, 15, 30, 60, 240)),
            RegValue.Binary("Reserved", []),
            new RegValue("SmtpPortBigEndian", RegType.DWordBigEndian, [0x00, 0x00, 0x00, 0x19]),
            RegValue.QWord("TotalMessagesTransferred", 0x0000_0001_2345_6789),
            new RegValue("InstallMarker", RegType.None, [0x01, 0x00]),
            new RegValue("VendorTuning", 0x20000, [0x56, 0x45, 0x4E, 0x44, 0x00, 0x01, 0xFF]),
            RegValue.String("Greeting \"Banner\"", $"220 {server} Internet Mail Service ready"),
            RegValue.String(@"Archive\Outbound", @"Out\Archive"),
            RegValue.String("SiteDescription", "Siège social – Montréal (Café)"), // every character is in cp1252: REGEDIT4 files are ANSI
            RegValue.String("Comment", ""));

        Key(svc + @"\Parameters\Extension",
            RegValue.String("", "Internet Mail Service extension (Imsext.dll)"),
            RegValue.String("InboundPrepend", ""),
            RegValue.String("InboundAppend", ""),
            RegValue.String("OutboundPrepend", ""),
            RegValue.String("OutboundAppend", $"This message was sent through the Internet Mail Service of {server}."),
            RegValue.String("InboundJournal", ""),
            RegValue.String("InboundJournalNDR", ""),
            RegValue.String("OutboundJournal", ""),
            RegValue.String("OutboundJournalNDR", ""),
            RegValue.DWord("InboundRecipJournalProp", 0x80360000),
            RegValue.DWord("OutboundRecipJournalProp", 0x80360000));

        Key(svc + @"\Diagnostics", DiagnosticsCategories.Select((c, i) => RegValue.DWord($"{i + 1} {c}", 0)).ToArray());

        Key(svc + @"\Performance",
            RegValue.String("Library", "IMCPRF.DLL"),
            RegValue.String("Open", "OpenIMCPerformanceData"),
            RegValue.String("Collect", "CollectIMCPerformanceData"),
            RegValue.String("Close", "CloseIMCPerformanceData"),
            RegValue.DWord("First Counter", 0x0A28),
            RegValue.DWord("Last Counter", 0x0A6C),
            RegValue.DWord("First Help", 0x0A29),
            RegValue.DWord("Last Help", 0x0A6D));

        // The service account's user profile entry: how the SID of ObjectName is found, as on Windows.
        var sid = ServiceAccountSid(options);
        Key($@"{ImcIdentity.ProfileListKeyPath}\{sid}",
            RegValue.ExpandString("ProfileImagePath", @"%SystemRoot%\Profiles\" + ImcIdentity.UserName(ServiceAccount(options))),
            RegValue.Binary("Sid", SidBytes(sid)),
            RegValue.DWord("Flags", 0),
            RegValue.DWord("State", 0),
            RegValue.String("CentralProfile", ""));

        // The service account's own (non-IMC) mail profile beside the IMC's: tools must take only MSExchangeIMC *.
        Key(ProfilesKeyPath(options), RegValue.String("DefaultProfile", "MS Exchange Settings"));
        Key(ProfilesKeyPath(options) + @"\MS Exchange Settings\" + GlobalSection,
            RegValue.Binary(TagName(0x6602001E), Ansi(server)),
            RegValue.Binary(TagName(0x66000003), DWords(0x501)));

        AddProfile(keys, options);

        // Neighbouring services an Exchange server has: present so tests can prove tools touch only the IMC.
        Key(ServicesKeyPath + @"\MSExchangeIS\ParametersSystem",
            RegValue.String("Working Directory", @"C:\exchsrvr\mdbdata"),
            RegValue.MultiString("Logon Only As", [GatewayDn(options)]),
            RegValue.DWord("No Local Delivery", 0));
        Key(ServicesKeyPath + @"\MSExchangeIS\ParametersSystem\InternetContent",
            RegValue.String("ISO-8859-1", "1252"));
        Key(ServicesKeyPath + @"\MSExchangeMTA\Parameters",
            RegValue.String("MTA database path", @"C:\exchsrvr\mtadata"),
            RegValue.DWord("Kernel threads", 1),
            RegValue.DWord("Dispatcher threads", 2));
        Key(ServicesKeyPath + @"\MSExchangeMTA\Diagnostics",
            RegValue.DWord("1 X.400 Service", 0),
            RegValue.DWord("2 Resource", 0));
        return keys;
    }

    /// <summary>The Diagnostics categories of the IMS (exchange-imc.md §1.6), numbered from 1.</summary>
    public static IReadOnlyList<string> DiagnosticsCategories { get; } =
        ["Initialization/Termination", "Internal Processing", "SMTP Interface Events", "SMTP Protocol Log", "Message Archival", "Message Transfer"];

    /// <summary>
    /// Creates (or replaces) the organization, site, configuration, server and connections containers and the IMC's
    /// Mail-Gateway object, in one transaction.
    /// </summary>
    public static void InstallDirectory(DirectoryStore directory, InstallOptions options)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        var objects = DirectoryContent(options);
        directory.InTransaction(() =>
        {
            foreach (var o in objects) directory.Put(o);
        });
    }

    /// <summary>The directory objects <see cref="InstallDirectory"/> writes, parents first.</summary>
    public static IReadOnlyList<DirectoryObject> DirectoryContent(InstallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var org = options.Organization;
        var site = options.Site;
        var server = options.ServerName;
        var siteDn = SiteDn(options);
        var serverDn = ExchangeDn.Server(siteDn, server);

        static DirectoryObject Container(string dn, string cls, string name, params DirectoryAttribute[] extra) =>
            new(dn, cls, [DirectoryAttribute.String("Common-Name", name), DirectoryAttribute.String("Admin-Display-Name", name), .. extra]);

        return
        [
            Container(ExchangeDn.Organization(org), "Organization", org),
            Container(siteDn, "Site", site),
            Container(ExchangeDn.Configuration(siteDn), "Container", "Configuration"),
            Container(ExchangeDn.Servers(siteDn), "Container", "Servers"),
            Container(serverDn, "Computer", server, DirectoryAttribute.String("Computer-Name", server)),
            Container(ExchangeDn.Mta(siteDn, server), "MTA", "Microsoft MTA", DirectoryAttribute.String("Home-Server", serverDn)),
            Container(ExchangeDn.Connections(siteDn), "Container", "Connections"),
            new DirectoryObject(GatewayDn(options), DirectorySchema.MailGateway,
            [
                DirectoryAttribute.String("Common-Name", CommonName(options)),
                DirectoryAttribute.String("Admin-Display-Name", DisplayName(options)),
                DirectoryAttribute.String("Admin-Description", "Internet Mail Service (SMTP)"),
                DirectoryAttribute.Integer("Delivery-Mechanism", 2),
                DirectoryAttribute.Binary("Deliv-Ext-Cont-Types", Convert.FromHexString("2A864886F7140501")),
                DirectoryAttribute.String("Extension-Name", "SMTP"),
                DirectoryAttribute.Binary("Extension-Data", ExtensionData(options)),
                DirectoryAttribute.String("Computer-Name", server),
                DirectoryAttribute.String("Home-Server", serverDn),
                DirectoryAttribute.String("Home-MTA", ExchangeDn.Mta(siteDn, server)),
                DirectoryAttribute.String("Routing-List", "SMTP:*;1", "SMTP:*.example.com;5", "SMTP:user%host@relay.example.net;10"),
                DirectoryAttribute.String("Connected-Domains", $"{org}§{site}§1§X400:c=US;a= ;p={org};o={site};"),
                DirectoryAttribute.Integer("Can-Preserve-DNs", 1),
                DirectoryAttribute.String("Obj-Users", ServiceAccount(options)),
                DirectoryAttribute.Integer("Line-Wrap", 76),
                DirectoryAttribute.Integer("Transfer-Timeout-Non-Urgent", 3000),
                DirectoryAttribute.Integer("Transfer-Timeout-Normal", 2000),
                DirectoryAttribute.Integer("Transfer-Timeout-Urgent", 1000),
                DirectoryAttribute.Integer("Activation-Style", 2),
                DirectoryAttribute.Binary("Activation-Schedule", Enumerable.Repeat((byte)0xFF, 84).ToArray()),
                DirectoryAttribute.String("Diagnostic-Reg-Key", @"SYSTEM\CurrentControlSet\Services\MSExchangeIMC\Diagnostics"),
                DirectoryAttribute.String("When-Created", "980601120000Z"),
                DirectoryAttribute.String("When-Changed", "980915083000Z"),
                DirectoryAttribute.Integer("USN-Created", 1520),
                DirectoryAttribute.Integer("USN-Changed", 1873),
                DirectoryAttribute.Integer("Object-Version", 3),
            ]),
        ];
    }

    /// <summary>The IMS's configuration blobs: per-domain formats, delivery routes and the message-size settings.</summary>
    private static byte[][] ExtensionData(InstallOptions o)
    {
        static byte[] Block(uint tag, byte[] payload)
        {
            var b = new byte[8 + payload.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(b, tag);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)payload.Length);
            payload.CopyTo(b, 8);
            return b;
        }
        return
        [
            Block(0x00010001, Ansi("Default,ISO-8859-1,ISO-8859-1,800,76,0,0,0")),
            Block(0x00010002, Ansi($"{SiteDomain(o).ToUpperInvariant()};10.0.0.25;0")),
            Block(0x00010003, DWords(0, 0, 1, 0xFFFFFFFF)),
        ];
    }

    private static string SiteDomain(InstallOptions o)
    {
        static string Label(string s)
        {
            var chars = s.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray();
            return chars.Length == 0 ? "x" : new string(chars);
        }
        return $"{Label(o.Site)}.{Label(o.Organization)}.com";
    }

    private static byte[] DWords(params uint[] values)
    {
        var b = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(i * 4), values[i]);
        return b;
    }

    /// <summary>A SID in its binary form: revision, sub-authority count, 48-bit big-endian authority, sub-authorities.</summary>
    internal static byte[] SidBytes(string sid)
    {
        var parts = sid.Split('-');
        var subs = parts[3..].Select(p => uint.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var b = new byte[8 + 4 * subs.Length];
        b[0] = byte.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        b[1] = (byte)subs.Length;
        var authority = ulong.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 6; i++) b[2 + i] = (byte)(authority >> (8 * (5 - i)));
        for (var i = 0; i < subs.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8 + 4 * i), subs[i]);
        return b;
    }

    private static byte[] Hash(params string[] parts) => SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
}
