using System.Text.Json;
using Imc.Testing;
using MimeKit;

namespace Imcadmin.Tests;

/// <summary>imcadmin through the real executable, as an administrator runs it: no terminal, a fresh server per test.</summary>
public sealed class ImcadminTests : IDisposable
{
    private readonly TempDirectory _temp = new("imcadmin");

    public void Dispose() => _temp.Dispose();

    private string ServerPath => _temp.Combine("server");

    private static ToolResult Admin(params string[] args) => ToolRunner.Run("imcadmin", args);

    private ToolResult OnServer(params string[] args) => ToolRunner.Run("imcadmin", args, new Dictionary<string, string?> { ["IMC_SERVER"] = ServerPath });

    private ToolResult Setup(params string[] extra)
    {
        var r = Admin(["setup", "-server", ServerPath, .. extra]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    private static JsonElement Json(ToolResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return JsonDocument.Parse(r.Stdout).RootElement;
    }

    private static string[] QueueOrder => ["MTS-IN", "MTS-OUT", "Bad", "ContentConversionFailed", "Work"];

    [Fact]
    public void Setup_creates_a_server_whose_queues_json_has_the_exact_shape()
    {
        var r = Setup();
        Assert.Equal("", r.Stderr);
        Assert.StartsWith($"Created server EXCH1 at {Path.GetFullPath(ServerPath)}\n", r.Stdout.ReplaceLineEndings("\n"));
        Assert.True(File.Exists(Path.Combine(ServerPath, "registry.db")));
        foreach (var dir in new[] { "In", "Out", "Work", "Pickup", "Log" })
            Assert.True(Directory.Exists(Path.Combine(ServerPath, "exchsrvr", "imcdata", dir)), dir);

        var q = OnServer("queues", "-json");
        Assert.Equal(0, q.ExitCode);
        Assert.Equal(
            "{\"server\": \"EXCH1\", \"transferEnabled\": true, \"held\": 0, \"queues\": [" +
            "{\"name\": \"MTS-IN\", \"count\": 0, \"bytes\": 0}, {\"name\": \"MTS-OUT\", \"count\": 0, \"bytes\": 0}, " +
            "{\"name\": \"Bad\", \"count\": 0, \"bytes\": 0}, {\"name\": \"ContentConversionFailed\", \"count\": 0, \"bytes\": 0}, " +
            "{\"name\": \"Work\", \"count\": 0, \"bytes\": 0}]}\n", q.Stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Setup_with_names_and_samples_fills_the_queues()
    {
        var r = Setup("-name", "MAILHUB", "-ORG", "Contoso", "-si", "Europe", "-sample", "40", "-seed", "3");
        Assert.Contains("gateway /o=Contoso/ou=Europe/cn=Configuration/cn=Connections/cn=Internet Mail Connector (MAILHUB)", r.Stdout);
        Assert.Contains("Added 40 sample messages (seed 3): ", r.Stdout);

        var json = Json(OnServer("queues", "-json"));
        Assert.Equal("MAILHUB", json.GetProperty("server").GetString());
        Assert.Equal(["server", "transferEnabled", "held", "queues"], json.EnumerateObject().Select(p => p.Name));
        var queues = json.GetProperty("queues").EnumerateArray().ToList();
        Assert.Equal(QueueOrder, queues.Select(q => q.GetProperty("name").GetString()));
        Assert.All(queues, q => Assert.Equal(["name", "count", "bytes"], q.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(40, queues.Sum(q => q.GetProperty("count").GetInt32()));
        Assert.True(queues.Single(q => q.GetProperty("name").GetString() == "MTS-OUT").GetProperty("count").GetInt32() > 5);
        Assert.All(queues, q => Assert.True(q.GetProperty("count").GetInt32() == 0 || q.GetProperty("bytes").GetInt64() > 1000));

        var text = OnServer("queues");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Routing to the IMC: on; 0 messages held by the MTA", text.Stdout);
        Assert.Matches(@"\nMTS-OUT\s+\d+\s+[\d,]+", text.Stdout);
    }

    [Fact]
    public void Setup_never_overwrites_a_server_or_part_of_one()
    {
        Setup();
        var again = Admin("setup", "-server", ServerPath);
        Assert.Equal(3, again.ExitCode);
        Assert.Equal($"imcadmin: A server already exists at {Path.GetFullPath(ServerPath)}; it is never overwritten.\n" +
                     "hint: Choose another folder with -server, or remove the old server first.\n", again.Stderr.ReplaceLineEndings("\n"));

        var partial = _temp.Combine("partial");
        Directory.CreateDirectory(Path.Combine(partial, "exchsrvr", "imcdata"));
        var r = Admin("setup", "-server", partial);
        Assert.Equal(3, r.ExitCode);
        Assert.StartsWith($"imcadmin: {Path.GetFullPath(partial)} already holds part of a server ({Path.Combine(Path.GetFullPath(partial), "exchsrvr", "imcdata")}); it is never overwritten.\n",
            r.Stderr.ReplaceLineEndings("\n"));
        Assert.False(File.Exists(Path.Combine(partial, "registry.db")));

        var empty = _temp.Combine("empty");
        Directory.CreateDirectory(empty);
        Assert.Equal(0, Admin("setup", "-server", empty).ExitCode);
    }

    [Fact]
    public void Setup_ifmissing_leaves_an_existing_server_byte_for_byte_untouched()
    {
        Setup("-sample", "3");
        var files = new[] { "registry.db", "exchsrvr/dsadata/dir.db", "exchsrvr/mdbdata/priv.db" }.Select(f => Path.Combine(ServerPath, f)).ToArray();
        var before = files.Select(f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))).ToArray();

        var r = Admin("setup", "-server", ServerPath, "-ifmissing", "-sample", "50");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"A server already exists at {Path.GetFullPath(ServerPath)}; nothing changed (-ifmissing).\n", r.Stdout.ReplaceLineEndings("\n"));
        Assert.Equal(before, files.Select(f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))));

        var fresh = _temp.Combine("fresh");
        var created = Admin("setup", "-server", fresh, "-ifmissing");
        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith($"Created server EXCH1 at {Path.GetFullPath(fresh)}", created.Stdout);
    }

    [Fact]
    public void Sample_into_one_queue_with_a_fixed_attachment_size_and_list_json()
    {
        Setup();
        var r = OnServer("sample", "3", "-queue", "mtso", "-attachment", "20KB", "-seed", "9");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("Added 3 sample messages (seed 9): MTS-OUT 3\n", r.Stdout.ReplaceLineEndings("\n"));

        var list = Json(OnServer("list", "MTS-OUT", "-json"));
        var items = list.EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.All(items, m =>
        {
            Assert.Equal(["searchKey", "subject", "sender", "recipients", "size"], m.EnumerateObject().Select(p => p.Name));
            Assert.Matches("^[0-9A-F]{32}$", m.GetProperty("searchKey").GetString());
            Assert.False(string.IsNullOrEmpty(m.GetProperty("subject").GetString()));
            Assert.True(m.GetProperty("recipients").GetInt32() >= 1);
            Assert.True(m.GetProperty("size").GetInt64() > 20_000);
        });
        Assert.Equal("[]\n", OnServer("list", "bad", "-json").Stdout.ReplaceLineEndings("\n"));

        var text = OnServer("list", "MTSO");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains(items[0].GetProperty("searchKey").GetString()!, text.Stdout);
        Assert.EndsWith(" bytes\n", text.Stdout.ReplaceLineEndings("\n"));
        Assert.StartsWith("3 messages, ", text.Stdout.ReplaceLineEndings("\n").Split('\n')[^2]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_messages_on_two_servers()
    {
        Setup("-sample", "15", "-seed", "4");
        var other = _temp.Combine("other");
        Assert.Equal(0, Admin("setup", "-server", other, "-sample", "15", "-seed", "4").ExitCode);
        foreach (var q in QueueOrder)
            Assert.Equal(OnServer("list", q, "-json").Stdout, Admin("list", q, "-json", "-server", other).Stdout);
    }

    private string WriteEml(string name, string to = "Bob <bob@example.org>")
    {
        var path = _temp.Combine(name);
        File.WriteAllText(path,
            "From: Alice <alice@example.com>\r\n" +
            $"To: {to}\r\n" +
            $"Subject: Test {name}\r\n" +
            "Date: Mon, 4 Jan 1999 10:00:00 +0000\r\n" +
            $"Message-ID: <{name}@example.com>\r\n" +
            "MIME-Version: 1.0\r\n" +
            "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
            "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello Bob.\r\n" +
            "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"data.bin\"\r\n" +
            "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQFBgcICQ==\r\n--b--\r\n");
        return path;
    }

    [Fact]
    public void Submit_is_held_while_routing_is_off_and_released_by_routing_on()
    {
        Setup();
        var a = WriteEml("a.eml");
        var b = WriteEml("b.eml");

        Assert.Equal("Routing to the IMC is off: the MTA holds Internet mail for the IMC until 'imcadmin routing on'.\n",
            OnServer("routing", "off").Stdout.ReplaceLineEndings("\n"));
        var held = OnServer("submit", a, b);
        Assert.True(held.ExitCode == 0, held.ToString());
        Assert.Equal($"{a}: held by the MTA (routing to the IMC is off; 'imcadmin routing on' releases it into MTS-OUT)\n" +
                     $"{b}: held by the MTA (routing to the IMC is off; 'imcadmin routing on' releases it into MTS-OUT)\n", held.Stdout.ReplaceLineEndings("\n"));
        var json = Json(OnServer("queues", "-json"));
        Assert.False(json.GetProperty("transferEnabled").GetBoolean());
        Assert.Equal(2, json.GetProperty("held").GetInt32());
        Assert.Equal(0, json.GetProperty("queues")[1].GetProperty("count").GetInt32());
        Assert.Equal("Routing to the IMC is off (PR_TRANSFER_ENABLED = FALSE); 2 messages held by the MTA.\n", OnServer("routing").Stdout.ReplaceLineEndings("\n"));

        Assert.Equal("Routing to the IMC is on: 2 messages held by the MTA moved into MTS-OUT.\n", OnServer("routing", "ON").Stdout.ReplaceLineEndings("\n"));
        json = Json(OnServer("queues", "-json"));
        Assert.True(json.GetProperty("transferEnabled").GetBoolean());
        Assert.Equal(0, json.GetProperty("held").GetInt32());
        Assert.Equal(2, json.GetProperty("queues")[1].GetProperty("count").GetInt32());

        var routed = OnServer("submit", a);
        Assert.Equal($"{a}: routed into MTS-OUT\n", routed.Stdout.ReplaceLineEndings("\n"));
        var subjects = Json(OnServer("list", "MTS-OUT", "-json")).EnumerateArray().Select(m => m.GetProperty("subject").GetString()).ToList();
        Assert.Equal(["Test a.eml", "Test b.eml", "Test a.eml"], subjects);
    }

    [Fact]
    public void Submit_into_a_queue_with_envelope_overrides()
    {
        Setup();
        var a = WriteEml("c.eml");
        var r = OnServer("submit", a, "-queue", "Bad", "-from", "postmaster@example.net", "-to", "x@example.org", "y@example.org", "z@example.org");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"{a}: added to Bad\n", r.Stdout.ReplaceLineEndings("\n"));
        var m = Assert.Single(Json(OnServer("list", "Bad", "-json")).EnumerateArray());
        Assert.Equal(3, m.GetProperty("recipients").GetInt32());
        Assert.Contains("postmaster@example.net", m.GetProperty("sender").GetString());
    }

    [Fact]
    public void Submit_rejects_a_missing_file_with_exit_5()
    {
        Setup();
        var missing = _temp.Combine("nope.eml");
        var r = OnServer("submit", missing);
        Assert.Equal(5, r.ExitCode);
        Assert.Equal($"imcadmin: {missing} does not exist.\n", r.Stderr.ReplaceLineEndings("\n"));
    }

    public static TheoryData<string[], int, string> UsageErrors => new()
    {
        { ["frob"], 1, "imcadmin: unknown command 'frob'. Commands: setup, sample, submit, queues, list, routing, tnef, verify.\n" },
        { ["queues", "-frob"], 1, "imcadmin: unknown option '-frob'. Options: -server, -json, -help.\n" },
        { ["sample"], 1, "imcadmin: missing N (how many messages).\nhint: 'imcadmin sample -help' shows the usage.\n" },
        { ["sample", "ten"], 1, "imcadmin: N must be a whole number from 0 to 2147483647, not 'ten'.\n" },
        { ["sample", "5", "-s", "1"], 1, "imcadmin: ambiguous option '-s' could be -server or -seed. Options: -server, -seed, -queue, -attachment, -help.\n" },
        { ["sample", "5", "-queue", "MTS"], 1, "imcadmin: ambiguous queue 'MTS' could be MTSI[n] or MTSO[ut]. Queues: MTSI[n] or MTS-IN, MTSO[ut] or MTS-OUT, Bad, Con[tentConversionFailed], Work.\n" },
        { ["sample", "5", "-attachment", "5XB"], 1, "imcadmin: '5XB' is not a size; write bytes, or a number with B, KB, MB, GB, KiB, MiB or GiB (1GiB, 5MB, 1234).\n" },
        { ["list"], 1, "imcadmin: missing QUEUE.\nhint: 'imcadmin list -help' shows the usage.\n" },
        { ["list", "Registry"], 1, "imcadmin: unknown queue 'Registry'. Queues: MTSI[n] or MTS-IN, MTSO[ut] or MTS-OUT, Bad, Con[tentConversionFailed], Work.\n" },
        { ["routing", "maybe"], 1, "imcadmin: unknown routing state 'maybe'; expected on or off.\n" },
        { ["setup", "-output", "x"], 1, "imcadmin: unknown option '-output'. Options: -server, -name, -org, -site, -sample, -seed, -ifmissing, -help.\n" },
        { ["tnef", "frob"], 1, "imcadmin: unknown tnef command 'frob'. Commands: show, eml.\n" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void Usage_errors_have_exact_messages_and_exit_1(string[] args, int code, string stderr)
    {
        var r = OnServer(args);
        Assert.Equal(code, r.ExitCode);
        Assert.Equal(stderr, r.Stderr.ReplaceLineEndings("\n"));
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void A_missing_server_is_exit_2_with_a_hint()
    {
        var r = OnServer("queues");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"imcadmin: No server at {Path.GetFullPath(ServerPath)} (registry.db is missing).\n" +
                     "hint: Create one with 'imcadmin setup -server PATH', or choose another with -server or IMC_SERVER.\n", r.Stderr.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("-help")]
    [InlineData("-h")]
    [InlineData("--help")]
    [InlineData("-?")]
    [InlineData("setup", "-help")]
    [InlineData("sample", "-HELP")]
    [InlineData("submit", "-help")]
    [InlineData("queues", "-help")]
    [InlineData("list", "-help")]
    [InlineData("routing", "-help")]
    [InlineData("tnef", "-help")]
    [InlineData("tnef", "eml", "-help")]
    public void Help_screens_show_usage_and_the_exit_codes(params string[] args)
    {
        var r = Admin(args);
        Assert.True(r.ExitCode == 0, r.ToString());
        var text = r.Stdout.ReplaceLineEndings("\n");
        Assert.StartsWith("Usage: imcadmin", text);
        Assert.Contains("\nExit codes:\n  0    OK\n  1    usage error", text);
        foreach (var code in new[] { "\n  2 ", "\n  3 ", "\n  4 ", "\n  5 ", "\n  6 ", "\n  7 ", "\n  8 ", "\n  70 " }) Assert.Contains(code, text);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void No_arguments_prints_the_usage_on_stderr_and_exits_1()
    {
        var r = Admin();
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("Usage: imcadmin COMMAND", r.Stderr);
    }

    private static string TnefSample(string name)
    {
        var path = Path.Combine(TestPaths.TnefSamples, name);
        if (!File.Exists(path)) Assert.Skip($"{path} is missing (the shared test data is not beside the repository).");
        return path;
    }

    [Fact]
    public void Tnef_eml_writes_an_eml_mimekit_reads_with_the_attachments_and_never_overwrites()
    {
        var input = _temp.Combine("two-files.tnef");
        File.Copy(TnefSample("two-files.tnef"), input);
        var r = Admin("tnef", "eml", input);
        Assert.True(r.ExitCode == 0, r.ToString());
        var output = _temp.Combine("two-files.eml");
        Assert.Equal($"Wrote {output} (2 attachments)\n", r.Stdout.ReplaceLineEndings("\n"));
        var mime = MimeMessage.Load(output, TestContext.Current.CancellationToken);
        Assert.Equal(["AUTHORS", "README"], mime.Attachments.OfType<MimePart>().Select(a => a.FileName));
        Assert.All(mime.Attachments.OfType<MimePart>(), a => Assert.True(a.Content!.Open().ReadByte() >= 0));

        var again = Admin("tnef", "eml", input);
        Assert.Equal(3, again.ExitCode);
        Assert.Equal($"imcadmin: {output} already exists; it is not overwritten.\nhint: Choose another file with -o OUT.eml.\n", again.Stderr.ReplaceLineEndings("\n"));

        var other = _temp.Combine("other.eml");
        Assert.Equal(0, Admin("tnef", "eml", input, "-o", other).ExitCode);
        var second = MimeMessage.Load(other, TestContext.Current.CancellationToken);
        Assert.Equal(mime.Subject, second.Subject);
        Assert.Equal(["AUTHORS", "README"], second.Attachments.OfType<MimePart>().Select(a => a.FileName));
    }

    [Fact]
    public void Tnef_eml_rejects_damaged_input_with_exit_5_and_writes_nothing()
    {
        var bad = _temp.Combine("bad.tnef");
        File.WriteAllBytes(bad, [0x78, 0x9F, 0x3E, 0x22, 0x01, 0x00, 0x01, 0x06, 0x90, 0x08, 0x00, 0xFF, 0xFF, 0xFF]);
        var r = Admin("tnef", "eml", bad);
        Assert.Equal(5, r.ExitCode);
        var lines = r.Stderr.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("imcadmin: ", lines[0]);
        Assert.Contains("bad.tnef", lines[0]);
        Assert.Equal("hint: Try -loose to read past recoverable damage.", lines[1]);
        Assert.False(File.Exists(_temp.Combine("bad.eml")));
    }

    [Fact]
    public void Tnef_show_dumps_attributes_and_properties()
    {
        var r = Admin("tnef", "show", TnefSample("one-file.tnef"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("offset", r.Stdout);
        Assert.Contains("PR_ATTACH_LONG_FILENAME", r.Stdout);
        Assert.Contains("AUTHORS", r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void A_held_gateway_logon_makes_routing_changes_exit_4()
    {
        Setup();
        using var server = Imc.Server.ExchangeServer.Open(ServerPath);
        var id = Imc.Server.Gateway.ImcIdentity.Read(server.Registry);
        using (server.Store.LogonGateway(id.GatewayDn, "imcsave (test)"))
        {
            var r = OnServer("routing", "off");
            Assert.Equal(4, r.ExitCode);
            var lines = r.Stderr.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith($"imcadmin: The gateway mailbox {id.GatewayDn} is already logged on by ", lines[0]);
            Assert.Equal("hint: Only one program at a time may log on to a gateway; wait for it to finish or stop it, then try again.", lines[1]);
            Assert.Equal(4, OnServer("sample", "1").ExitCode);
            Assert.Equal(0, OnServer("queues").ExitCode); // reading needs no logon
        }
        Assert.True(server.Store.GetTransferEnabled(id.GatewayDn));
        Assert.Equal(0, OnServer("routing", "off").ExitCode);
    }
}
