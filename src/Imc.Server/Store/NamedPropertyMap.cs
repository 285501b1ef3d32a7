using Imc.Formats.Mapi;

namespace Imc.Server.Store;

/// <summary>
/// The store's named-property map (table named_props): each <see cref="PropertyName"/> gets one id from 0x8000 for
/// the life of the store, as IMAPIProp::GetIDsFromNames does. Cached in memory; new mappings made inside a
/// transaction enter the cache only once it commits, and an unknown id is looked up again (another process may have
/// mapped it).
/// </summary>
internal sealed class NamedPropertyMap(SqliteDatabase db)
{
    private const int FirstId = 0x8000;
    private const int LastId = 0xFFFE;

    private readonly Dictionary<PropertyName, ushort> _ids = [];
    private readonly Dictionary<ushort, PropertyName> _names = [];
    private readonly List<(PropertyName Name, ushort Id)> _pending = [];

    /// <summary>The store id of <paramref name="name"/>, mapping it now when new. Call inside a write transaction.</summary>
    public ushort GetOrCreateId(PropertyName name)
    {
        if (_ids.TryGetValue(name, out var id)) return id;
        foreach (var (n, i) in _pending)
            if (n.Equals(name)) return i;
        var (kind, lid, str) = Key(name);
        var found = db.Scalar("SELECT id FROM named_props WHERE guid=$g AND kind=$k AND lid=$l AND name=$n",
            ("$g", name.PropertySet.ToByteArray()), ("$k", kind), ("$l", lid), ("$n", str));
        if (found is long existing)
        {
            Remember(name, (ushort)existing);
            return (ushort)existing;
        }
        var next = (long)db.Scalar("SELECT COALESCE(MAX(id) + 1, $first) FROM named_props", ("$first", FirstId))!;
        if (next > LastId)
            throw new ServerException($"The information store {db.Path} has no free named-property id left (all of 0x8000-0xFFFE are mapped).");
        db.Execute("INSERT INTO named_props(id, guid, kind, lid, name) VALUES($id, $g, $k, $l, $n)",
            ("$id", next), ("$g", name.PropertySet.ToByteArray()), ("$k", kind), ("$l", lid), ("$n", str));
        _pending.Add((name, (ushort)next));
        return (ushort)next;
    }

    /// <summary>The name mapped to <paramref name="id"/>; a clear error if the store has no such mapping.</summary>
    public PropertyName NameOf(ushort id)
    {
        if (_names.TryGetValue(id, out var name)) return name;
        foreach (var (n, i) in _pending)
            if (i == id) return n;
        Reload();
        return _names.TryGetValue(id, out name)
            ? name
            : throw new ServerException($"The information store {db.Path} has a property with named-property id 0x{id:X4}, but no name is mapped to it.");
    }

    /// <summary>Called after the transaction that made new mappings commits (or rolls back).</summary>
    public void EndTransaction(bool committed)
    {
        if (committed)
            foreach (var (n, i) in _pending) Remember(n, i);
        _pending.Clear();
    }

    private void Reload()
    {
        using var cmd = db.Command("SELECT id, guid, kind, lid, name FROM named_props");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var guid = new Guid((byte[])r.GetValue(1));
            var name = r.GetInt64(2) == 0 ? PropertyName.FromId(guid, (uint)r.GetInt64(3)) : PropertyName.FromName(guid, r.GetString(4));
            Remember(name, (ushort)r.GetInt64(0));
        }
    }

    private void Remember(PropertyName name, ushort id)
    {
        _ids[name] = id;
        _names[id] = name;
    }

    private static (int Kind, long Lid, string Name) Key(PropertyName name) =>
        name.IsString ? (1, 0, name.Name!) : (0, name.Id!.Value, "");
}
