namespace Imc.Formats.Csv;

/// <summary>One attribute of a directory object as text: its schema name and its values (several when multi-valued).</summary>
public sealed record DirectoryAttribute(string Name, IReadOnlyList<string> Values)
{
    public DirectoryAttribute(string name, params string[] values) : this(name, (IReadOnlyList<string>)values) { }

    public override string ToString() => $"{Name}={string.Join("%", Values)}";
}
