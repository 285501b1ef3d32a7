using Microsoft.Data.Sqlite;

namespace Imc.Server.Directory;

/// <summary>
/// The directory (exchsrvr/dsadata/dir.db): objects by Exchange DN (compared case-insensitively, stored as given),
/// each with an object class and multi-valued attributes kept in insertion order. An attribute with no values does
/// not exist. Safe to use from several threads and, through SQLite's WAL, from several processes.
/// </summary>
public sealed class DirectoryStore : IDisposable
{
    private readonly SqliteDatabase _db;
    private readonly Lock _gate = new();

    public DirectoryStore(SqliteDatabase db)
    {
        _db = db;
        lock (_gate)
        {
            _db.InTransaction(_ => _db.Execute("""
                CREATE TABLE IF NOT EXISTS dir_object (
                    id INTEGER PRIMARY KEY,
                    dn TEXT NOT NULL,
                    fold TEXT NOT NULL UNIQUE,
                    parent_fold TEXT,
                    class TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS dir_object_parent ON dir_object(parent_fold);
                CREATE TABLE IF NOT EXISTS dir_attribute (
                    object_id INTEGER NOT NULL REFERENCES dir_object(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    fold TEXT NOT NULL,
                    syntax INTEGER NOT NULL,
                    PRIMARY KEY (object_id, fold));
                CREATE TABLE IF NOT EXISTS dir_value (
                    object_id INTEGER NOT NULL,
                    attr_fold TEXT NOT NULL,
                    idx INTEGER NOT NULL,
                    value NOT NULL, -- no declared type: BLOB affinity, so SQLite never converts "123" to a number
                    PRIMARY KEY (object_id, attr_fold, idx),
                    FOREIGN KEY (object_id, attr_fold) REFERENCES dir_attribute(object_id, fold) ON DELETE CASCADE);
                """));
        }
    }

    internal SqliteDatabase Database => _db;

    /// <summary>The object at <paramref name="dn"/> (any case), or null.</summary>
    public DirectoryObject? Get(string dn)
    {
        ArgumentNullException.ThrowIfNull(dn);
        lock (_gate) return _db.InTransaction(_ => Find(dn) is { } row ? Load(row) : null);
    }

    /// <summary>Creates the object.</summary>
    /// <exception cref="ServerException">An object with that DN already exists.</exception>
    public void Create(DirectoryObject o)
    {
        Check(o);
        lock (_gate)
        {
            _db.InTransaction(_ =>
            {
                if (Find(o.DistinguishedName) is { } existing)
                    throw new ServerException($"The directory object {existing.Dn} already exists.", "Use Put to replace it.");
                Insert(o);
            });
        }
    }

    /// <summary>Creates the object, or replaces an existing one (class and every attribute) at the same DN.</summary>
    public void Put(DirectoryObject o)
    {
        Check(o);
        lock (_gate)
        {
            _db.InTransaction(_ =>
            {
                if (Find(o.DistinguishedName) is { } existing) _db.Execute("DELETE FROM dir_object WHERE id = @id", ("@id", existing.Id));
                Insert(o);
            });
        }
    }

    /// <summary>Replaces (in place) or adds one attribute; an attribute with no values is removed.</summary>
    /// <exception cref="ServerException">The object does not exist.</exception>
    public void SetAttribute(string dn, DirectoryAttribute a)
    {
        ArgumentNullException.ThrowIfNull(a);
        a.Validate();
        lock (_gate)
        {
            _db.InTransaction(_ =>
            {
                var row = Find(dn) ?? throw Missing(dn);
                var fold = Fold(a.Name);
                if (a.Values.Count == 0)
                {
                    RemoveAttributeCore(row.Id, fold);
                    return;
                }
                var updated = _db.Execute("UPDATE dir_attribute SET syntax = @s WHERE object_id = @o AND fold = @f", ("@s", (long)a.Syntax), ("@o", row.Id), ("@f", fold));
                if (updated > 0)
                    _db.Execute("DELETE FROM dir_value WHERE object_id = @o AND attr_fold = @f", ("@o", row.Id), ("@f", fold));
                else
                    _db.Execute("""
                        INSERT INTO dir_attribute(object_id, seq, name, fold, syntax)
                        VALUES (@o, (SELECT COALESCE(MAX(seq), 0) + 1 FROM dir_attribute WHERE object_id = @o), @n, @f, @s)
                        """, ("@o", row.Id), ("@n", a.Name), ("@f", fold), ("@s", (long)a.Syntax));
                InsertValues(row.Id, fold, a);
            });
        }
    }

