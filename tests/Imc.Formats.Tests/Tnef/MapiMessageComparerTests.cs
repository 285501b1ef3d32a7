using Imc.Formats.Mapi;

namespace Imc.Formats.Tests.Tnef;

public sealed class MapiMessageComparerTests
{
    [Fact]
    public void Differences_are_listed_with_their_path()
    {
        var a = TestMessages.Simple("a");
        a.Attachments.Add(TestMessages.File("x.txt", [1, 2, 3]));
        a.Attachments.Add(TestMessages.Embedded(TestMessages.Simple("inner")));
        var b = TestMessages.Simple("b");
        b.Attachments.Add(TestMessages.File("x.txt", [1, 2, 4]));
        b.Attachments.Add(TestMessages.Embedded(TestMessages.Simple("inner")));
        b.Attachments[1].EmbeddedMessage!.Properties.Set(PropTags.Importance, 2);
        b.Recipients.Add(new MapiRecipient(RecipientType.To, "R", "r@x"));
        Assert.Equal(
        [
            "message: property PR_SUBJECT (0x0037001F) = \"a\" expected, found \"b\"",
            "message: property PR_BODY (0x1000001F) = \"Body of a\r\n\" expected, found \"Body of b\r\n\"",
            "message: 0 recipients expected, found 1",
            "message.attachment[0]: data differs (both 3 bytes)",
            "message.attachment[1].embedded: unexpected property PR_IMPORTANCE (0x00170003) = 2",
        ], MapiMessageComparer.Diff(a, b));
    }

    [Fact]
    public void Ignored_tags_match_by_id_and_named_properties_by_name()
    {
        var a = TestMessages.Simple("a");
        var b = TestMessages.Simple("a");
        a.Properties.Set(PropTags.LastModificationTime, DateTime.UnixEpoch);
        b.Properties.Set(PropTags.Subject.WithType(PropType.String8), "a");
        a.Properties.Set(PropertyName.FromName(PropertySets.PublicStrings, "k"), PropType.Long, 5);
        b.Properties.Set(PropertyName.FromId(PropertySets.Common, 1), PropType.Long, 0);
        b.Properties.Set(PropertyName.FromName(PropertySets.PublicStrings, "k"), PropType.Long, 5);
        Assert.NotEqual(a.Properties.Find(PropertyName.FromName(PropertySets.PublicStrings, "k"))!.Tag, b.Properties.Find(PropertyName.FromName(PropertySets.PublicStrings, "k"))!.Tag);
        var diffs = new MapiMessageComparer { IgnoreTags = new HashSet<PropTag> { PropTags.LastModificationTime } }.Compare(a, b);
        Assert.Equal(
        [
            "message: property PR_SUBJECT (0x0037001F) = \"a\" is missing",
            "message: unexpected property PR_SUBJECT (0x0037001E) = \"a\"",
            "message: unexpected property {00062008-0000-0000-c000-000000000046}:0x0001 type 0x0003 = 0",
        ], diffs);
    }
}
