using Imc.Backup.CommandLine;
using Imc.Server;
using Imc.Server.Setup;

namespace Imcadmin.Commands;

/// <summary>imcadmin sample N: generated messages into the queues, in batches, with a progress line on a terminal.</summary>
internal static class SampleCommand
{
    private static readonly OptionSpec[] Options =
    [
        Common.Server,
        OptionSpec.Single("seed", 2, "S", "The seed: the same seed gives the same messages (default 1)."),
        OptionSpec.Single("queue", 1, "Q", "Put every message in this queue (MTSI[n] or MTS-IN, MTSO[ut] or MTS-OUT, Bad, Con[tentConversionFailed], Work)."),
        OptionSpec.Single("attachment", 1, "SIZE", "Give every message exactly one attachment of SIZE (1234, 5MB, 1GiB)."),
    ];

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var p = Common.Parse("sample", Options, args, 1, 1, "N (how many messages)");
        if (p.HelpRequested)
        {
            stdout.Write(UsageScreen.Render("imcadmin sample N [-seed S] [-queue Q] [-attachment SIZE] [-server PATH]",
                "Adds N generated messages to the gateway's queues (mostly MTS-OUT and MTS-IN unless -queue is given):\n" +
                "plain, HTML and RTF bodies, attachments from 0 bytes to megabytes, embedded messages, reports, meeting\n" +
                "requests, Unicode names, up to hundreds of recipients. Sizes: KB, MB, GB = 1000^n; KiB, MiB, GiB = 1024^n.", Options));
            return ExitCodes.Ok;
        }
        var count = Common.ParseCount(p.Positionals[0], "N");
        var seed = p.Value("seed") is { } s ? Common.ParseCount(s, "-seed") : 1;
        var queue = p.Value("queue") is { } q ? ImcItem.ParseQueue(q).QueueFolder : null;
        var size = p.Value("attachment") is { } a ? Common.ParseSize(a) : (long?)null;
        var (server, identity) = Common.Open(p);
        using (server)
        {
            // Adding to the queues is what a gateway does: hold its logon so imcsave cannot be saving at the same time.
            using var logon = server.Store.LogonGateway(identity.GatewayDn, Admin.Program + " sample");
            Add(server, count, seed, queue, size, stdout, stderr);
        }
        return ExitCodes.Ok;
    }

    public static void Add(ExchangeServer server, int count, int seed, string? queue, long? attachmentSize, TextWriter stdout, TextWriter stderr)
    {
        var interactive = !Console.IsErrorRedirected && count >= 1000;
        var progress = interactive ? new InlineProgress(n => stderr.Write($"\rAdding sample messages: {n:N0}/{count:N0}")) : null;
        var added = ServerSetup.AddSamples(server, count, seed, queue, attachmentSize, progress);
        if (interactive) stderr.WriteLine();
        var parts = added.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value:N0}");
        stdout.WriteLine($"Added {count:N0} sample message{(count == 1 ? "" : "s")} (seed {seed}){(count > 0 ? ": " + string.Join(", ", parts) : "")}");
    }

    /// <summary>Reports synchronously on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class InlineProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
