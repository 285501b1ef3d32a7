using System.Diagnostics;
using System.Text;
using Imc.Backup.CommandLine;
using Imc.Backup.PackingList;
using Imc.Backup.Save;
using Imc.Backup.Tests.PackingList;
using Imc.Backup.Tests.Save;
using Imc.Backup.Verify;
using Imc.Testing;

namespace Imc.Backup.Tests.Fuzz;

/// <summary>A small real backup (SaveEngine on a test server: registry, directory, messages with attachments).</summary>
public sealed class SmallBackupFixture : IDisposable
{
    private readonly TempDirectory _temp = new("imc-fuzz-backup");

    public SmallBackupFixture()
    {
        var output = _temp.Combine("out");
        System.IO.Directory.CreateDirectory(output);
        using (var server = TestServers.Create(_temp.Combine("server")))
        {
            TestServers.AddMessages(server, "MTS-OUT", 3);
            TestServers.AddMessages(server, "MTS-IN", 1);
            new SaveEngine(server).Run(new SaveOptions { OutputDirectory = output, Items = ImcItem.All });
        }
        Backup = Path.Combine(output, "Backup");
        Files = System.IO.Directory.GetFiles(Backup, "*", SearchOption.AllDirectories)
            .ToDictionary(f => BackupPath.Relative(Backup, f), File.ReadAllBytes, StringComparer.Ordinal);
    }

    public string Backup { get; }

