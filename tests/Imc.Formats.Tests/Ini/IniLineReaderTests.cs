using System.Text;
using Imc.Formats.Ini;

namespace Imc.Formats.Tests.Ini;

/// <summary>
/// The streaming line reader splits lines in blocks; it must see exactly the lines, and hit exactly the limits, that
/// a reader taking one character at a time sees — also where a line, a CR LF pair or a limit falls on a block edge.
/// </summary>
public sealed class IniLineReaderTests
{
    [Fact]
    public void Lines_across_block_edges_read_like_one_character_at_a_time()
    {
        var random = new Random(20261125);
        for (var run = 0; run < 300; run++)
        {
            var text = RandomText(random);
            Assert.Equal(Reference(text, 1 << 20, long.MaxValue), Streamed(text, 1 << 20, long.MaxValue));
        }
    }

    [Fact]
    public void Line_and_file_limits_fire_on_the_same_line_as_one_character_at_a_time()
    {
        var random = new Random(20261126);
        for (var run = 0; run < 300; run++)
        {
            var text = RandomText(random);
            var maxLine = 1 + random.Next(6000);
            long maxFile = 1 + random.Next(Math.Max(1, text.Length + 10));
            Assert.Equal(Reference(text, maxLine, maxFile), Streamed(text, maxLine, maxFile));
        }
    }

    [Theory]
    [InlineData(3, 7, "line 2: file is longer than 7 characters")] // 'd' passes both limits: the file's is checked first
    [InlineData(3, 8, "line 2: line is longer than 3 characters")]
    [InlineData(4, 7, "line 2: file is longer than 7 characters")]
    public void When_one_character_passes_both_limits_the_file_limit_is_named(int maxLine, long maxFile, string message)
    {
        const string text = "[S]\nabcdef=1\n";
        Assert.Equal(["S S  1", message], Reference(text, maxLine, maxFile));
        Assert.Equal(["S S  1", message], Streamed(text, maxLine, maxFile));
    }

    [Fact]
    public void A_cr_ending_the_first_block_still_pairs_with_the_lf_after_it()
    {
        // 4096 characters fill the first block: "k=" and 4093 x, then CR; LF starts the next block.
        var text = "[S]\r\nk=" + new string('x', 4096 - 5 - 2 - 1) + "\r\nnext=1\r\n";
        Assert.Equal('\r', text[4095]);
        var lines = Streamed(text, 1 << 20, long.MaxValue);
        Assert.Equal(["S S  1", "E k " + new string('x', 4088) + " 2", "E next 1 3"], lines);
    }

    private static string RandomText(Random random)
    {
        var sb = new StringBuilder("[S]\n");
        string[] ends = ["\r\n", "\n", "\r", "\r\r\n", ""];
        while (sb.Length < 3 * 4096 + random.Next(4096))
        {
            switch (random.Next(6))
            {
                case 0: sb.Append('k').Append(random.Next(100)).Append('=').Append('v', random.Next(5000)); break;
                case 1: sb.Append("  ; comment ").Append('c', random.Next(100)); break;
                case 2: sb.Append("[Sec").Append(random.Next(100)).Append(']'); break;
                case 3: sb.Append(' ', random.Next(3)); break;
                default: sb.Append("key=\"quoted ").Append('q', random.Next(300)).Append('"'); break;
            }
            sb.Append(ends[random.Next(ends.Length)]);
        }
        return sb.ToString();
    }

    private static List<string> Streamed(string text, int maxLine, long maxFile)
    {
        var result = new List<string>();
        try
        {
            using var reader = new IniLineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), null,
                new IniReaderOptions { MaxLineLength = maxLine, MaxFileLength = maxFile });
            while (reader.Read()) result.Add($"{(reader.Kind == IniLineKind.Section ? "S" : "E")} {reader.Name} {reader.Value} {reader.Line}");
        }
        catch (IniFormatException e)
        {
            result.Add(e.Message);
        }
        return result;
    }

    /// <summary>The lines as the reader before streaming took them: one character at a time, then the .ini rules.</summary>
    private static List<string> Reference(string text, int maxLine, long maxFile)
    {
        var result = new List<string>();
        var reader = new StringReader(text);
        var sb = new StringBuilder();
        long total = 0;
        var number = 0;
        try
        {
            while (true)
            {
                sb.Clear();
                int c;
                while ((c = reader.Read()) >= 0)
                {
                    if (++total > maxFile) throw new IniFormatException(number + 1, $"file is longer than {maxFile} characters");
                    if (c == '\n') break;
                    if (c == '\r')
                    {
                        if (reader.Peek() == '\n' && reader.Read() >= 0 && ++total > maxFile) throw new IniFormatException(number + 1, $"file is longer than {maxFile} characters");
                        break;
                    }
                    if (sb.Length >= maxLine) throw new IniFormatException(number + 1, $"line is longer than {maxLine} characters");
                    sb.Append((char)c);
                }
                if (c < 0 && sb.Length == 0) break;
                number++;
                var line = sb.ToString().Trim();
                if (line.Length == 0 || line[0] == ';') continue;
                if (line[0] == '[')
                {
                    var end = line.IndexOf(']');
                    if (end >= 0) result.Add($"S {line[1..end].Trim()}  {number}");
                    continue;
                }
                var eq = line.IndexOf('=');
                if (eq <= 0 || line[..eq].TrimEnd().Length == 0) continue;
                var value = line[(eq + 1)..].TrimStart();
                if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0]) value = value[1..^1];
                result.Add($"E {line[..eq].TrimEnd()} {value} {number}");
            }
        }
        catch (IniFormatException e)
        {
            result.Add(e.Message);
        }
        return result;
    }
}
