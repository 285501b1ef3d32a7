using System.Diagnostics;
using System.Text.RegularExpressions;
using Imc.Server.Store;
using Imc.Server.Tests.Store;
using Imc.Testing;

namespace Imc.Server.Tests.Gateway;

public sealed partial class GatewayLogonTests
{
    private const string Dn = StoreFixture.GatewayDn;
    private const string ChildServerVariable = "IMC_TEST_HOLD_LOGON_PRIVDB";
    private const string Hint = "Only one program at a time may log on to a gateway; wait for it to finish or stop it, then try again.";

    [Fact]
    public void A_second_logon_in_the_same_process_fails_naming_the_holder()
    {
        using var f = new StoreFixture();
        using var session = f.Store.LogonGateway(Dn.ToUpperInvariant(), "imcsave");
        Assert.Equal(Dn, session.MailboxDn);
        Assert.Matches(HolderPattern("imcsave", Environment.ProcessId), session.Holder);

        using var other = f.Open();
        var e = Assert.Throws<ServerException>(() => other.LogonGateway(Dn, "imcadmin"));
        Assert.Equal($"The gateway mailbox {Dn} is already logged on by {session.Holder}.", e.Message);
        Assert.Equal(Hint, e.Hint);
        Assert.Throws<ServerException>(() => f.Store.LogonGateway(Dn, "imcsave"));

        session.Dispose();
        using var again = other.LogonGateway(Dn, "imcadmin");
        Assert.Matches(HolderPattern("imcadmin", Environment.ProcessId), again.Holder);
    }

    [Fact]
    public void The_session_opens_queues_and_sets_the_transfer_flag()
    {
        using var f = new StoreFixture();
        using var session = f.Store.LogonGateway(Dn, "imcsave");
        Assert.Equal("MTS-OUT", session.OpenQueue("mts-out")!.Name);
        Assert.Null(session.OpenQueue("Deferred"));
        f.Store.FindMailbox(Dn)!.DeleteFolder("Work");
        Assert.Null(session.OpenQueue("Work"));

        Assert.True(session.TransferEnabled);
        session.TransferEnabled = false;
        Assert.False(f.Store.GetTransferEnabled(Dn));
        Assert.Equal(Imc.Server.Gateway.RouteDestination.Held, RouteDestination(f));
        session.TransferEnabled = true;
        Assert.Single(session.OpenQueue("MTS-OUT")!.ListMessages());

        session.Dispose();
        Assert.Throws<ObjectDisposedException>(() => session.OpenQueue("MTS-OUT"));
    }

    [Fact]
    public void Logon_to_a_missing_mailbox_names_the_DN()
    {
        using var f = new StoreFixture(withGateway: false);
        var e = Assert.Throws<ServerException>(() => f.Store.LogonGateway(Dn, "imcsave"));
        Assert.Equal($"The gateway mailbox {Dn} does not exist in the information store {f.PrivDb}.", e.Message);
        Assert.Equal("Is the Internet Mail Connector installed on this server? 'imcadmin setup' installs it.", e.Hint);
    }

    [Fact]
    public void The_logon_is_an_operating_system_lock_that_other_programs_see()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("flock(1) exists only on Unix.");
        var flock = ExternalTools.Require("flock", "util-linux");
        using var f = new StoreFixture();
        var before = System.IO.Directory.GetFiles(Path.GetDirectoryName(f.PrivDb)!, "*.logon");
        using (f.Store.LogonGateway(Dn, "imcsave"))
        {
            var lockPath = Assert.Single(System.IO.Directory.GetFiles(Path.GetDirectoryName(f.PrivDb)!, "*.logon"));
            Assert.Equal(1, ToolRunner.RunCommand(flock, ["--nonblock", lockPath, "true"]).ExitCode);
        }
        var path = Assert.Single(System.IO.Directory.GetFiles(Path.GetDirectoryName(f.PrivDb)!, "*.logon"));
        Assert.Empty(before);
        Assert.Equal(0, ToolRunner.RunCommand(flock, ["--nonblock", path, "true"]).ExitCode);
    }

    [Fact]
    public void A_logon_held_by_another_process_is_refused_and_released_when_that_process_is_killed()
    {
        using var f = new StoreFixture();
        f.Store.Dispose();
        var ready = f.PrivDb + ".child-ready";
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(GatewayLogonTests).Assembly.Location);
        psi.ArgumentList.Add("-method");
        psi.ArgumentList.Add($"{typeof(GatewayLogonTests).FullName}.{nameof(Child_process_holds_a_logon_when_asked)}");
        psi.Environment[ChildServerVariable] = f.PrivDb;
        using var child = Process.Start(psi)!;
        _ = child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(ready))
            {
                Assert.False(child.HasExited, $"the child process ended (exit {(child.HasExited ? child.ExitCode : 0)}) before logging on");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the child process did not log on within 60 s");
                Thread.Sleep(50);
            }
            using var store = f.Open();
            var e = Assert.Throws<ServerException>(() => store.LogonGateway(Dn, "imcsave"));
            Assert.Matches($"^The gateway mailbox {Regex.Escape(Dn)} is already logged on by {HolderPattern("imcadmin submit", child.Id)[1..^1]}\\.$", e.Message);

            child.Kill();
            child.WaitForExit();
            // The killed holder left its description behind; only the lock counts.
            Assert.Single(System.IO.Directory.GetFiles(Path.GetDirectoryName(f.PrivDb)!, "*.holder"));
            using var session = store.LogonGateway(Dn, "imcsave");
            Assert.Matches(HolderPattern("imcsave", Environment.ProcessId), session.Holder);
        }
        finally
        {
            if (!child.HasExited) child.Kill();
        }
    }

    /// <summary>
    /// The other side of the cross-process test, run in a child process (this test assembly with -method): logs on
    /// and holds the logon until killed. Run normally, it checks that logging off and on again works.
    /// </summary>
    [Fact]
    public void Child_process_holds_a_logon_when_asked()
    {
        var privDb = Environment.GetEnvironmentVariable(ChildServerVariable);
        if (string.IsNullOrEmpty(privDb))
        {
            using var f = new StoreFixture();
            f.Store.LogonGateway(Dn, "first").Dispose();
            using var second = f.Store.LogonGateway(Dn, "second");
            Assert.StartsWith("second (process ", second.Holder);
            return;
        }
        using var store = new InformationStore(SqliteDatabase.Open(privDb));
        using var session = store.LogonGateway(Dn, "imcadmin submit");
        File.WriteAllText(privDb + ".child-ready", session.Holder);
        Thread.Sleep(TimeSpan.FromSeconds(120));
    }

    private static Imc.Server.Gateway.RouteDestination RouteDestination(StoreFixture f) =>
        f.Store.Mta.SubmitToInternet(Dn, SampleMessages.Simple("routed")).Destination;

    private static string HolderPattern(string program, int pid) =>
        $"^{Regex.Escape(program)} \\(process {pid} on host {Regex.Escape(Environment.MachineName)}, since \\d{{4}}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\)$";
}
