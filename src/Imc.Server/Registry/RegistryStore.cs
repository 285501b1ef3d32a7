using Imc.Formats.Reg;
using Microsoft.Data.Sqlite;

namespace Imc.Server.Registry;

/// <summary>
/// The machine's registry (registry.db): keys under HKEY_LOCAL_MACHINE and HKEY_USERS with values kept exactly as
/// Windows keeps them (name, REG_* type number, raw bytes). Key and value names compare case-insensitively and keep
/// their case. Reads of a missing key give empty results, not errors. Safe to use from several threads and, through
/// SQLite's WAL, from several processes.
/// </summary>
public sealed class RegistryStore : IDisposable
{
    // Roots are rows with fixed ids so every other key has a parent and (parent, folded name) can be unique.
    private static readonly Dictionary<string, long> RootIds = new(StringComparer.Ordinal)
    {
        [RegistryPath.LocalMachine] = 1,
        [RegistryPath.Users] = 2,
    };

    private readonly SqliteDatabase _db;
    private readonly Lock _gate = new();

    public RegistryStore(SqliteDatabase db)
    {
        _db = db;
        lock (_gate)
        {
            _db.InTransaction(_ =>
            {
                _db.Execute("""
                    CREATE TABLE IF NOT EXISTS reg_key (
                        id INTEGER PRIMARY KEY,
                        parent_id INTEGER REFERENCES reg_key(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        fold TEXT NOT NULL);
                    CREATE UNIQUE INDEX IF NOT EXISTS reg_key_child ON reg_key(parent_id, fold);
                    CREATE TABLE IF NOT EXISTS reg_value (
                        key_id INTEGER NOT NULL REFERENCES reg_key(id) ON DELETE CASCADE,
                        seq INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        fold TEXT NOT NULL,
                        type INTEGER NOT NULL,
                        data BLOB NOT NULL,
                        PRIMARY KEY (key_id, fold));
                    CREATE INDEX IF NOT EXISTS reg_value_order ON reg_value(key_id, seq);
                    """);
                foreach (var (name, id) in RootIds)
                    _db.Execute("INSERT OR IGNORE INTO reg_key(id, parent_id, name, fold) VALUES (@id, NULL, @n, @n)", ("@id", id), ("@n", name));
            });
        }
    }

    internal SqliteDatabase Database => _db;

    public bool KeyExists(string path)
    {
        lock (_gate) return FindKey(path) is not null;
    }

    /// <summary>Creates the key and any missing ancestors; an existing key is left as it is.</summary>
    public void CreateKey(string path)
    {
        lock (_gate) _db.InTransaction(_ => EnsureKey(path));
    }

    /// <summary>The names of the key's subkeys, sorted case-insensitively as regedit exports them.</summary>
    public IReadOnlyList<string> GetSubKeyNames(string path)
    {
        lock (_gate)
        {
            if (FindKey(path) is not { } id) return [];
            return ChildKeys(id).Select(c => c.Name).ToList();
        }
    }

    /// <summary>The key's values in the order they were first set; empty when the key does not exist.</summary>
    public IReadOnlyList<RegValue> GetValues(string path)
    {
        lock (_gate) return FindKey(path) is { } id ? ValuesOf(id) : [];
    }

