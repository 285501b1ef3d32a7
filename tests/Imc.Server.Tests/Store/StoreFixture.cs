using Imc.Server.Store;
using Imc.Testing;

namespace Imc.Server.Tests.Store;

/// <summary>A fresh priv.db in a temporary folder, with a gateway mailbox and its five queues.</summary>
internal sealed class StoreFixture : IDisposable
{
    public const string GatewayDn = "/o=ORG/ou=SITE/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH1)";
    public static readonly string[] Queues = ["MTS-IN", "MTS-OUT", "Bad", "ContentConversionFailed", "Work"];

    private readonly TempDirectory _temp = new("imc-store");

    public StoreFixture(bool withGateway = true)
    {
        PrivDb = _temp.Combine("priv.db");
        Store = Open();
        if (withGateway) Store.CreateGatewayMailbox(GatewayDn, "Internet Mail Connector (EXCH1)", Queues);
    }

    public string PrivDb { get; }
    public InformationStore Store { get; private set; }

    public InformationStore Open() => new(SqliteDatabase.Open(PrivDb, create: true));

    /// <summary>Closes and opens the store again: what a later process sees.</summary>
    public InformationStore Reopen()
    {
        Store.Dispose();
        return Store = Open();
    }

    public Folder Queue(string name) => Store.FindMailbox(GatewayDn)!.OpenFolder(name)!;

    public void Dispose()
    {
        Store.Dispose();
        _temp.Dispose();
    }
}
