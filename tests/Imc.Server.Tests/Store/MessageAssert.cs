using Imc.Formats.Mapi;

namespace Imc.Server.Tests.Store;

/// <summary>
/// Deep comparison of two messages: every property (named ones by name), every recipient, every attachment with its
/// data compared by streaming, embedded messages recursively. The top-level actual message may carry the
/// properties the store assigns (PR_ENTRYID, PR_SEARCH_KEY).
/// </summary>
internal static class MessageAssert
{
    private static readonly PropTag[] Assigned = [PropTags.EntryId, PropTags.SearchKey];

    public static void Equal(MapiMessage expected, MapiMessage actual) => Equal(expected, actual, "message", Assigned);

    private static void Equal(MapiMessage expected, MapiMessage actual, string where, PropTag[] assigned)
    {
        Assert.Equal(expected.CodePage, actual.CodePage);
        EqualBags(expected.Properties, actual.Properties, where, assigned);
        Assert.True(expected.Recipients.Count == actual.Recipients.Count, $"{where}: {expected.Recipients.Count} recipients expected, {actual.Recipients.Count} read");
        for (var i = 0; i < expected.Recipients.Count; i++)
            EqualBags(expected.Recipients[i].Properties, actual.Recipients[i].Properties, $"{where} recipient {i}", []);
        Assert.True(expected.Attachments.Count == actual.Attachments.Count, $"{where}: {expected.Attachments.Count} attachments expected, {actual.Attachments.Count} read");
        for (var i = 0; i < expected.Attachments.Count; i++)
        {
            var (e, a) = (expected.Attachments[i], actual.Attachments[i]);
            var at = $"{where} attachment {i}";
            EqualBags(e.Properties, a.Properties, at, []);
            Assert.True((e.Data is null) == (a.Data is null), $"{at}: data presence differs");
            if (e.Data is not null)
            {
                Assert.Equal(e.Data.Length, a.Data!.Length);
                Assert.True(e.Data.ContentEquals(a.Data), $"{at}: data differ");
            }
            Assert.True((e.EmbeddedMessage is null) == (a.EmbeddedMessage is null), $"{at}: embedded message presence differs");
            if (e.EmbeddedMessage is not null) Equal(e.EmbeddedMessage, a.EmbeddedMessage!, at + " embedded", []);
        }
    }

    private static void EqualBags(PropertyBag expected, PropertyBag actual, string where, PropTag[] assigned)
    {
        foreach (var e in expected)
        {
            var a = e.Name is not null ? actual.Find(e.Name) : actual.Find(e.Tag);
            Assert.True(a is not null, $"{where}: property {e} is missing");
            if (assigned.Any(t => e.Name is null && t.Id == e.Tag.Id)) continue;
            Assert.True(e.Tag.Type == a.Tag.Type, $"{where}: {e} came back as type {a.Tag.Type}");
            if (e.Name is null) Assert.Equal(e.Tag, a.Tag);
            Assert.True(MapiValues.AreEqual(e.Value, a.Value), $"{where}: {e} came back as {a}");
        }
        foreach (var a in actual)
        {
            var e = a.Name is not null ? expected.Find(a.Name) : expected.Find(a.Tag);
            Assert.True(e is not null || assigned.Any(t => a.Name is null && t.Id == a.Tag.Id), $"{where}: unexpected property {a}");
        }
    }
}