    /// <summary>One value ("" = the default value), or null when it or its key does not exist.</summary>
    public RegValue? GetValue(string path, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            if (FindKey(path) is not { } id) return null;
            using var cmd = _db.Command("SELECT name, type, data FROM reg_value WHERE key_id = @k AND fold = @f", ("@k", id), ("@f", RegistryPath.Fold(name)));
            using var r = cmd.ExecuteReader();
            return r.Read() ? ReadValue(r) : null;
        }
    }

    /// <summary>
    /// Sets a value, creating the key (and its ancestors) when missing. A value of the same name (any case) is
    /// replaced in place: it keeps its position and, as on Windows, the name it was created with.
    /// </summary>
    public void SetValue(string path, RegValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate) _db.InTransaction(_ => SetValueCore(EnsureKey(path), value));
    }

    public bool DeleteValue(string path, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            if (FindKey(path) is not { } id) return false;
            return _db.Execute("DELETE FROM reg_value WHERE key_id = @k AND fold = @f", ("@k", id), ("@f", RegistryPath.Fold(name))) > 0;
        }
    }

    /// <summary>Deletes the key with all its subkeys and values; false when it did not exist.</summary>
    /// <exception cref="ArgumentException">The path is a root key, which cannot be deleted.</exception>
    public bool DeleteKey(string path)
    {
        lock (_gate) return _db.InTransaction(_ => DeleteKeyCore(path));
    }

    /// <summary>
    /// The key and all its descendants, pre-order (subkeys sorted as <see cref="GetSubKeyNames"/>), each with its
    /// values in order and its path spelled with the stored names. Empty when the key does not exist.
    /// </summary>
    public IReadOnlyList<RegKey> ExportTree(string path)
    {
        lock (_gate)
        {
            return _db.InTransaction(_ =>
            {
                var result = new List<RegKey>();
                if (FindKeyWithPath(path) is not { } start) return result;
                Walk(start.Id, start.Path);
                return result;

                void Walk(long id, string keyPath)
                {
                    var key = new RegKey(keyPath);
                    key.Values.AddRange(ValuesOf(id));
                    result.Add(key);
                    foreach (var (childId, childName) in ChildKeys(id)) Walk(childId, keyPath + "\\" + childName);
                }
            });
        }
    }

    /// <summary>
    /// Applies .reg-style key blocks in ONE transaction: <see cref="RegKey.Delete"/> removes the key tree, otherwise
    /// the key is created, <see cref="RegKey.DeletedValues"/> are removed and <see cref="RegKey.Values"/> set. If any
    /// block fails nothing is changed.
    /// </summary>
    public void Import(IEnumerable<RegKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_gate)
        {
            _db.InTransaction(_ =>
            {
                foreach (var key in keys)
                {
                    if (key.Delete)
                    {
                        DeleteKeyCore(key.Path);
                        continue;
                    }
                    var id = EnsureKey(key.Path);
                    foreach (var name in key.DeletedValues)
                        _db.Execute("DELETE FROM reg_value WHERE key_id = @k AND fold = @f", ("@k", id), ("@f", RegistryPath.Fold(name)));
                    foreach (var value in key.Values) SetValueCore(id, value);
                }
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

    private long? FindKey(string path) => FindKeyWithPath(path)?.Id;

    private (long Id, string Path)? FindKeyWithPath(string path)
    {
        var (root, names) = RegistryPath.Parse(path);
        long id = RootIds[root];
        var stored = root;
        foreach (var name in names)
        {
            using var cmd = _db.Command("SELECT id, name FROM reg_key WHERE parent_id = @p AND fold = @f", ("@p", id), ("@f", RegistryPath.Fold(name)));
            using var r = cmd.ExecuteReader();
            if (!r.Read()) return null;
            id = r.GetInt64(0);
            stored += "\\" + r.GetString(1);
        }
        return (id, stored);
    }

    private long EnsureKey(string path)
    {
        var (root, names) = RegistryPath.Parse(path);
        long id = RootIds[root];
        foreach (var name in names)
        {
            var fold = RegistryPath.Fold(name);
            if (_db.Scalar("SELECT id FROM reg_key WHERE parent_id = @p AND fold = @f", ("@p", id), ("@f", fold)) is long existing)
            {
                id = existing;
                continue;
            }
            id = (long)_db.Scalar("INSERT INTO reg_key(parent_id, name, fold) VALUES (@p, @n, @f) RETURNING id", ("@p", id), ("@n", name), ("@f", fold))!;
        }
        return id;
    }

    private bool DeleteKeyCore(string path)
    {
        var (root, names) = RegistryPath.Parse(path);
        if (names.Count == 0) throw new ArgumentException($"The root key {root} cannot be deleted.", nameof(path));
        if (FindKey(path) is not { } id) return false;
        _db.Execute("DELETE FROM reg_key WHERE id = @id", ("@id", id)); // ON DELETE CASCADE removes the subtree and values
        return true;
    }

    private void SetValueCore(long keyId, RegValue value)
    {
        var fold = RegistryPath.Fold(value.Name);
        var updated = _db.Execute("UPDATE reg_value SET type = @t, data = @d WHERE key_id = @k AND fold = @f",
            ("@t", (long)value.Type), ("@d", value.Data), ("@k", keyId), ("@f", fold));
        if (updated > 0) return;
        _db.Execute("""
            INSERT INTO reg_value(key_id, seq, name, fold, type, data)
            VALUES (@k, (SELECT COALESCE(MAX(seq), 0) + 1 FROM reg_value WHERE key_id = @k), @n, @f, @t, @d)
            """, ("@k", keyId), ("@n", value.Name), ("@f", fold), ("@t", (long)value.Type), ("@d", value.Data));
    }

    private List<(long Id, string Name)> ChildKeys(long id)
    {
        var children = new List<(long, string)>();
        using var cmd = _db.Command("SELECT id, name FROM reg_key WHERE parent_id = @p", ("@p", id));
        using var r = cmd.ExecuteReader();
        while (r.Read()) children.Add((r.GetInt64(0), r.GetString(1)));
        // Windows orders subkeys by their upper-cased names; the ordinal tie-break keeps the order total.
        children.Sort((a, b) =>
        {
            var c = StringComparer.OrdinalIgnoreCase.Compare(a.Item2, b.Item2);
            return c != 0 ? c : StringComparer.Ordinal.Compare(a.Item2, b.Item2);
        });
        return children;
    }

    private List<RegValue> ValuesOf(long id)
    {
        var values = new List<RegValue>();
        using var cmd = _db.Command("SELECT name, type, data FROM reg_value WHERE key_id = @k ORDER BY seq", ("@k", id));
        using var r = cmd.ExecuteReader();
        while (r.Read()) values.Add(ReadValue(r));
        return values;
    }

    private static RegValue ReadValue(SqliteDataReader r) =>
        new(r.GetString(0), (uint)r.GetInt64(1), r.IsDBNull(2) ? [] : (byte[])r.GetValue(2));
}
