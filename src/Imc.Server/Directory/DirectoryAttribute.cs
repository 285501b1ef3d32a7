namespace Imc.Server.Directory;

/// <summary>
/// One multi-valued directory attribute: its name (compared case-insensitively), syntax and values in order —
/// <see cref="string"/> for String, <see cref="long"/> for Integer, <see cref="byte"/>[] for Binary. Two attributes
/// are equal when name (ignoring case), syntax and every value (bytes by content) are equal.
/// </summary>
public sealed record DirectoryAttribute(string Name, AttributeSyntax Syntax, IReadOnlyList<object> Values)
{
    public static DirectoryAttribute String(string name, params string[] values) => new(name, AttributeSyntax.String, values.Cast<object>().ToArray());
    public static DirectoryAttribute Integer(string name, params long[] values) => new(name, AttributeSyntax.Integer, values.Cast<object>().ToArray());
    public static DirectoryAttribute Binary(string name, params byte[][] values) => new(name, AttributeSyntax.Binary, values.Cast<object>().ToArray());

    /// <summary>The values as text (String syntax), decimal numbers (Integer) or upper-case hex (Binary), as exports show them.</summary>
    public IEnumerable<string> Texts => Values.Select(v => v switch
    {
        string s => s,
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        byte[] b => Convert.ToHexString(b),
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    });

    /// <summary>The first value as a string (String syntax), or null.</summary>
    public string? FirstString => Values.Count > 0 ? Values[0] as string : null;

    /// <summary>Throws <see cref="ArgumentException"/> unless every value has the CLR type the syntax requires.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name)) throw new ArgumentException("A directory attribute needs a name.");
        ArgumentNullException.ThrowIfNull(Values);
        var expected = Syntax switch
        {
            AttributeSyntax.String => typeof(string),
            AttributeSyntax.Integer => typeof(long),
            AttributeSyntax.Binary => typeof(byte[]),
            _ => throw new ArgumentException($"The attribute {Name} has an unknown syntax {(int)Syntax}."),
        };
        for (var i = 0; i < Values.Count; i++)
            if (Values[i]?.GetType() != expected)
                throw new ArgumentException($"Value {i + 1} of the {Syntax} attribute {Name} is {Values[i]?.GetType().Name ?? "null"}; expected {expected.Name}.");
    }

    public bool Equals(DirectoryAttribute? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase)
        && Syntax == other.Syntax
        && Values.Count == other.Values.Count
        && Values.Zip(other.Values).All(p => p.First is byte[] a && p.Second is byte[] b ? a.AsSpan().SequenceEqual(b) : Equals(p.First, p.Second));

    public override int GetHashCode() => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(Name), Syntax, Values.Count);

    public override string ToString() => $"{Name} ({Syntax}) = {string.Join("%", Texts)}";
}
