using System.Globalization;
using Imc.Formats.Mapi;

namespace Imc.Formats.Tnef;

/// <summary>
/// A readable text dump of a TNEF stream: every attribute (level, name, offset, length), the decoded value of legacy
/// attributes, every property (PR_ name or hex tag, named-property names, formatted value, long binaries
/// abbreviated), recipient rows and embedded messages indented. Reads in Loose mode and lists the warnings at the end.
/// </summary>
public static class TnefDump
{
    /// <summary>Dumps the TNEF file at <paramref name="path"/> to <paramref name="output"/>.</summary>
    public static void DumpFile(string path, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        Dump(file, output, full);
    }

    /// <summary>Dumps a TNEF stream; <paramref name="fileName"/> only names it in errors.</summary>
    public static void Dump(Stream input, TextWriter output, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var options = new TnefReadOptions { Mode = TnefComplianceMode.Loose, MaxInMemoryAttachmentBytes = long.MaxValue };
        var observer = new Writer(output);
        // With a file name the reader keeps attachment data in the file instead of loading it.
        TnefReader.Run(input, options, fileName is not null && input is FileStream ? fileName : null, observer);
        foreach (var w in options.Warnings) output.WriteLine($"warning: {w}");
    }

    private sealed class Writer(TextWriter o) : ITnefObserver
    {
        private static string Indent(int depth) => new(' ', depth * 4);

        public void Attribute(int depth, byte level, uint id, long offset, uint length) =>
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Indent(depth)}{(level == TnefAttribute.LevelMessage ? "message" : "attach "),-7} {TnefAttribute.NameOf(id),-26} offset {offset,9}  length {length,9}"));

        public void AttributeValue(int depth, string text) => o.WriteLine($"{Indent(depth)}    = {text}");

        public void Row(int depth, int index, long offset) =>
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Indent(depth)}    row {index} (offset {offset})"));

        public void Property(int depth, long offset, PropTag tag, PropertyName? name, string value)
        {
            var label = name is not null ? $"{name} [{tag}]" : PropTags.NameOf(tag) is { } n ? $"{n} [{tag}]" : tag.ToString();
            if (value.Length > 300) value = value[..300] + $"… ({value.Length} characters)";
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Indent(depth)}      {label} {TypeName(tag.Type)} = {value.ReplaceLineEndings("\\n")}"));
        }

        public void Warning(int depth, string text) { }

        private static string TypeName(PropType t) => (t & ~PropType.MultiValued) switch
        {
            PropType.Short => "PT_SHORT",
            PropType.Long => "PT_LONG",
            PropType.Float => "PT_FLOAT",
            PropType.Double => "PT_DOUBLE",
            PropType.Currency => "PT_CURRENCY",
            PropType.AppTime => "PT_APPTIME",
            PropType.Error => "PT_ERROR",
            PropType.Boolean => "PT_BOOLEAN",
            PropType.Object => "PT_OBJECT",
            PropType.I8 => "PT_I8",
            PropType.String8 => "PT_STRING8",
            PropType.Unicode => "PT_UNICODE",
            PropType.SysTime => "PT_SYSTIME",
            PropType.Clsid => "PT_CLSID",
            PropType.Binary => "PT_BINARY",
            _ => $"0x{(ushort)t:X4}",
        } is var s && (t & PropType.MultiValued) != 0 ? s.Replace("PT_", "PT_MV_", StringComparison.Ordinal) : s;
    }
}
