using System.Globalization;

namespace Imc.Formats.Mapi;

/// <summary>
/// Deep structural comparison of two <see cref="MapiMessage"/>s: code page, properties (plain ones by tag, named ones
/// by <see cref="PropertyName"/> and type, ignoring their mapped id), recipients and attachments in order, attachment
/// data by streaming, embedded messages recursively. The result lists human-readable differences; empty means equal.
/// A multi-valued property with no values counts as absent.
/// </summary>
public sealed class MapiMessageComparer
{
    /// <summary>Properties to leave out, matched by id for ordinary properties (any type), so ignoring
    /// PR_SUBJECT ignores both PT_STRING8 and PT_UNICODE forms. Named properties are matched by exact tag.</summary>
    public ISet<PropTag> IgnoreTags { get; init; } = new HashSet<PropTag>();

    /// <summary>Whether to report a different <see cref="MapiMessage.CodePage"/>.</summary>
    public bool CompareCodePage { get; init; } = true;

    /// <summary>Stop after this many differences (a broken comparison can otherwise be huge).</summary>
    public int MaxDifferences { get; init; } = 100;

    /// <summary>Compares with the default options.</summary>
    public static IReadOnlyList<string> Diff(MapiMessage expected, MapiMessage actual) => new MapiMessageComparer().Compare(expected, actual);

    /// <summary>The differences between <paramref name="expected"/> and <paramref name="actual"/>; empty when equal.</summary>
    public IReadOnlyList<string> Compare(MapiMessage expected, MapiMessage actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var diffs = new List<string>();
        CompareMessage("message", expected, actual, diffs);
        if (diffs.Count > MaxDifferences) diffs.RemoveRange(MaxDifferences, diffs.Count - MaxDifferences);
        return diffs;
    }

    private void CompareMessage(string path, MapiMessage a, MapiMessage b, List<string> diffs)
    {
        if (CompareCodePage && a.CodePage != b.CodePage) diffs.Add($"{path}: code page {a.CodePage} expected, found {b.CodePage}");
        CompareBag(path, a.Properties, b.Properties, diffs);
        if (a.Recipients.Count != b.Recipients.Count)
            diffs.Add($"{path}: {a.Recipients.Count} recipients expected, found {b.Recipients.Count}");
        for (var i = 0; i < Math.Min(a.Recipients.Count, b.Recipients.Count) && diffs.Count <= MaxDifferences; i++)
            CompareBag($"{path}.recipient[{i}]", a.Recipients[i].Properties, b.Recipients[i].Properties, diffs);
        if (a.Attachments.Count != b.Attachments.Count)
            diffs.Add($"{path}: {a.Attachments.Count} attachments expected, found {b.Attachments.Count}");
        for (var i = 0; i < Math.Min(a.Attachments.Count, b.Attachments.Count) && diffs.Count <= MaxDifferences; i++)
            CompareAttachment($"{path}.attachment[{i}]", a.Attachments[i], b.Attachments[i], diffs);
    }

    private void CompareAttachment(string path, MapiAttachment a, MapiAttachment b, List<string> diffs)
    {
        CompareBag(path, a.Properties, b.Properties, diffs);
        switch (a.Data, b.Data)
        {
            case (null, null): break;
            case (null, { } y): diffs.Add($"{path}: no data expected, found {y.Length} bytes"); break;
            case ({ } x, null): diffs.Add($"{path}: {x.Length} bytes of data expected, found none"); break;
            case ({ } x, { } y):
                if (x.Length != y.Length) diffs.Add($"{path}: {x.Length} bytes of data expected, found {y.Length}");
                else if (!x.ContentEquals(y)) diffs.Add($"{path}: data differs (both {x.Length} bytes)");
                break;
        }
        switch (a.EmbeddedMessage, b.EmbeddedMessage)
        {
            case (null, null): break;
            case (null, _): diffs.Add($"{path}: no embedded message expected, found one"); break;
            case (_, null): diffs.Add($"{path}: an embedded message expected, found none"); break;
            case ({ } x, { } y): CompareMessage(path + ".embedded", x, y, diffs); break;
        }
    }

    private void CompareBag(string path, PropertyBag a, PropertyBag b, List<string> diffs)
    {
        var right = new Dictionary<Key, MapiProperty>();
        foreach (var p in b)
            if (!Ignored(p)) right.TryAdd(KeyOf(p), p);
        var seen = new HashSet<Key>();
        foreach (var p in a)
        {
            if (Ignored(p)) continue;
            var key = KeyOf(p);
            seen.Add(key);
            if (!right.TryGetValue(key, out var q))
                diffs.Add($"{path}: property {Describe(p)} = {Show(p.Value)} is missing");
            else if (!MapiValues.AreEqual(p.Value, q.Value))
                diffs.Add($"{path}: property {Describe(p)} = {Show(p.Value)} expected, found {Show(q.Value)}");
        }
        foreach (var q in b)
            if (!Ignored(q) && !seen.Contains(KeyOf(q)))
                diffs.Add($"{path}: unexpected property {Describe(q)} = {Show(q.Value)}");
    }

    private bool Ignored(MapiProperty p)
    {
        // A multi-valued property with no values is the same as no property (MAPI semantics; TNEF does not carry it).
        if (p.Tag.IsMultiValued && p.Value is Array { Length: 0 }) return true;
        if (IgnoreTags.Count == 0) return false;
        if (p.Name is not null) return IgnoreTags.Contains(p.Tag);
        foreach (var t in IgnoreTags)
            if (t.Id == p.Tag.Id && !t.IsNamed) return true;
        return false;
    }

    private static string Show(object value)
    {
        var text = MapiValues.Format(value);
        return text.Length <= 160 ? text : text[..160] + $"… ({text.Length} characters)";
    }

    private readonly record struct Key(uint Tag, PropertyName? Name);

    private static Key KeyOf(MapiProperty p) => p.Name is null ? new Key(p.Tag.Value, null) : new Key((ushort)p.Tag.Type, p.Name);

    private static string Describe(MapiProperty p) => p.Name is not null
        ? string.Create(CultureInfo.InvariantCulture, $"{p.Name} type 0x{(ushort)p.Tag.Type:X4}")
        : PropTags.NameOf(p.Tag) is { } n ? $"{n} ({p.Tag})" : p.Tag.ToString();
}