    /// <summary>Every file's pristine bytes by packing-list name (Imcfls included).</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    public string NewCopy(string name)
    {
        var copy = _temp.Combine(name, "Backup");
        foreach (var dir in System.IO.Directory.GetDirectories(Backup, "*", SearchOption.AllDirectories))
            System.IO.Directory.CreateDirectory(Path.Combine(copy, Path.GetRelativePath(Backup, dir)));
        foreach (var (path, bytes) in Files) File.WriteAllBytes(Path.Combine(copy, path), bytes);
        return copy;
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>
/// Seeded mutation fuzzing of the packing-list reader and of the whole verifier over a mutated small backup: only
/// <see cref="BackupFormatException"/> escapes, its message one printable line naming the damaged file; nothing hangs.
/// A few seconds each in CI; IMC_FUZZ_SECONDS for a long run (docs/fuzzing.md).
/// </summary>
public sealed class BackupFuzzTests(SmallBackupFixture fixture) : IClassFixture<SmallBackupFixture>
{
    private static readonly string[] Tokens =
        ["", "0", "1", "-1", "absent", "99999999999999999999", "9223372036854775807", "2147483648", "..", "../x", "/etc/passwd", @"C:\x",
         @"\\server\share", "Mtsout/../../x", "MTS-OUT", "Mtsout/00000001.tnef", "MTSOUT/00000001.TNEF", "[Files]", "[Messages]", "[Queues]", "[Imcsave]",
         "Registry,Directory", "MTSOut,MTSIn", new string('A', 300), "\0", "é", "=", " ", new string('f', 64), "zz"];

    [Fact]
    public void PackingListReader_only_throws_BackupFormatException_and_what_it_reads_writes_back()
    {
        var seedBytes = fixture.Files["Imcfls"];
        var seed = FuzzBudget.Seed(20261127);
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var budget = FuzzBudget.Duration(3);
        long runs = 0, refused = 0;
        while (clock.Elapsed < budget)
        {
            var input = random.Next(2) == 0 ? MutateLines(seedBytes, random) : MutateBytes(seedBytes, random);
            runs++;
            try
            {
                var list = PackingListReader.Read(new MemoryStream(input));
                // What reads is self-consistent: written again, it reads again.
                using var ms = new MemoryStream();
                PackingListWriter.Write(list, ms);
                PackingListReader.Read(new MemoryStream(ms.ToArray()));
            }
            catch (BackupFormatException e)
            {
                AssertOneLine(e.Message, input, "imcfls");
                Assert.StartsWith("Imcfls", e.Message);
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"run {runs}: {e.GetType().Name}: {e.Message}; input saved to {FuzzBudget.SaveCrash("imcfls", input)}\n{e.StackTrace}");
            }
        }
        FuzzBudget.Report("PackingListReader", runs, clock, seed);
        Assert.True(runs > 200, $"only {runs} runs");
        Assert.True(refused > runs / 3, $"only {refused} of {runs} refused");
    }

    [Fact]
    public void PackingListReader_accepts_and_refuses_exactly_like_the_reference_reader()
    {
        // The streaming check keeps no entries and reports later kinds of problems at the end; the reference held the
        // whole list. Same list or same one-line message, whatever the input (reordered lists take the fallbacks).
        var seedBytes = fixture.Files["Imcfls"];
        var seed = FuzzBudget.Seed(20261129);
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var budget = FuzzBudget.Duration(3);
        long runs = 0, refused = 0;
        while (clock.Elapsed < budget)
        {
            var input = random.Next(3) switch
            {
                0 => MutateBytes(seedBytes, random),
                1 => MutateLines(Reorder(seedBytes, random), random),
                _ => MutateLines(seedBytes, random),
            };
            runs++;
            var expected = Outcome(() => ReferencePackingListReader.Read(new MemoryStream(input)));
            var actual = Outcome(() => PackingListReader.Read(new MemoryStream(input)));
            if (expected != actual)
                Assert.Fail($"run {runs}: the reference says\n{expected}\nthe reader says\n{actual}\ninput saved to {FuzzBudget.SaveCrash("imcfls-reference", input)}");
            if (expected.StartsWith("refused", StringComparison.Ordinal)) refused++;
        }
        FuzzBudget.Report("PackingListReader vs reference", runs, clock, seed);
        Assert.True(runs > 200, $"only {runs} runs");
        Assert.True(refused > runs / 4 && refused < runs, $"{refused} of {runs} refused");

        static string Outcome(Func<Imcfls> read)
        {
            try
            {
                using var ms = new MemoryStream();
                PackingListWriter.Write(read(), ms);
                return "read: " + Encoding.UTF8.GetString(ms.ToArray());
            }
            catch (BackupFormatException e)
            {
                return "refused: " + e.Message;
            }
        }
    }

    // Hand edits the order-based checks must survive: a section's entries shuffled, or the sections in another order.
    private static byte[] Reorder(byte[] seed, Random random)
    {
        var sections = Encoding.UTF8.GetString(seed).Split("\r\n\r\n").Select(s => s.Split("\r\n").ToList()).ToList();
        if (random.Next(2) == 0)
        {
            var s = sections[random.Next(sections.Count)];
            var entries = s.Skip(1).OrderBy(_ => random.Next()).ToList();
            s.RemoveRange(1, s.Count - 1);
            s.AddRange(entries);
        }
        else sections = [.. sections.OrderBy(_ => random.Next())];
        return Encoding.UTF8.GetBytes(string.Join("\r\n\r\n", sections.Select(s => string.Join("\r\n", s))));
    }

    [Fact]
    public async Task BackupVerifier_over_a_mutated_backup_only_throws_BackupFormatException_naming_the_file_and_never_hangs()
    {
        var backup = fixture.NewCopy("verify-fuzz");
        var pristine = PackingListReader.Read(new MemoryStream(fixture.Files["Imcfls"]));
        var names = fixture.Files.Keys.Order(StringComparer.Ordinal).ToArray();
        Assert.Contains(names, n => n.EndsWith(".tnef", StringComparison.Ordinal));
        BackupVerifier.Verify(backup, null, TestContext.Current.CancellationToken); // the pristine copy is valid

        var seed = FuzzBudget.Seed(20261128);
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var budget = FuzzBudget.Duration(4);
        long runs = 0, refused = 0;
        while (clock.Elapsed < budget)
        {
            var name = names[random.Next(names.Length)];
            var original = fixture.Files[name];
            var mutated = name == "Imcfls" && random.Next(2) == 0 ? MutateLines(original, random) : MutateBytes(original, random);
            var full = Path.Combine(backup, name);
            File.WriteAllBytes(full, mutated);
            if (name != "Imcfls" && random.Next(4) != 0)
            {
                // A careful forger: the packing list gets the mutated file's size and SHA-256.
                var list = PackingListReader.Read(new MemoryStream(fixture.Files["Imcfls"]));
                var i = list.Files.FindIndex(f => f.Path == name);
                list.Files[i] = FileDigest.Compute(backup, name);
                using var ms = new MemoryStream();
                PackingListWriter.Write(list, ms);
                File.WriteAllBytes(Path.Combine(backup, "Imcfls"), ms.ToArray());
            }
            runs++;
            var verify = Task.Run(() => BackupVerifier.Verify(backup), TestContext.Current.CancellationToken);
            if (await Task.WhenAny(verify, Task.Delay(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken)) != verify)
                Assert.Fail($"run {runs}: verifying a backup with a mutated {name} did not finish in 20 s; input saved to {FuzzBudget.SaveCrash("verify-hang-" + name.Replace('/', '_'), mutated)}");
            try
            {
                await verify;
            }
            catch (BackupFormatException e)
            {
                AssertOneLine(e.Message, mutated, "verify-" + name.Replace('/', '_'));
                // A mutated Imcfls may make any file disagree with it (another Gateway=, size, hash); any other file
                // is the one named, or Imcfls.
                Assert.True(name == "Imcfls" || e.File == name || e.File == "Imcfls", $"run {runs}: {name} was mutated but the error names {e.File}: {e.Message}");
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"run {runs} ({name}): {e.GetType().Name}: {e.Message}; input saved to {FuzzBudget.SaveCrash("verify-" + name.Replace('/', '_'), mutated)}\n{e.StackTrace}");
            }
            File.WriteAllBytes(full, original);
            File.WriteAllBytes(Path.Combine(backup, "Imcfls"), fixture.Files["Imcfls"]);
        }
        FuzzBudget.Report("BackupVerifier", runs, clock, seed);
        Assert.True(runs > 50, $"only {runs} runs");
        Assert.True(refused > runs / 3, $"only {refused} of {runs} refused");
        Assert.NotNull(pristine);
    }

