using System.Text;
using Imc.Formats.Mapi;
using Imc.Formats.Tnef;
using TnefComplianceMode = MimeKit.Tnef.TnefComplianceMode;
using Imc.Testing;
using MimeKit.Tnef;
using MkReader = MimeKit.Tnef.TnefReader;

namespace Imc.Formats.Tests.Tnef;

/// <summary>Readers nobody here wrote must accept what our writer produces: MimeKit (Strict), Debian tnef, ytnefprint.</summary>
public sealed class TnefOracleTests
{
    static TnefOracleTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static TheoryData<int> Seeds() => new(Enumerable.Range(1, 30));

    [Fact]
    public void MimeKit_strict_reads_the_full_message_as_compliant_with_the_same_properties()
    {
        var m = TestMessages.Full(recipients: 20, bigBytes: 200_000);
        var checkedProps = MimeKitWalk(TestMessages.ToBytes(m), m);
        Assert.True(checkedProps > 80, $"only {checkedProps} properties compared");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MimeKit_strict_reads_random_messages_as_compliant(int seed)
    {
        var m = new MessageGenerator(seed).Message();
        MimeKitWalk(TestMessages.ToBytes(m), m);
    }

    [Fact]
    public void MimeKit_converts_our_stream_to_a_mime_message_with_subject_sender_and_attachment()
    {
        var m = TestMessages.Full(recipients: 2, bigBytes: 1000);
        var part = new TnefPart { Content = new MimeKit.MimeContent(new MemoryStream(TestMessages.ToBytes(m))) };
        var mime = part.ConvertToMessage();
        Assert.Equal(m.Subject, mime.Subject);
        Assert.Equal("ann@example.com", mime.From.Mailboxes.Single().Address);
        Assert.Contains(mime.Attachments, a => a.ContentDisposition?.FileName == "hello.txt");
    }

    /// <summary>Walks every attribute with MimeKit in Strict mode and checks each property against ours; returns how many it compared.</summary>
    private static int MimeKitWalk(byte[] bytes, MapiMessage expected)
    {
        using var reader = new MkReader(new MemoryStream(bytes), 0, TnefComplianceMode.Strict);
        var compared = Walk(reader, expected);
        Assert.Equal(TnefComplianceStatus.Compliant, reader.ComplianceStatus);
        Assert.Equal(expected.CodePage, reader.MessageCodepage);
        return compared;
    }

    private static int Walk(MkReader reader, MapiMessage expected)
    {
        var compared = 0;
        var attachment = -1;
        while (reader.ReadNextAttribute())
        {
            var p = reader.TnefPropertyReader;
            switch (reader.AttributeTag)
            {
                case TnefAttributeTag.MessageClass:
                    var raw = new byte[reader.AttributeRawValueLength];
                    reader.ReadAttributeRawValue(raw, 0, raw.Length);
                    Assert.Equal(expected.MessageClass + "\0", Encoding.ASCII.GetString(raw));
                    break;
                case TnefAttributeTag.AttachRenderData:
                    attachment++;
                    break;
                case TnefAttributeTag.MapiProperties:
                    compared += Properties(p, expected.Properties, null);
                    break;
                case TnefAttributeTag.Attachment:
                    compared += Properties(p, expected.Attachments[attachment].Properties, expected.Attachments[attachment]);
                    break;
                case TnefAttributeTag.RecipientTable:
                    var row = 0;
                    while (p.ReadNextRow()) compared += Properties(p, expected.Recipients[row++].Properties, null);
                    Assert.Equal(expected.Recipients.Count, row);
                    break;
            }
        }
        Assert.Equal(expected.Attachments.Count, attachment + 1);
        return compared;
    }

    private static int Properties(TnefPropertyReader p, PropertyBag bag, MapiAttachment? attachment)
    {
        var expected = TnefWriter.WrittenProperties(bag);
        var index = 0;
        var compared = 0;
        while (p.ReadNextProperty())
        {
            var tag = p.PropertyTag;
            if (attachment is not null && index == expected.Count)
            {
                // Our data object comes last: PR_ATTACH_DATA_OBJ (embedded message or OLE storage).
                Assert.Equal(0x3701, (int)tag.Id);
                if (attachment.EmbeddedMessage is { } embedded)
                {
                    Assert.True(p.IsEmbeddedMessage);
                    using var inner = p.GetEmbeddedMessageReader();
                    compared += Walk(inner, embedded);
                    Assert.Equal(TnefComplianceStatus.Compliant, inner.ComplianceStatus);
                }
                index++;
                continue;
            }
            var ours = expected[index++];
            Assert.Equal(ours.Tag.Id, (ushort)tag.Id);
            Assert.Equal((ushort)ours.Tag.Type, (ushort)((ushort)tag.TnefType | (tag.IsMultiValued ? 0x1000 : 0)));
            if (ours.Name is { } name)
            {
                Assert.Equal(name.PropertySet, p.PropertyNameId.PropertySetGuid);
                if (name.IsString) Assert.Equal(name.Name, p.PropertyNameId.Name);
                else Assert.Equal((int)name.Id!.Value, p.PropertyNameId.Id);
            }
            if (ours.Tag.IsMultiValued) continue; // MimeKit cannot read every value of an MV property (formats.md §2.2)
            object? value = ours.Tag.Type switch
            {
                PropType.String8 or PropType.Unicode => p.ReadValueAsString(),
                PropType.Binary => p.ReadValueAsBytes(),
                PropType.Long => p.ReadValueAsInt32(),
                PropType.Short => p.ReadValueAsInt16(),
                PropType.Boolean => p.ReadValueAsBoolean(),
                PropType.I8 or PropType.Currency => p.ReadValueAsInt64(),
                PropType.Double => p.ReadValueAsDouble(),
                PropType.SysTime => p.ReadValueAsDateTime().ToUniversalTime(),
                PropType.Clsid => p.ReadValueAsGuid(),
                _ => null,
            };
            if (value is null) continue;
            Assert.True(MapiValues.AreEqual(ours.Value, value), $"{ours}: MimeKit read {MapiValues.Format(value)}");
            compared++;
        }
        Assert.Equal(expected.Count + (attachment is not null && (attachment.EmbeddedMessage is not null || (attachment.Method == AttachMethod.Ole && attachment.Data is not null)) ? 1 : 0), index);
        return compared;
    }

    [Fact]
    public void Debian_tnef_lists_and_extracts_our_attachments_byte_identical()
    {
        var tnef = ExternalTools.Require("tnef", "tnef");
        using var dir = new TempDirectory();
        var m = TestMessages.Simple("for tnef");
        m.Attachments.Add(TestMessages.File("hello.txt", "Hello, world!\r\n"u8.ToArray()));
        m.Attachments.Add(TestMessages.File("empty.dat", []));
        m.Attachments.Add(new MapiAttachment { Method = AttachMethod.ByValue, Data = new GeneratedContent(GeneratedContentKind.Binary, 3_000_001, 7) });
        m.Attachments[^1].Properties.Set(PropTags.AttachLongFilename, "big file é.bin");
        var path = dir.Combine("m.tnef");
        TnefWriter.WriteFile(m, path);

        var list = ToolRunner.RunCommand(tnef, ["-t", path]);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal(["hello.txt", "empty.dat", "big file é.bin"], list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')[0].Trim()));

        var outDir = Directory.CreateDirectory(dir.Combine("out")).FullName;
        var x = ToolRunner.RunCommand(tnef, ["-C", outDir, "--overwrite", path]);
        Assert.True(x.ExitCode == 0 && x.Stderr.Length == 0, x.ToString());
        foreach (var a in m.Attachments)
        {
            var file = Path.Combine(outDir, a.FileName!);
            Assert.True(a.Data!.ContentEquals(BinaryContent.FromFile(file, 0, new FileInfo(file).Length)), a.FileName);
        }
    }

    [Fact]
    public void Debian_tnef_accepts_the_full_message_including_embedded_and_ole()
    {
        var tnef = ExternalTools.Require("tnef", "tnef");
        using var dir = new TempDirectory();
        var path = dir.Combine("full.tnef");
        // Debian tnef 1.4.18 does not know PT_ERROR ("Invalid attribute"); everything else it must accept.
        TnefWriter.WriteFile(TestMessages.RemoveTypes(TestMessages.Full(recipients: 10, bigBytes: 100_000), PropType.Error), path);
        var r = ToolRunner.RunCommand(tnef, ["--debug", "-C", dir.Path, "--overwrite", path]);
        Assert.True(r.ExitCode == 0, r.ToString()[..Math.Min(2000, r.ToString().Length)]);
        Assert.DoesNotContain("ERROR", r.Stdout + r.Stderr);
        Assert.True(File.Exists(dir.Combine("hello.txt")));
        Assert.Equal("Hello, world!\r\n", File.ReadAllText(dir.Combine("hello.txt")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Ytnefprint_prints_no_error_for_our_files(int seed)
    {
        var ytnef = ExternalTools.Require("ytnefprint", "ytnef-tools");
        using var dir = new TempDirectory();
        var path = dir.Combine("y.tnef");
        var m = seed == 1 ? TestMessages.Full(recipients: 5, bigBytes: 50_000) : new MessageGenerator(seed).Message();
        // ytnef 2.0 reads PT_CURRENCY and PT_APPTIME as 4 bytes (they are 8), so it cannot parse lists holding them.
        TestMessages.RemoveTypes(m, PropType.Currency, PropType.AppTime);
        // ytnef rejects zero-length fields and caps fields at 512 KiB (formats.md §3): keep data small and non-empty.
        foreach (var a in m.Attachments.ToList())
            if (a.Data is { Length: 0 }) m.Attachments.Remove(a);
        TnefWriter.WriteFile(m, path);
        var r = ToolRunner.RunCommand(ytnef, [path]);
        Assert.True(r.ExitCode == 0, r.ToString()[..Math.Min(3000, r.ToString().Length)]);
        // "TYPE: [  ERROR  ]" is ytnef naming a PT_ERROR property's type, not a complaint.
        var complaints = (r.Stdout + r.Stderr).Split('\n').Where(l => l.Contains("ERROR", StringComparison.OrdinalIgnoreCase) && !l.Contains("Type: [  ERROR  ]", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Empty(complaints);
        if (m.Subject is { Length: > 0 } s && seed == 1) Assert.Contains("Everything", r.Stdout);
    }
}
