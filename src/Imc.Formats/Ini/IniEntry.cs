namespace Imc.Formats.Ini;

/// <summary>One <c>Key=Value</c> line.</summary>
public readonly record struct IniEntry(string Key, string Value)
{
    public override string ToString() => $"{Key}={Value}";
}