    private static void AssertOneLine(string message, byte[] input, string name)
    {
        if (message.Any(char.IsControl) || message.Length > 2000)
            Assert.Fail($"not one printable line ({message.Length} characters): {message.ReplaceLineEndings("<NL>")}; input saved to {FuzzBudget.SaveCrash(name, input)}");
    }

    /// <summary>Line-level mutations of a text file: lines dropped, doubled, swapped, cased, values replaced by hostile tokens.</summary>
    private static byte[] MutateLines(byte[] seed, Random random)
    {
        var lines = Encoding.UTF8.GetString(seed).Split("\r\n").ToList();
        for (int k = 0, n = 1 + random.Next(3); k < n && lines.Count > 0; k++)
        {
            var i = random.Next(lines.Count);
            switch (random.Next(7))
            {
                case 0: lines.RemoveAt(i); break;
                case 1: lines.Insert(random.Next(lines.Count + 1), lines[i]); break;
                case 2:
                    var j = random.Next(lines.Count);
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                    break;
                case 3: lines[i] = random.Next(2) == 0 ? lines[i].ToUpperInvariant() : lines[i].ToLowerInvariant(); break;
                case 4:
                {
                    var eq = lines[i].IndexOf('=');
                    var token = Tokens[random.Next(Tokens.Length)];
                    lines[i] = eq < 0 ? token : lines[i][..(eq + 1)] + token;
                    break;
                }
                case 5:
                {
                    var eq = lines[i].IndexOf('=');
                    var token = Tokens[random.Next(Tokens.Length)];
                    lines[i] = eq < 0 ? token : token + lines[i][eq..];
                    break;
                }
                default:
                {
                    var sp = lines[i].IndexOf(' ');
                    if (sp > 0) lines[i] = lines[i][..sp] + " " + Tokens[random.Next(Tokens.Length)] + (random.Next(2) == 0 ? lines[i][sp..] : "");
                    break;
                }
            }
        }
        return Encoding.UTF8.GetBytes(string.Join(random.Next(5) == 0 ? "\n" : "\r\n", lines));
    }

    private static readonly byte[] Special = Encoding.Latin1.GetBytes("[]=,\"\\\r\n \0:/.");

    private static byte[] MutateBytes(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        for (int i = 0, n = 1 + random.Next(6); i < n; i++)
        {
            var pos = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0 when data.Count > 0: data[pos] = (byte)random.Next(256); break;
                case 1 when data.Count > 0: data[pos] ^= (byte)(1 << random.Next(8)); break;
                case 2: data.Insert(pos, Special[random.Next(Special.Length)]); break;
                case 3 when data.Count > 0: data.RemoveRange(pos, Math.Min(data.Count - pos, 1 + random.Next(16))); break;
                case 4 when data.Count > 0:
                    var len = Math.Min(data.Count - pos, 1 + random.Next(64));
                    data.InsertRange(random.Next(data.Count), data.GetRange(pos, len));
                    break;
                default: data.RemoveRange(pos, random.Next(data.Count - pos + 1)); break;
            }
        }
        return [.. data];
    }
}
