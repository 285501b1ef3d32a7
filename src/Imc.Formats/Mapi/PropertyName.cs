namespace Imc.Formats.Mapi;

/// <summary>
/// The name of a named property: a property set GUID and either a numeric id (MNID_ID) or a string (MNID_STRING).
/// Named properties are identified by name; the 0x8000+ id in their tag is only a per-store mapping.
/// </summary>
public sealed record PropertyName
{
    private PropertyName(Guid propertySet, uint? id, string? name)
    {
        PropertySet = propertySet;
        Id = id;
        Name = name;
    }

    public Guid PropertySet { get; }
    /// <summary>The MNID_ID long id, or null for a string name.</summary>
    public uint? Id { get; }
    /// <summary>The MNID_STRING name, or null for a numeric id.</summary>
    public string? Name { get; }
    public bool IsString => Name is not null;

    public static PropertyName FromId(Guid propertySet, uint id) => new(propertySet, id, null);

    public static PropertyName FromName(Guid propertySet, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new(propertySet, null, name);
    }

    public bool Equals(PropertyName? other) =>
        other is not null && PropertySet == other.PropertySet && Id == other.Id && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(PropertySet, Id, Name);

    public override string ToString() => IsString ? $"{{{PropertySet}}}:\"{Name}\"" : $"{{{PropertySet}}}:0x{Id:X4}";
}
