using System.Diagnostics;
using Imc.Formats.Mapi;
using Imc.Formats.Tnef;
using Imc.Testing;

namespace Imc.Formats.Tests.Tnef;

/// <summary>
/// Write and read throughput on a realistic mix (many small messages, some with MB attachments, some embedded).
/// Not part of the normal run: <c>dotnet test tests/Imc.Formats.Tests -c Release --filter Category=Benchmark
/// --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class TnefThroughputBenchmark(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public void Tnef_write_and_read_throughput()
    {
        var messages = new List<MapiMessage>();
        var r = new Random(7);
        for (var i = 0; i < 400; i++)
        {
            var m = new MessageGenerator(i).Message();
            if (i % 10 == 0) m.Attachments.Add(TestMessages.File("doc.pdf", new byte[r.Next(1, 4) << 20]));
            if (i % 40 == 0) m.Attachments.Add(new MapiAttachment { Method = AttachMethod.ByValue, Data = BinaryContent.FromBytes(new byte[32 << 20]) });
            messages.Add(m);
        }
        using var dir = new TempDirectory();
        long bytes = 0;
        var paths = new List<string>();
        var write = Stopwatch.StartNew();
        for (var i = 0; i < messages.Count; i++)
        {
            var path = dir.Combine($"{i:D5}.tnef");
            using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1)) TnefWriter.Write(messages[i], f);
            bytes += new FileInfo(path).Length;
            paths.Add(path);
        }
        write.Stop();
        var read = Stopwatch.StartNew();
        foreach (var path in paths) TnefReader.ReadFile(path);
        read.Stop();
        var readMemory = Stopwatch.StartNew();
        foreach (var path in paths) TnefReader.Read(new MemoryStream(File.ReadAllBytes(path)));
        readMemory.Stop();
        var mb = bytes / 1048576.0;
        output.WriteLine($"{messages.Count} messages, {mb:F0} MB: write {mb / write.Elapsed.TotalSeconds:F0} MB/s, ReadFile {mb / read.Elapsed.TotalSeconds:F0} MB/s, Read(stream, in memory) {mb / readMemory.Elapsed.TotalSeconds:F0} MB/s");
        Assert.True(bytes > 100 << 20);
    }
}
