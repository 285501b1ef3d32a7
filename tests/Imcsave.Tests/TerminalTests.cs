using System.Text.RegularExpressions;
using Imc.Testing;

namespace Imcsave.Tests;

/// <summary>
/// imcsave on a real pseudo-terminal (util-linux <c>script</c>): the progress bars and the -delete question, answered
/// by typing, as an administrator at a console does.
/// </summary>
public sealed class TerminalTests
{
    private static ToolResult RunOnTerminal(ImcsaveFixture f, string typed, params string[] args)
    {
        var script = ExternalTools.Require("script", "bsdutils");
        var dll = Path.Combine(AppContext.BaseDirectory, "imcsave.dll");
        string[] words = ["dotnet", dll, .. args, "-server", f.ServerPath, "-output", f.Output];
        var command = string.Join(" ", words.Select(Quote));
        // -e: script exits with the program's code; the typed answer waits in the terminal's input until prompted.
        var r = ToolRunner.RunShell($"printf '{typed}' | TERM=xterm COLUMNS=120 {script} -qfec {Quote(command)} /dev/null", f.Combine(), timeout: TimeSpan.FromMinutes(3));
        return r with { Stdout = Regex.Replace(r.Stdout, @"\x1b\[[0-9;?]*[A-Za-z]", "").Replace("\r", "") };
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    [Fact]
    public void Delete_asks_on_a_terminal_and_yes_deletes_every_saved_message()
    {
        using var f = new ImcsaveFixture(samples: 25);

        var r = RunOnTerminal(f, "y\\n", "-delete");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Delete these 25 messages from their queues?", Regex.Replace(r.Stdout, @"\s+", " "));
        Assert.Contains("100%", r.Stdout); // the progress bars were drawn
        Assert.Contains("Deleted 25 messages from the queues; kept 0.", r.Stdout);
        using var server = f.Open();
        var mailbox = server.Store.FindMailbox(f.GatewayDn)!;
        Assert.All(mailbox.FolderNames, name => Assert.Equal(0, mailbox.OpenFolder(name)!.GetStats().Count));
    }

    [Fact]
    public void Delete_answered_no_on_a_terminal_keeps_every_message_and_exits_7()
    {
        using var f = new ImcsaveFixture(samples: 10);
        var before = f.DatabaseHashes();

        var r = RunOnTerminal(f, "n\\n", "-delete");

        Assert.True(r.ExitCode == 7, r.ToString());
        Assert.Contains("Nothing was deleted (-delete was not confirmed).", r.Stdout);
        Assert.True(File.Exists(Path.Combine(f.Backup, "Imcfls")));
        using var server = f.Open();
        var mailbox = server.Store.FindMailbox(f.GatewayDn)!;
        Assert.Equal(10, mailbox.FolderNames.Sum(name => mailbox.OpenFolder(name)!.GetStats().Count));
    }
}
