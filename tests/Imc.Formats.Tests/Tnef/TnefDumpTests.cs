using Imc.Formats.Mapi;
using Imc.Formats.Tnef;
using Imc.Testing;

namespace Imc.Formats.Tests.Tnef;

public sealed class TnefDumpTests
{
    [Fact]
    public void Dump_of_a_real_file_lists_attributes_and_properties()
    {
        var text = new StringWriter();
        TnefDump.DumpFile(Path.Combine(TestPaths.TnefSamples, "one-file.tnef"), text);
        var lines = text.ToString().Split('\n');
        Assert.StartsWith("message attTnefVersion             offset         6  length         4", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("message attMessageClass") && l.Contains("length        24"));
        Assert.Contains(lines, l => l.Trim() == "= \"IPM.Microsoft Mail.Note\"");
        Assert.Contains(lines, l => l.Contains("PR_ATTACH_METHOD [0x37050003] PT_LONG = 1"));
        Assert.Contains(lines, l => l.StartsWith("attach  attAttachData"));
    }

    [Fact]
    public void Dump_shows_named_properties_mv_values_and_embedded_messages_indented()
    {
        var m = TestMessages.Full(recipients: 2, bigBytes: 10);
        var text = new StringWriter();
        TnefDump.Dump(new MemoryStream(TestMessages.ToBytes(m)), text);
        var dump = text.ToString();
        Assert.Contains("{00020386-0000-0000-c000-000000000046}:\"x-mailer\" [0x", dump);
        Assert.Contains("PT_MV_STRING8 = [\"red\", \"blue\", \"\"]", dump);
        Assert.Contains("    row 1 (offset ", dump);
        Assert.Contains("\n    message attMsgProps", dump); // the embedded message, one level in
        Assert.Contains("\n        message attTnefVersion", dump); // the message embedded in the embedded one
        Assert.DoesNotContain("warning:", dump);
    }

    [Fact]
    public void Dump_lists_loose_mode_warnings()
    {
        var text = new StringWriter();
        TnefDump.DumpFile(Path.Combine(TestPaths.TnefSamples, "garbage-at-end.tnef"), text);
        Assert.EndsWith("warning: offset 4183 (0x1057): 1 byte of garbage after the last attribute (fewer than an attribute needs); ignored" + Environment.NewLine, text.ToString());
    }
}
