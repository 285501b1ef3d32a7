namespace Imc.Server.Store;

/// <summary>A mailbox of the private information store (for a gateway: its queue folders), identified by its DN.</summary>
public sealed class Mailbox
{
    private readonly InformationStore _store;

    internal Mailbox(InformationStore store, long id, string dn, string displayName)
    {
        _store = store;
        Id = id;
        Dn = dn;
        DisplayName = displayName;
    }

    public long Id { get; }
    public string Dn { get; }
    public string DisplayName { get; }

    /// <summary>The names of the folders under the mailbox root, in creation order (hidden system folders excluded).</summary>
    public IReadOnlyList<string> FolderNames
    {
        get
        {
            using var cmd = _store.Database.Command("SELECT name FROM folders WHERE mailbox_id=$m AND hidden=0 ORDER BY id", ("$m", Id));
            using var r = cmd.ExecuteReader();
            var names = new List<string>();
            while (r.Read()) names.Add(r.GetString(0));
            return names;
        }
    }

    /// <summary>The folder with this name (compared case-insensitively), or null when the mailbox has none.</summary>
    public Folder? OpenFolder(string name) => OpenFolder(name, hidden: false);

    /// <summary>Creates a folder under the mailbox root; an error if one of that name exists.</summary>
    public Folder CreateFolder(string name) => CreateFolder(name, hidden: false);

    /// <summary>Deletes a folder and every message in it; false when there is no such folder.</summary>
    public bool DeleteFolder(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _store.Write(() => _store.Database.Execute("DELETE FROM folders WHERE mailbox_id=$m AND hidden=0 AND name=$n", ("$m", Id), ("$n", name)) > 0);
    }

    internal Folder? OpenFolder(string name, bool hidden)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var cmd = _store.Database.Command("SELECT id, name FROM folders WHERE mailbox_id=$m AND hidden=$h AND name=$n",
            ("$m", Id), ("$h", hidden ? 1 : 0), ("$n", name));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new Folder(_store, this, r.GetInt64(0), r.GetString(1)) : null;
    }

    internal Folder CreateFolder(string name, bool hidden)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _store.Write(() =>
        {
            if (OpenFolder(name, hidden) is { } existing)
                throw new ServerException($"The mailbox {Dn} already has a folder {existing.Name}.");
            var id = (long)_store.Database.Scalar("INSERT INTO folders(mailbox_id, name, hidden) VALUES($m, $n, $h) RETURNING id",
                ("$m", Id), ("$n", name), ("$h", hidden ? 1 : 0))!;
            return new Folder(_store, this, id, name);
        });
    }

    public override string ToString() => Dn;
}
