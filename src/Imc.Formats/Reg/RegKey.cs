namespace Imc.Formats.Reg;

/// <summary>
/// One key block of a .reg file or a registry export: the full key path (with a long root name such as
/// HKEY_LOCAL_MACHINE) and its values in order. <see cref="Delete"/> marks a <c>[-KEY]</c> block;
/// <see cref="DeletedValues"/> lists <c>"name"=-</c> lines.
/// </summary>
public sealed class RegKey(string path)
{
    public string Path { get; } = path;
    public List<RegValue> Values { get; } = [];
    public List<string> DeletedValues { get; } = [];
    public bool Delete { get; init; }

    public override string ToString() => $"[{(Delete ? "-" : "")}{Path}] ({Values.Count} values)";
}
