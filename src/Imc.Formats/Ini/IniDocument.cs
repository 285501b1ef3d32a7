namespace Imc.Formats.Ini;

/// <summary>An .ini file: sections in order, each with its entries in order. Section names are unique, case-insensitively.</summary>
public sealed class IniDocument
{
    private readonly List<IniSection> _sections = [];
    private readonly Dictionary<string, IniSection> _index = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<IniSection> Sections => _sections;

    /// <summary>The section named <paramref name="name"/> (case-insensitive), or null.</summary>
    public IniSection? this[string name] => _index.GetValueOrDefault(name);

    /// <summary>The value of <paramref name="key"/> in <paramref name="section"/>, or null (GetPrivateProfileString's lookup).</summary>
    public string? Get(string section, string key) => this[section]?[key];

    /// <summary>Adds a new section; a name that is already there (in any case) throws <see cref="ArgumentException"/>.</summary>
    public IniSection Add(string name)
    {
        var section = new IniSection(name);
        if (!_index.TryAdd(name, section)) throw new ArgumentException($"Section [{name}] is already in the document.", nameof(name));
        _sections.Add(section);
        return section;
    }

    /// <summary>The existing section named <paramref name="name"/>, or a new one.</summary>
    public IniSection GetOrAdd(string name) => this[name] ?? Add(name);
}
