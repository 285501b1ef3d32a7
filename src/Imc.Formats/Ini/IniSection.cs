namespace Imc.Formats.Ini;

/// <summary>A <c>[Section]</c> and its entries in order. Keys are unique, compared case-insensitively as Windows does.</summary>
public sealed class IniSection
{
    private readonly List<IniEntry> _entries = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<int> _lines = [];

    public IniSection(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>A section read from a file, its header on <paramref name="line"/> (for readers built on <see cref="IniLineReader"/>).</summary>
    public IniSection(string name, int line) : this(name) => Line = line;

    public string Name { get; }

    /// <summary>The 1-based line of the <c>[Section]</c> header when read from a file (the first, if it merged); 0 when built in memory.</summary>
    public int Line { get; internal set; }

    /// <summary>The 1-based line <paramref name="key"/> was read from (case-insensitive); 0 when built in memory or absent.</summary>
    public int LineOf(string key) => _index.TryGetValue(key, out var i) ? _lines[i] : 0;

    public IReadOnlyList<IniEntry> Entries => _entries;

    /// <summary>The value of <paramref name="key"/> (case-insensitive), or null.</summary>
    public string? this[string key] => _index.TryGetValue(key, out var i) ? _entries[i].Value : null;

    public bool Contains(string key) => _index.ContainsKey(key);

    /// <summary>Adds an entry; a key that is already there (in any case) throws <see cref="ArgumentException"/>.</summary>
    public IniSection Add(string key, string value)
    {
        if (!TryAdd(key, value)) throw new ArgumentException($"Key \"{key}\" is already in [{Name}].", nameof(key));
        return this;
    }

    /// <summary>Adds an entry unless the key is already there; returns whether it was added.</summary>
    public bool TryAdd(string key, string value) => TryAdd(key, value, 0);

    /// <summary>The same, remembering the 1-based line the entry was read from (see <see cref="LineOf"/>).</summary>
    public bool TryAdd(string key, string value, int line)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_index.TryAdd(key, _entries.Count)) return false;
        _entries.Add(new IniEntry(key, value));
        _lines.Add(line);
        return true;
    }

    public override string ToString() => $"[{Name}] ({_entries.Count} entries)";
}