    /// <summary>Removes one attribute; false when the object or the attribute does not exist.</summary>
    public bool RemoveAttribute(string dn, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate) return _db.InTransaction(_ => Find(dn) is { } row && RemoveAttributeCore(row.Id, Fold(name)));
    }

    /// <summary>Deletes the object (not its children); false when it did not exist.</summary>
    public bool Delete(string dn)
    {
        ArgumentNullException.ThrowIfNull(dn);
        lock (_gate) return _db.Execute("DELETE FROM dir_object WHERE fold = @f", ("@f", ExchangeDn.Fold(dn))) > 0;
    }

    /// <summary>
    /// The objects below <paramref name="baseDn"/> — its direct children, or with <paramref name="subtree"/> all its
    /// descendants — not the base itself (use <see cref="Get"/> for that), sorted by DN ignoring case.
    /// </summary>
    public IReadOnlyList<DirectoryObject> Search(string baseDn, bool subtree)
    {
        ArgumentNullException.ThrowIfNull(baseDn);
        var baseFold = ExchangeDn.Fold(baseDn.TrimEnd('/'));
        lock (_gate)
        {
            return _db.InTransaction(_ =>
            {
                var rows = new List<Row>();
                using (var cmd = subtree
                    ? _db.Command("SELECT id, dn, class FROM dir_object WHERE substr(fold, 1, length(@b) + 1) = @b || '/' ORDER BY fold", ("@b", baseFold))
                    : _db.Command("SELECT id, dn, class FROM dir_object WHERE parent_fold = @b ORDER BY fold", ("@b", baseFold)))
                using (var r = cmd.ExecuteReader())
                    while (r.Read()) rows.Add(new Row(r.GetInt64(0), r.GetString(1), r.GetString(2)));
                return rows.Select(Load).ToList();
            });
        }
    }

    /// <summary>Runs <paramref name="work"/> (which may call this store) in one transaction: all of it or nothing.</summary>
    public void InTransaction(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate) _db.InTransaction(_ => work());
    }

    public void Dispose() => _db.Dispose();

    // ---- internals (callers hold _gate) ----

    private sealed record Row(long Id, string Dn, string Class);

    private static string Fold(string name) => name.ToUpperInvariant();

    private static ServerException Missing(string dn) => new($"The directory object {dn} does not exist.");

    private static void Check(DirectoryObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        ExchangeDn.Validate(o.DistinguishedName);
        if (string.IsNullOrWhiteSpace(o.ObjectClass))
            throw new ArgumentException($"The directory object {o.DistinguishedName} has no object class.");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in o.Attributes)
        {
            ArgumentNullException.ThrowIfNull(a);
            a.Validate();
            if (!seen.Add(a.Name))
                throw new ArgumentException($"The directory object {o.DistinguishedName} has the attribute {a.Name} twice.");
        }
    }

    private Row? Find(string dn)
    {
        using var cmd = _db.Command("SELECT id, dn, class FROM dir_object WHERE fold = @f", ("@f", ExchangeDn.Fold(dn)));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new Row(r.GetInt64(0), r.GetString(1), r.GetString(2)) : null;
    }

    private void Insert(DirectoryObject o)
    {
        var dn = o.DistinguishedName;
        var parent = ExchangeDn.Parent(dn);
        var id = (long)_db.Scalar("INSERT INTO dir_object(dn, fold, parent_fold, class) VALUES (@dn, @f, @p, @c) RETURNING id",
            ("@dn", dn), ("@f", ExchangeDn.Fold(dn)), ("@p", parent is null ? null : ExchangeDn.Fold(parent)), ("@c", o.ObjectClass))!;
        var seq = 0;
        foreach (var a in o.Attributes)
        {
            if (a.Values.Count == 0) continue;
            var fold = Fold(a.Name);
            _db.Execute("INSERT INTO dir_attribute(object_id, seq, name, fold, syntax) VALUES (@o, @q, @n, @f, @s)",
                ("@o", id), ("@q", ++seq), ("@n", a.Name), ("@f", fold), ("@s", (long)a.Syntax));
            InsertValues(id, fold, a);
        }
    }

    private void InsertValues(long objectId, string fold, DirectoryAttribute a)
    {
        using var cmd = _db.Command("INSERT INTO dir_value(object_id, attr_fold, idx, value) VALUES (@o, @f, @i, @v)");
        var pi = cmd.Parameters.AddWithValue("@i", 0L);
        var pv = cmd.Parameters.AddWithValue("@v", DBNull.Value);
        cmd.Parameters.AddWithValue("@o", objectId);
        cmd.Parameters.AddWithValue("@f", fold);
        for (var i = 0; i < a.Values.Count; i++)
        {
            pi.Value = (long)i;
            pv.Value = a.Values[i];
            // Binding by the value's CLR type keeps SQLite's storage class: TEXT, INTEGER or BLOB.
            pv.SqliteType = a.Syntax switch
            {
                AttributeSyntax.Integer => SqliteType.Integer,
                AttributeSyntax.Binary => SqliteType.Blob,
                _ => SqliteType.Text,
            };
            cmd.ExecuteNonQuery();
        }
    }

    private bool RemoveAttributeCore(long objectId, string fold) =>
        _db.Execute("DELETE FROM dir_attribute WHERE object_id = @o AND fold = @f", ("@o", objectId), ("@f", fold)) > 0;

    private DirectoryObject Load(Row row)
    {
        var attributes = new List<(string Fold, string Name, AttributeSyntax Syntax, List<object> Values)>();
        using (var cmd = _db.Command("SELECT fold, name, syntax FROM dir_attribute WHERE object_id = @o ORDER BY seq", ("@o", row.Id)))
        using (var r = cmd.ExecuteReader())
            while (r.Read()) attributes.Add((r.GetString(0), r.GetString(1), (AttributeSyntax)r.GetInt64(2), []));
        var byFold = attributes.ToDictionary(a => a.Fold, a => a, StringComparer.Ordinal);
        using (var cmd = _db.Command("SELECT attr_fold, value FROM dir_value WHERE object_id = @o ORDER BY attr_fold, idx", ("@o", row.Id)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var a = byFold[r.GetString(0)];
                a.Values.Add(a.Syntax switch
                {
                    AttributeSyntax.Integer => r.GetInt64(1),
                    AttributeSyntax.Binary => r.IsDBNull(1) ? [] : (byte[])r.GetValue(1),
                    _ => r.GetString(1),
                });
            }
        }
        return new DirectoryObject(row.Dn, row.Class, attributes.Select(a => new DirectoryAttribute(a.Name, a.Syntax, a.Values)));
    }
}
