using System.Collections;

namespace Imc.Formats.Mapi;

/// <summary>
/// The properties of one MAPI object, in insertion order. A property is identified by its id (its type may be
/// PT_STRING8 or PT_UNICODE for the same id) or, for named properties, by its <see cref="PropertyName"/>.
/// </summary>
public sealed class PropertyBag : IReadOnlyList<MapiProperty>
{
    private readonly List<MapiProperty> _items = [];

    public int Count => _items.Count;
    public MapiProperty this[int index] => _items[index];

    /// <summary>Adds or replaces a property.</summary>
    public void Set(MapiProperty property)
    {
        var i = IndexOf(property);
        if (i >= 0) _items[i] = property;
        else _items.Add(property);
    }

    public void Set(PropTag tag, object value) => Set(new MapiProperty(tag, value));

    /// <summary>Adds or replaces a named property, mapping it to the next free id from 0x8000 when it is new.</summary>
    public void Set(PropertyName name, PropType type, object value)
    {
        var existing = Find(name);
        var id = existing?.Tag.Id ?? NextNamedId();
        Set(new MapiProperty(new PropTag(id, type), value, name));
    }

    // Plain loops rather than List.Find with a lambda: these run for every property of every message read or written.
    public MapiProperty? Find(PropTag tag)
    {
        var named = tag.IsNamed;
        foreach (var p in _items)
            if (p.Tag.Id == tag.Id && (named || p.Name is null)) return p;
        return null;
    }

    public MapiProperty? Find(PropertyName name)
    {
        foreach (var p in _items)
            if (name.Equals(p.Name)) return p;
        return null;
    }

    /// <summary>Makes room for <paramref name="capacity"/> properties at once (a decoder that knows the count).</summary>
    public void EnsureCapacity(int capacity) => _items.EnsureCapacity(capacity);

    public bool Remove(PropTag tag)
    {
        var p = Find(tag);
        return p is not null && _items.Remove(p);
    }

    /// <summary>The value of the property with the tag's id, if it is there and of the tag's CLR type.</summary>
    public T? Get<T>(PropTag tag) => Find(tag)?.Value is T v ? v : default;

    public string? GetString(PropTag tag) => Find(tag)?.Value as string;
    public int? GetInt32(PropTag tag) => Find(tag)?.Value is int v ? v : null;
    public bool? GetBoolean(PropTag tag) => Find(tag)?.Value is bool v ? v : null;
    public byte[]? GetBinary(PropTag tag) => Find(tag)?.Value as byte[];
    public DateTime? GetDateTime(PropTag tag) => Find(tag)?.Value is DateTime v ? v : null;

    public IEnumerator<MapiProperty> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(MapiProperty property)
    {
        var name = property.Name;
        var id = property.Tag.Id;
        for (var i = 0; i < _items.Count; i++)
        {
            var p = _items[i];
            if (name is not null ? name.Equals(p.Name) : p.Name is null && p.Tag.Id == id) return i;
        }
        return -1;
    }

    private ushort NextNamedId()
    {
        ushort next = 0x8000;
        foreach (var p in _items)
            if (p.Tag.IsNamed && p.Tag.Id >= next) next = (ushort)(p.Tag.Id + 1);
        if (next == 0xFFFF) throw new InvalidOperationException("No free named-property id is left in this property bag.");
        return next;
    }
}
