using System.Text.RegularExpressions;
using Imc.Testing;

namespace Imcsave.Tests;

/// <summary>The README's two commands are the first thing a new user runs: they must stay true.</summary>
public sealed class ReadmeTests
{
    private static IReadOnlyList<string> Commands()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md"));
        var head = readme[..readme.IndexOf("\n## ", StringComparison.Ordinal)];
        return Regex.Matches(head, "```sh\n(.*?)\n```", RegexOptions.Singleline).Select(m => m.Groups[1].Value.Trim()).ToList();
    }

    [Fact]
    public void The_readme_opens_with_exactly_two_commands_the_second_runs_the_whole_suite()
    {
        var commands = Commands();
        Assert.Equal(2, commands.Count);
        Assert.Equal("dotnet test Imc.slnx", commands[1]);
        Assert.Contains("src/Imcsave", commands[0]);
    }

    [Fact]
    public void The_first_command_sets_up_the_default_server_and_saves_it_and_a_rerun_stops_at_the_existing_backup()
    {
        using var home = new TempDirectory("readme");
        var command = Commands()[0];
        var env = new Dictionary<string, string?> { ["XDG_DATA_HOME"] = home.Path, ["IMC_SERVER"] = null };

        var first = ToolRunner.RunShell(command, TestPaths.RepoRoot, env, TimeSpan.FromMinutes(10));

        Assert.True(first.ExitCode == 0, first.ToString());
        var backup = Path.Combine(home.Path, "imc", "server", "exchsrvr", "imcdata", "Backup");
        Assert.True(File.Exists(Path.Combine(backup, "Imcfls")), first.ToString());
        Assert.Contains($"Backup: {backup}", first.Stdout);
        Assert.Equal(200, Directory.EnumerateFiles(backup, "*.tnef", SearchOption.AllDirectories).Count());

        var again = ToolRunner.RunShell(command, TestPaths.RepoRoot, env, TimeSpan.FromMinutes(10));
        Assert.Equal(3, again.ExitCode);
        Assert.Contains($"imcsave: {backup} already exists", again.Stderr);
    }
}
