using Imc.Formats.Mapi;

namespace Imc.Formats.Tests.Mapi;

public sealed class GeneratedContentTests
{
    [Theory]
    [InlineData(GeneratedContentKind.Binary)]
    [InlineData(GeneratedContentKind.Text)]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(GeneratedContentKind kind)
    {
        var a = new GeneratedContent(kind, 100_000, 1).ToArray();
        Assert.Equal(a, new GeneratedContent(kind, 100_000, 1).ToArray());
        Assert.NotEqual(a, new GeneratedContent(kind, 100_000, 2).ToArray());
        Assert.True(new GeneratedContent(kind, 100_000, 1).ContentEquals(new GeneratedContent(kind, 100_000, 1)));
    }

    [Fact]
    public void Text_is_printable_ascii_lines()
    {
        var text = new GeneratedContent(GeneratedContentKind.Text, 50_000, 9).ToArray();
        Assert.All(text, b => Assert.True(b is >= 0x20 and < 0x7F or (byte)'\r' or (byte)'\n'));
        var lines = System.Text.Encoding.ASCII.GetString(text).Split("\r\n");
        Assert.True(lines.Length > 500);
        Assert.All(lines.Take(lines.Length - 1), l => Assert.InRange(l.Length, 1, 80));
    }

    [Fact]
    public void Binary_is_incompressible_and_carries_its_header()
    {
        var bytes = new GeneratedContent(GeneratedContentKind.Binary, 40_000, 3, "%PDF-1.4\n"u8).ToArray();
        Assert.Equal("%PDF-1.4\n"u8.ToArray(), bytes[..9]);
        using var ms = new MemoryStream();
        using (var z = new System.IO.Compression.DeflateStream(ms, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) z.Write(bytes);
        Assert.True(ms.Length > 39_000);
        Assert.True(bytes.Distinct().Count() == 256);
    }

    [Fact]
    public void Reading_in_any_chunks_or_after_seeking_gives_the_same_bytes()
    {
        var content = new GeneratedContent(GeneratedContentKind.Binary, 3 * GeneratedContent.BlockSize + 123, 77, [1, 2, 3]);
        var whole = content.ToArray();
        using var s = content.OpenRead();
        var pieces = new List<byte>();
        var buf = new byte[1000];
        int n;
        while ((n = s.Read(buf, 0, 997)) > 0) pieces.AddRange(buf.AsSpan(0, n).ToArray());
        Assert.Equal(whole, pieces.ToArray());
        s.Position = GeneratedContent.BlockSize - 5;
        s.ReadExactly(buf, 0, 10);
        Assert.Equal(whole.AsSpan(GeneratedContent.BlockSize - 5, 10).ToArray(), buf[..10]);
    }

    [Fact]
    public void Empty_content_reads_nothing()
    {
        var c = new GeneratedContent(GeneratedContentKind.Text, 0, 1);
        Assert.Empty(c.ToArray());
        Assert.Equal(0, c.OpenRead().Read(new byte[10]));
    }
}
