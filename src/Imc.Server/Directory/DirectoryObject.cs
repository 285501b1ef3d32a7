namespace Imc.Server.Directory;

/// <summary>
/// A directory object: its Exchange DN, object class (e.g. Mail-Gateway) and attributes in the order they were added,
/// so exports are stable.
/// </summary>
public sealed class DirectoryObject(string distinguishedName, string objectClass, IEnumerable<DirectoryAttribute>? attributes = null)
{
    public string DistinguishedName { get; set; } = distinguishedName;
    public string ObjectClass { get; set; } = objectClass;
    public IList<DirectoryAttribute> Attributes { get; } = [.. attributes ?? []];

    /// <summary>The attribute named <paramref name="name"/> (case-insensitive), or null.</summary>
    public DirectoryAttribute? Get(string name) =>
        Attributes.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Replaces the attribute of the same name in place, or appends it.</summary>
    public void Set(DirectoryAttribute attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        for (var i = 0; i < Attributes.Count; i++)
        {
            if (!string.Equals(Attributes[i].Name, attribute.Name, StringComparison.OrdinalIgnoreCase)) continue;
            Attributes[i] = attribute;
            return;
        }
        Attributes.Add(attribute);
    }

    public override string ToString() => $"{ObjectClass} {DistinguishedName} ({Attributes.Count} attributes)";
}
