namespace Imc.Server;

/// <summary>The folders and files of a server, mirroring an Exchange 5.x machine (DESIGN.md §4).</summary>
public sealed class ServerLayout(string root)
{
    public string Root { get; } = System.IO.Path.GetFullPath(root);
    public string RegistryDb => System.IO.Path.Combine(Root, "registry.db");
    public string ExchSrvr => System.IO.Path.Combine(Root, "exchsrvr");
    public string DirectoryDb => System.IO.Path.Combine(ExchSrvr, "dsadata", "dir.db");
    public string PrivateStoreDb => System.IO.Path.Combine(ExchSrvr, "mdbdata", "priv.db");
    public string ImcData => System.IO.Path.Combine(ExchSrvr, "imcdata");

    /// <summary>The subfolders of imcdata an IMS has.</summary>
    public static IReadOnlyList<string> ImcDataFolders { get; } = ["In", "Out", "Work", "Pickup", "Log"];

    /// <summary>True when the registry database exists: the folder holds a server.</summary>
    public bool Exists => File.Exists(RegistryDb);
}
