using System.Globalization;
using Imc.Formats.Csv;
using Imc.Server.Directory;
using CsvAttribute = Imc.Formats.Csv.DirectoryAttribute;
using DirectoryAttribute = Imc.Server.Directory.DirectoryAttribute;

namespace Imc.Backup.Directory;

/// <summary>
/// The one mapping between the gateway's <see cref="DirectoryObject"/> and the <see cref="DirectoryRecord"/> of
/// Imcobj.csv, both ways (imcsave writes it, imcrestore reads it back).
/// </summary>
/// <remarks>
/// Columns follow the Exchange 5.x directory-export convention (research/exchange-imc.md §5.1): <c>Obj-Class</c>
/// first, <c>Mode</c> second, then <c>Directory Name</c> (the object's RDN, as the Admin program exports it) and
/// <c>Obj-Dist-Name</c> (its DN), then every attribute of the object in its stored order. <c>Mode</c> is
/// <c>Update</c>: the import mode that creates the object when it is missing and modifies it when it exists, which is
/// what restoring a backup onto a server means. Values: strings as they are, integers in decimal, binaries in
/// upper-case hex; a multi-valued attribute gives several values (the CSV writer joins them with <c>%</c>).
/// </remarks>
public static class GatewayObjectCsv
{
    public const string ObjClass = DirectoryRecord.ObjectClassName;
    public const string Mode = DirectoryRecord.ModeName;
    public const string DirectoryName = "Directory Name";
    public const string ObjDistName = "Obj-Dist-Name";

    /// <summary>The import mode written in the Mode column.</summary>
    public const string ModeValue = "Update";

    private static readonly string[] Leading = [ObjClass, Mode, DirectoryName, ObjDistName];

    /// <summary>True for the four leading pseudo-attributes, which are not attributes of the object.</summary>
    public static bool IsLeadingColumn(string name) => Leading.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The CSV record of <paramref name="obj"/>: the leading columns, then every attribute.</summary>
    public static DirectoryRecord ToRecord(DirectoryObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var columns = new List<CsvAttribute>
        {
            new(ObjClass, obj.ObjectClass),
            new(Mode, ModeValue),
            new(DirectoryName, ExchangeDn.CommonName(obj.DistinguishedName)),
            new(ObjDistName, obj.DistinguishedName),
        };
        // An attribute spelled like a leading column would give the header a duplicate name; those four come from
        // the object itself.
        columns.AddRange(obj.Attributes.Where(a => !IsLeadingColumn(a.Name)).Select(a => new CsvAttribute(a.Name, [.. a.Texts])));
        var record = new DirectoryRecord(columns);
        return record;
    }

    /// <summary>
    /// The directory object a record describes. <paramref name="syntaxOf"/> gives each attribute's syntax (the
    /// target's existing attribute, else <see cref="DirectorySchema.SyntaxOf"/>). Throws
    /// <see cref="FormatException"/> naming the attribute and value when a value does not fit its syntax or a
    /// leading column is missing.
    /// </summary>
    public static DirectoryObject FromRecord(DirectoryRecord record, Func<string, AttributeSyntax>? syntaxOf = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        syntaxOf ??= DirectorySchema.SyntaxOf;
        string? objectClass = null, dn = null;
        var attributes = new List<DirectoryAttribute>();
        foreach (var (name, values) in record.Attributes)
        {
            if (string.Equals(name, ObjClass, StringComparison.OrdinalIgnoreCase)) objectClass = Single(name, values);
            else if (string.Equals(name, ObjDistName, StringComparison.OrdinalIgnoreCase)) dn = Single(name, values);
            else if (IsLeadingColumn(name)) continue;
            else attributes.Add(Parse(name, syntaxOf(name), values));
        }
        if (string.IsNullOrEmpty(objectClass)) throw new FormatException($"The directory record has no {ObjClass} value.");
        if (string.IsNullOrEmpty(dn)) throw new FormatException($"The directory record has no {ObjDistName} value.");
        return new DirectoryObject(dn, objectClass, attributes);
    }

    private static string Single(string name, IReadOnlyList<string> values) =>
        values.Count == 1 ? values[0] : throw new FormatException($"The column {name} must have exactly one value; it has {values.Count}.");

    private static DirectoryAttribute Parse(string name, AttributeSyntax syntax, IReadOnlyList<string> values) => syntax switch
    {
        AttributeSyntax.Integer => new(name, syntax, [.. values.Select(v => (object)ParseInteger(name, v))]),
        AttributeSyntax.Binary => new(name, syntax, [.. values.Select(v => (object)ParseBinary(name, v))]),
        _ => new(name, AttributeSyntax.String, [.. values.Cast<object>()]),
    };

    private static long ParseInteger(string name, string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"The integer attribute {name} has the value '{value}'; expected a decimal number.");

    private static byte[] ParseBinary(string name, string value)
    {
        if (value.Length % 2 == 0 && value.All(char.IsAsciiHexDigit)) return Convert.FromHexString(value);
        throw new FormatException($"The binary attribute {name} has the value '{Shorten(value)}'; expected hexadecimal digits in pairs.");
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
