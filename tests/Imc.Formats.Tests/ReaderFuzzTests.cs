using System.Diagnostics;
using System.Text;
using Imc.Formats.Csv;
using Imc.Formats.Ini;
using Imc.Formats.Reg;
using Imc.Testing;

namespace Imc.Formats.Tests;

/// <summary>
/// Seeded mutation fuzzing: damaged versions of valid files must fail only with the reader's own format exception
/// (never IndexOutOfRange, NullReference, ArgumentException, ...). Bounded to about 2 s each in CI, IMC_FUZZ_SECONDS
/// each for a long run (docs/fuzzing.md); deterministic per seed.
/// </summary>
public sealed class ReaderFuzzTests
{
    private static TimeSpan Budget => FuzzBudget.Duration(2);

    [Fact]
    public void RegReader_only_throws_RegFormatException()
    {
        using var ms = new MemoryStream();
        RegWriter.Write(ms, Reg.RegSamples.AllTypes());
        using var ms5 = new MemoryStream();
        RegWriter.Write(ms5, Reg.RegSamples.AllTypes(), RegFileFormat.Version5);
        var seeds = new[] { ms.ToArray(), ms5.ToArray(), File.ReadAllBytes(Path.Combine(TestPaths.TestData, "reg", "golden-regedit4.reg")) };
        Fuzz(nameof(RegReader), seeds, "[]\"\\=,:-@;()\r\n hexdword0f", bytes => RegReader.Read(new MemoryStream(bytes), null, new RegReaderOptions { MaxLineLength = 4096, MaxValueBytes = 4096 }), typeof(RegFormatException));
    }

    [Fact]
    public void DirectoryCsvReader_only_throws_CsvFormatException()
    {
        var golden = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "csv", "golden-mail-gateway.csv"));
        var multi = Encoding.Latin1.GetBytes("Obj-Class,Mode,A,B\r\nMailbox,,\"x,y\"\"%z\",a\\%b\r\nRemote,Delete,\"\",\"l1\r\nl2\"\r\n");
        Fuzz(nameof(DirectoryCsvReader), [golden, multi], ",\"%\\\r\n ", bytes => DirectoryCsvReader.Read(new MemoryStream(bytes), null, new DirectoryCsvReaderOptions { MaxRecordLength = 4096, MaxFields = 100 }), typeof(CsvFormatException));
    }

    [Fact]
    public void IniReader_only_throws_IniFormatException_in_either_mode()
    {
        var text = Encoding.UTF8.GetBytes("[Imcsave]\r\nFormat=1\r\nTool=imcsave 1.0.0\r\n\r\n[Files]\r\nMtsout/Grüße.tnef=12 ab\r\n; c\r\nQ=\"x\"\r\n");
        var options = new[] { new IniReaderOptions { MaxLineLength = 512, MaxFileLength = 4096 }, new IniReaderOptions { Strict = true, MaxLineLength = 512, MaxFileLength = 4096 } };
        Fuzz(nameof(IniReader), [text], "[]=;\"'\r\n \xe9", bytes => { foreach (var o in options) IniReader.Read(new MemoryStream(bytes), null, o); }, typeof(IniFormatException));
    }

    private static void Fuzz(string name, byte[][] seeds, string interesting, Action<byte[]> read, Type allowed)
    {
        var special = Encoding.Latin1.GetBytes(interesting);
        var seed = FuzzBudget.Seed(20261125);
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var runs = 0;
        while (clock.Elapsed < Budget)
        {
            var input = Mutate(seeds[random.Next(seeds.Length)], random, special);
            runs++;
            try { read(input); }
            catch (Exception e) when (e.GetType() != allowed)
            {
                Assert.Fail($"Run {runs}: {e.GetType().Name}: {e.Message}\ninput saved to {FuzzBudget.SaveCrash(name, input)}\n{e.StackTrace}");
            }
            catch (Exception e)
            {
                Assert.False(e.Message.Contains('\n'), $"multi-line message: {e.Message}");
            }
        }
        FuzzBudget.Report(name, runs, clock, seed);
        Assert.True(runs > 100, $"only {runs} runs in {Budget}");
    }

    private static byte[] Mutate(byte[] seed, Random random, byte[] special)
    {
        var data = new List<byte>(seed);
        var count = 1 + random.Next(8);
        for (var i = 0; i < count; i++)
        {
            var pos = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0 when data.Count > 0: data[pos] = (byte)random.Next(256); break;
                case 1 when data.Count > 0: data[pos] = special[random.Next(special.Length)]; break;
                case 2: data.Insert(pos, special[random.Next(special.Length)]); break;
                case 3 when data.Count > 0: data.RemoveRange(pos, Math.Min(data.Count - pos, 1 + random.Next(16))); break;
                case 4 when data.Count > 0:
                    var len = Math.Min(data.Count - pos, 1 + random.Next(64));
                    data.InsertRange(random.Next(data.Count), data.GetRange(pos, len));
                    break;
                default: data.RemoveRange(pos, data.Count - pos); break; // truncate
            }
        }
        return [.. data];
    }
}
