using Imc.Server.Directory;
using Imc.Server.Registry;
using Imc.Server.Store;

namespace Imc.Server;

/// <summary>
/// An open server: the machine's registry, the directory and the private information store of one folder
/// (DESIGN.md §4). Create servers with <c>Setup.ImcInstaller</c>; open existing ones here.
/// </summary>
public sealed class ExchangeServer : IDisposable
{
    private ExchangeServer(ServerLayout layout, RegistryStore registry, DirectoryStore directory, InformationStore store)
    {
        Layout = layout;
        Registry = registry;
        Directory = directory;
        Store = store;
    }

    public ServerLayout Layout { get; }
    public RegistryStore Registry { get; }
    public DirectoryStore Directory { get; }
    public InformationStore Store { get; }

    /// <summary>Opens the server in <paramref name="path"/>; a clear <see cref="ServerException"/> if there is none.</summary>
    public static ExchangeServer Open(string path)
    {
        var layout = new ServerLayout(path);
        if (!layout.Exists)
            throw new ServerException($"No server at {layout.Root} (registry.db is missing).", "Create one with 'imcadmin setup -server PATH', or choose another with -server or IMC_SERVER.");
        return Open(layout, create: false);
    }

    /// <summary>Opens (creating when asked) the three databases of <paramref name="layout"/>.</summary>
    internal static ExchangeServer Open(ServerLayout layout, bool create)
    {
        if (create)
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(layout.DirectoryDb)!);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(layout.PrivateStoreDb)!);
        }
        var opened = new List<IDisposable>();
        try
        {
            var registry = new RegistryStore(Track(SqliteDatabase.Open(layout.RegistryDb, create)));
            var directory = new DirectoryStore(Track(SqliteDatabase.Open(layout.DirectoryDb, create)));
            var store = new InformationStore(Track(SqliteDatabase.Open(layout.PrivateStoreDb, create, pageSize: 65536)));
            return new ExchangeServer(layout, registry, directory, store);
        }
        catch
        {
            foreach (var d in opened) d.Dispose();
            throw;
        }

        SqliteDatabase Track(SqliteDatabase db)
        {
            opened.Add(db);
            return db;
        }
    }

    public void Dispose()
    {
        Store.Dispose();
        Directory.Dispose();
        Registry.Dispose();
    }
}
