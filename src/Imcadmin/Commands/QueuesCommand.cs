using System.Text.Json.Nodes;
using Imc.Backup.CommandLine;

namespace Imcadmin.Commands;

/// <summary>imcadmin queues: each queue's count and bytes, the mail the MTA holds, and whether routing is on.</summary>
internal static class QueuesCommand
{
    private static readonly OptionSpec[] Options =
    [
        Common.Server,
        OptionSpec.Flag("json", 1, "Write JSON: {\"server\", \"transferEnabled\", \"held\", \"queues\": [{\"name\", \"count\", \"bytes\"}]}."),
    ];

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var p = Common.Parse("queues", Options, args);
        if (p.HelpRequested)
        {
            stdout.Write(UsageScreen.Render("imcadmin queues [-json] [-server PATH]",
                "Shows how many messages and bytes each queue of the gateway mailbox holds (MTS-IN, MTS-OUT, Bad,\n" +
                "ContentConversionFailed, Work; a queue whose folder does not exist shows as absent), how many messages\n" +
                "the MTA holds for the IMC, and whether routing to the IMC is on.", Options));
            return ExitCodes.Ok;
        }
        var (server, identity) = Common.Open(p);
        using (server)
        {
            var mailbox = server.Store.FindMailbox(identity.GatewayDn);
            var enabled = server.Store.GetTransferEnabled(identity.GatewayDn);
            var held = server.Store.Mta.HeldCount(identity.GatewayDn);
            var rows = ImcItem.Queues.Select(q =>
            {
                var folder = mailbox?.OpenFolder(q.QueueFolder!);
                var stats = folder?.GetStats();
                return (Name: q.QueueFolder!, Count: stats?.Count, Bytes: stats?.Bytes);
            }).ToList();

            if (p.Has("json"))
            {
                var json = new JsonObject
                {
                    ["server"] = identity.HomeDsa,
                    ["transferEnabled"] = enabled,
                    ["held"] = held,
                    ["queues"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject { ["name"] = r.Name, ["count"] = r.Count, ["bytes"] = r.Bytes }).ToArray()),
                };
                stdout.WriteLine(Common.Json(json));
                return ExitCodes.Ok;
            }
            stdout.WriteLine($"Server {identity.HomeDsa}, gateway {identity.GatewayDn}");
            stdout.WriteLine(enabled
                ? $"Routing to the IMC: on; {held} message{(held == 1 ? "" : "s")} held by the MTA"
                : $"Routing to the IMC: OFF; {held} message{(held == 1 ? "" : "s")} held by the MTA ('imcadmin routing on' releases them)");
            stdout.WriteLine();
            stdout.WriteLine($"{"Queue",-25} {"Messages",10} {"Bytes",16}");
            foreach (var r in rows)
                stdout.WriteLine(r.Count is null
                    ? $"{r.Name,-25} {"(absent)",10} {"",16}"
                    : $"{r.Name,-25} {Common.Bytes(r.Count.Value),10} {Common.Bytes(r.Bytes!.Value),16}");
        }
        return ExitCodes.Ok;
    }
}
