namespace Imc.Formats.Csv;

/// <summary>
/// One directory object as the Exchange directory export writes it: attributes in order, each with its text
/// values. <c>Obj-Class</c> names the object class; <c>Mode</c> (Create, Modify, Delete, Update) tells an import
/// what to do. Typing (integers, binary as upper-case hex) is the caller's business.
/// </summary>
public sealed class DirectoryRecord
{
    public const string ObjectClassName = "Obj-Class";
    public const string ModeName = "Mode";

    public DirectoryRecord(IEnumerable<DirectoryAttribute> attributes)
    {
        Attributes = [.. attributes];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in Attributes)
        {
            if (string.IsNullOrWhiteSpace(a.Name)) throw new ArgumentException("An attribute name is empty.", nameof(attributes));
            if (!seen.Add(a.Name)) throw new ArgumentException($"Attribute \"{a.Name}\" appears twice.", nameof(attributes));
        }
    }

    public IReadOnlyList<DirectoryAttribute> Attributes { get; }

    /// <summary>The values of the attribute named <paramref name="name"/> (case-insensitive), or null when absent.</summary>
    public IReadOnlyList<string>? this[string name] =>
        Attributes.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Values;

    public string? ObjectClass => this[ObjectClassName] is [var c, ..] ? c : null;

    public string? Mode => this[ModeName] is [var m, ..] ? m : null;

    public override string ToString() => $"{ObjectClass} ({Attributes.Count} attributes)";
}
