using System.Diagnostics;
using Imc.Testing;

namespace Imcrestore.Tests.Hostile;

/// <summary>
/// The corpus of damaged and hostile backups (<see cref="HostileCorpus"/>) through the real executables: each is
/// refused by <c>imcrestore</c> and by <c>imcadmin verify</c> with exit code 5 and ONE line on stderr naming the
/// file and the problem, and the target server's database files (-wal/-shm included) keep every byte.
/// </summary>
public sealed class HostileBackupTests(HostileBackupFixture fixture) : IClassFixture<HostileBackupFixture>
{
    public static TheoryData<string> Cases => new(HostileCorpus.Names);

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_hostile_backup_is_refused_by_imcrestore_and_imcadmin_verify_with_one_line_and_exit_5(string name)
    {
        using var temp = new TempDirectory("imc-hostile-case");
        var backup = temp.Combine("Backup");
        HostileBackupFixture.CopyTree(fixture.Backup, backup);
        var expected = HostileCorpus.Cases[name](new CaseContext(backup, temp.Path));

        var target = temp.Combine("B");
        HostileBackupFixture.CopyTree(fixture.Target, target);
        var before = RestoreScratch.DatabaseHashes(target);
        Assert.NotEmpty(before);

        var clock = Stopwatch.StartNew();
        var r = RestoreScratch.Restore(backup, target, "-yes", "-quiet");
        Assert.True(r.ExitCode == 5, $"{name}: {r}");
        Assert.Equal("", r.Stdout);
        AssertOneLine(expected, r.Stderr, "imcrestore: ");
        Assert.Equal(before, RestoreScratch.DatabaseHashes(target));

        var v = ToolRunner.Run("imcadmin", ["verify", backup]);
        Assert.True(v.ExitCode == 5, $"{name}: {v}");
        Assert.Equal("", v.Stdout);
        AssertOneLine(expected, v.Stderr, "imcadmin: ");
        // Refusing is quick even for the 100 MB line: nothing reads further than the first problem.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{name}: took {clock.Elapsed}");
    }

    [Fact]
    public void The_corpus_has_the_cases_the_issue_names()
    {
        var names = HostileCorpus.Names.ToList();
        Assert.True(names.Count >= 90, $"{names.Count} cases");
        foreach (var prefix in new[] { "tnef-", "reg-", "csv-", "imcfls-", "path-", "symlink-", "extra-", "missing-" })
            Assert.Contains(names, n => n.StartsWith(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public void The_pristine_sample_backup_is_accepted()
    {
        // Guards the corpus: every refusal above is due to its damage, not to the sample.
        var v = ToolRunner.Run("imcadmin", ["verify", fixture.Backup]);
        Assert.True(v.ExitCode == 0, v.ToString());
        Assert.StartsWith("Backup OK: ", v.Stdout);
        Assert.True(fixture.List.Messages.Count >= 3, $"{fixture.List.Messages.Count} messages");
    }

    private static void AssertOneLine(Expect expected, string stderr, string program)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines).TrimEnd('\r');
        if (expected.Exact) Assert.Equal(program + expected.Text, line);
        else Assert.StartsWith(program + expected.Text, line);
        Assert.True(line.Length < 1000, $"a {line.Length}-character line");
    }
}
