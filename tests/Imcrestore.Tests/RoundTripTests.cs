using System.Text.Json;
using Imc.Server;
using Imc.Server.Gateway;
using Imc.Server.Setup;
using Imc.Testing;

namespace Imcrestore.Tests;

/// <summary>imcsave on A → imcrestore onto a new server B → imcsave on B: the real executables, compared value by value.</summary>
public sealed class RoundTripTests(SavedServerFixture a) : IClassFixture<SavedServerFixture>
{
    private const string Service = @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSExchangeIMC";
    private const string Profiles = @"HKEY_USERS\<SID>\Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles\MSExchangeIMC 7332005900";
    private const string Gw1 = "/o=ORG/ou=SITE/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH1)";
    private const string Gw2 = "/o=ORG2/ou=SITE2/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH2)";
    private const string Srv1 = "/o=ORG/ou=SITE/cn=Configuration/cn=Servers/cn=EXCH1";
    private const string Srv2 = "/o=ORG2/ou=SITE2/cn=Configuration/cn=Servers/cn=EXCH2";

    private static readonly InstallOptions Other = new() { ServerName = "EXCH2", Organization = "ORG2", Site = "SITE2" };

    [Fact]
    public void Restore_onto_another_server_retargets_exactly_the_identity_and_keeps_every_message()
    {
        using var s = new RestoreScratch();
        var b = s.CreateServer("B", Other);
        var r = RestoreScratch.Restore(a.Backup, b, "-yes", "-json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using (var json = JsonDocument.Parse(r.Stdout))
        {
            Assert.Equal(SavedServerFixture.Samples, json.RootElement.GetProperty("messagesAdded").GetInt32());
            Assert.Equal(0, json.RootElement.GetProperty("messagesSkipped").GetInt32());
            Assert.Equal("written", json.RootElement.GetProperty("registry").GetString());
        }
        var saved = s.Save(b, "outB");

        Assert.Equal(SavedServerFixture.Samples, BackupComparison.AssertSameMessages(a.Backup, saved));

        var rootA = new ServerLayout(a.ServerPath).ImcData;
        var rootB = new ServerLayout(b).ImcData;
        Assert.Equal(
        [
            $@"{Service} ObjectName: EXCH1\ExchangeService -> EXCH2\ExchangeService",
            $@"{Service}\Parameters RootDir: {rootA} -> {rootB}",
            $@"{Service}\Parameters HomeDSA: EXCH1 -> EXCH2",
            $@"{Service}\Parameters SiteDN: /o=ORG/ou=SITE -> /o=ORG2/ou=SITE2",
            $@"{Service}\Parameters CommonName: Internet Mail Connector (EXCH1) -> Internet Mail Connector (EXCH2)",
        ], BackupComparison.RegDifferences(Path.Combine(a.Backup, "Imcsvc.reg"), Path.Combine(saved, "Imcsvc.reg")));

        Assert.Equal(
        [
            $@"{Profiles}\13dbb0c8aa05101a9bb000aa002fc45a 001e6602: EXCH1 -> EXCH2",
            $@"{Profiles}\13dbb0c8aa05101a9bb000aa002fc45a 001e6603: {Gw1} -> {Gw2}",
            $@"{Profiles}\13dbb0c8aa05101a9bb000aa002fc45a 001e6612: {Srv1} -> {Srv2}",
            $@"{Profiles}\87ce8aa3e16de9f5fbfab15b5e5b2aa8 001e660c: EXCH1 -> EXCH2",
            $@"{Profiles}\87ce8aa3e16de9f5fbfab15b5e5b2aa8 001e6614: {Srv1} -> {Srv2}",
            $@"{Profiles}\a79aeb5e004bb032e236bb7ef8640d46 001e660b: {Gw1} -> {Gw2}",
            $@"{Profiles}\a79aeb5e004bb032e236bb7ef8640d46 001e660c: EXCH1 -> EXCH2",
            $@"{Profiles}\a79aeb5e004bb032e236bb7ef8640d46 001e6614: {Srv1} -> {Srv2}",
            $@"{Profiles}\e35e35c38746b8912eb926eb3ce4072f 001e6602: EXCH1 -> EXCH2",
            $@"{Profiles}\e35e35c38746b8912eb926eb3ce4072f 001e6603: {Gw1} -> {Gw2}",
        ], BackupComparison.RegDifferences(Path.Combine(a.Backup, "Imcpro.reg"), Path.Combine(saved, "Imcpro.reg")).Order(StringComparer.Ordinal));

        // The profiles moved under B's service account.
        using (var server = ExchangeServer.Open(b))
        {
            var sid = ImcIdentity.Read(server.Registry).ServiceAccountSid;
            Assert.Contains(@"[HKEY_USERS\" + sid + @"\Software", File.ReadAllText(Path.Combine(saved, "Imcpro.reg")));
            Assert.DoesNotContain(sid, File.ReadAllText(Path.Combine(a.Backup, "Imcpro.reg")));
        }

        Assert.Equal(
        [
            "Directory Name: Internet Mail Connector (EXCH1) -> Internet Mail Connector (EXCH2)",
            $"Obj-Dist-Name: {Gw1} -> {Gw2}",
            "Common-Name: Internet Mail Connector (EXCH1) -> Internet Mail Connector (EXCH2)",
            "Admin-Display-Name: Internet Mail Service (EXCH1) -> Internet Mail Service (EXCH2)",
            "Computer-Name: EXCH1 -> EXCH2",
            $"Home-Server: {Srv1} -> {Srv2}",
            $"Home-MTA: {Srv1}/cn=Microsoft MTA -> {Srv2}/cn=Microsoft MTA",
            @"Obj-Users: EXCH1\ExchangeService -> EXCH2\ExchangeService",
        ], BackupComparison.CsvDifferences(Path.Combine(a.Backup, "Imcobj.csv"), Path.Combine(saved, "Imcobj.csv")));
    }

    [Fact]
    public void Restore_with_keepidentity_onto_a_server_of_the_same_names_is_exactly_equal()
    {
        using var s = new RestoreScratch();
        var b = s.CreateServer("B", new InstallOptions());
        var r = RestoreScratch.Restore(a.Backup, b, "-keepidentity", "-yes", "-quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Stdout + r.Stderr);
        var saved = s.Save(b, "outB");

        Assert.Equal(SavedServerFixture.Samples, BackupComparison.AssertSameMessages(a.Backup, saved));
        // -keepidentity keeps even RootDir (A's path): the configuration files are the same bytes.
        foreach (var file in new[] { "Imcsvc.reg", "Imcpro.reg", "Imcobj.csv" })
            Assert.True(File.ReadAllBytes(Path.Combine(a.Backup, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(saved, file))), file + " differs");
    }

    [Fact]
    public void Restoring_twice_adds_nothing_and_says_so()
    {
        using var s = new RestoreScratch();
        var b = s.CreateServer("B", Other);
        Assert.Equal(0, RestoreScratch.Restore(a.Backup, b, "-yes", "-quiet").ExitCode);
        var before = RestoreScratch.DatabaseHashes(b);

        var r = RestoreScratch.Restore(a.Backup, b, "-json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.Stdout);
        var root = json.RootElement;
        Assert.Equal(0, root.GetProperty("messagesAdded").GetInt32());
        Assert.Equal(SavedServerFixture.Samples, root.GetProperty("messagesSkipped").GetInt32());
        Assert.Equal("unchanged", root.GetProperty("registry").GetString());
        Assert.Equal("unchanged", root.GetProperty("directory").GetString());
        var skipped = root.GetProperty("queues").EnumerateArray().ToDictionary(q => q.GetProperty("folder").GetString()!, q => q.GetProperty("skipped").GetInt32());
        Assert.Equal(a.Counts.Where(c => c.Value > 0).OrderBy(c => c.Key, StringComparer.Ordinal), skipped.OrderBy(c => c.Key, StringComparer.Ordinal));
        Assert.Equal(before, RestoreScratch.DatabaseHashes(b));
    }

    [Fact]
    public void A_restore_killed_midway_and_run_again_ends_with_exactly_the_backups_messages()
    {
        using var s = new RestoreScratch();
        var b = s.CreateServer("B", Other);
        using (var p = RestoreScratch.Start("imcrestore", [a.Backup, "-server", b, "-yes"]))
        {
            // Kill (SIGKILL) as soon as it reports progress in the queues.
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null && !line.StartsWith("Messages: ", StringComparison.Ordinal)) { }
            Assert.NotNull(line);
            p.Kill();
            p.WaitForExit();
        }
        int partial;
        using (var server = ExchangeServer.Open(b))
            partial = Count(server);
        Assert.InRange(partial, 0, SavedServerFixture.Samples - 1);

        var r = RestoreScratch.Restore(a.Backup, b, "-yes", "-json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using (var json = JsonDocument.Parse(r.Stdout))
        {
            Assert.Equal(SavedServerFixture.Samples - partial, json.RootElement.GetProperty("messagesAdded").GetInt32());
            Assert.Equal(partial, json.RootElement.GetProperty("messagesSkipped").GetInt32());
        }
        var saved = s.Save(b, "outB");
        Assert.Equal(SavedServerFixture.Samples, BackupComparison.AssertSameMessages(a.Backup, saved));
    }

    private static int Count(ExchangeServer server)
    {
        var mailbox = server.Store.FindMailbox(Gw2)!;
        return ServerSetup.QueueFolders.Sum(f => mailbox.OpenFolder(f)?.ListMessages().Count ?? 0);
    }

    [Fact]
    public void Dryrun_changes_no_byte_and_reports_what_it_would_do()
    {
        using var s = new RestoreScratch();
        var b = s.CreateServer("B", Other);
        var before = RestoreScratch.DatabaseHashes(b);
        var r = RestoreScratch.Restore(a.Backup, b, "-dryrun", "-resume", "-json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using (var json = JsonDocument.Parse(r.Stdout))
        {
            var root = json.RootElement;
            Assert.True(root.GetProperty("dryRun").GetBoolean());
            Assert.Equal(SavedServerFixture.Samples, root.GetProperty("messagesAdded").GetInt32());
            Assert.Equal("written", root.GetProperty("registry").GetString());
            Assert.Equal("updated", root.GetProperty("directory").GetString());
            Assert.Equal(22, root.GetProperty("changes").GetArrayLength());
        }
        Assert.Equal(before, RestoreScratch.DatabaseHashes(b));

        r = RestoreScratch.Restore(a.Backup, b, "-dryrun");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("\nDry run: nothing was changed. imcrestore would:\n", r.Stdout.Replace("\r\n", "\n"));
        Assert.Contains("  MTS-OUT                 " + a.Counts["MTS-OUT"] + " added, 0 already there", r.Stdout);
        Assert.Equal(before, RestoreScratch.DatabaseHashes(b));
    }

    [Fact]
    public void Resume_releases_held_mail_and_without_it_routing_stays_off()
    {
        using var s = new RestoreScratch();
        var b = s.CreateServer("B", Other);
        // The backup says transfer was off (imcsave leaves it off); mail the MTA routes meanwhile is held.
        using (var server = ExchangeServer.Open(b))
            server.Store.SetTransferEnabled(Gw2, false);

        var r = RestoreScratch.Restore(a.Backup, b, "-yes", "-restore", "MTSO", "-json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using (var json = JsonDocument.Parse(r.Stdout))
        {
            Assert.False(json.RootElement.GetProperty("transferBefore").GetBoolean());
            Assert.False(json.RootElement.GetProperty("transferAfter").GetBoolean());
        }
        using (var server = ExchangeServer.Open(b))
        {
            Assert.False(server.Store.GetTransferEnabled(Gw2));
            server.Store.Mta.SubmitToInternet(Gw2, Message("held while restoring"));
            Assert.Equal(1, server.Store.Mta.HeldCount(Gw2));
        }

        r = RestoreScratch.Restore(a.Backup, b, "-restore", "MTSO", "-resume", "-json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using (var json = JsonDocument.Parse(r.Stdout))
            Assert.True(json.RootElement.GetProperty("transferAfter").GetBoolean());
        using (var server = ExchangeServer.Open(b))
        {
            Assert.True(server.Store.GetTransferEnabled(Gw2));
            Assert.Equal(0, server.Store.Mta.HeldCount(Gw2));
            var outQueue = server.Store.FindMailbox(Gw2)!.OpenFolder("MTS-OUT")!.ListMessages();
            Assert.Equal(a.Counts["MTS-OUT"] + 1, outQueue.Count);
            Assert.Equal("held while restoring", outQueue[^1].Subject);
        }
    }

    [Fact]
    public void Restoring_only_some_items_touches_only_them()
    {
        using var s = new RestoreScratch();
        var b = s.CreateServer("B", Other);
        string dirBefore;
        using (var server = ExchangeServer.Open(b))
            dirBefore = string.Join("|", server.Directory.Get(Gw2)!.Attributes.Select(x => x.ToString()));
        var r = RestoreScratch.Restore(a.Backup, b, "-restore", "MTSO", "Reg", "-yes", "-json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using (var json = JsonDocument.Parse(r.Stdout))
        {
            var root = json.RootElement;
            Assert.Equal("written", root.GetProperty("registry").GetString());
            Assert.Equal("skipped", root.GetProperty("directory").GetString());
            Assert.Equal(["MTS-OUT"], root.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("folder").GetString()));
        }
        using (var server = ExchangeServer.Open(b))
        {
            var mailbox = server.Store.FindMailbox(Gw2)!;
            Assert.Equal(a.Counts["MTS-OUT"], mailbox.OpenFolder("MTS-OUT")!.ListMessages().Count);
            foreach (var other in new[] { "MTS-IN", "Bad", "ContentConversionFailed", "Work" })
                Assert.Empty(mailbox.OpenFolder(other)!.ListMessages());
            Assert.Equal(dirBefore, string.Join("|", server.Directory.Get(Gw2)!.Attributes.Select(x => x.ToString())));
            Assert.Equal("EXCH2", ImcIdentity.Read(server.Registry).HomeDsa);
        }
    }

    private static Imc.Formats.Mapi.MapiMessage Message(string subject)
    {
        var m = new Imc.Formats.Mapi.MapiMessage();
        m.Properties.Set(Imc.Formats.Mapi.PropTags.MessageClass, "IPM.Note");
        m.Properties.Set(Imc.Formats.Mapi.PropTags.Subject, subject);
        m.Recipients.Add(new Imc.Formats.Mapi.MapiRecipient(Imc.Formats.Mapi.RecipientType.To, "Someone", "someone@example.com"));
        return m;
    }
}
