using System.Text.Json.Nodes;
using Imc.Backup.CommandLine;

namespace Imcadmin.Commands;

/// <summary>imcadmin list QUEUE: one line (or JSON object) per message, in queue order.</summary>
internal static class ListCommand
{
    private static readonly OptionSpec[] Options =
    [
        Common.Server,
        OptionSpec.Flag("json", 1, "Write a JSON array of {\"searchKey\", \"subject\", \"sender\", \"recipients\", \"size\"}."),
    ];

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var p = Common.Parse("list", Options, args, 1, 1, "QUEUE");
        if (p.HelpRequested)
        {
            stdout.Write(UsageScreen.Render("imcadmin list QUEUE [-json] [-server PATH]",
                "Lists the messages of one queue in queue order: PR_SEARCH_KEY (hex), size in bytes, number of recipients,\n" +
                "sender and subject.", Options, ("Queues", ImcItem.QueueList)));
            return ExitCodes.Ok;
        }
        var queue = ImcItem.ParseQueue(p.Positionals[0]).QueueFolder!;
        var (server, identity) = Common.Open(p);
        using (server)
        {
            var folder = server.Store.FindMailbox(identity.GatewayDn)?.OpenFolder(queue);
            var messages = folder?.ListMessages() ?? [];
            if (folder is null) stderr.WriteLine($"{Admin.Program}: the queue folder {queue} does not exist in the gateway mailbox.");
            if (p.Has("json"))
            {
                var array = new JsonArray(messages.Select(m => (JsonNode)new JsonObject
                {
                    ["searchKey"] = Convert.ToHexString(m.SearchKey),
                    ["subject"] = m.Subject,
                    ["sender"] = m.Sender,
                    ["recipients"] = m.RecipientCount,
                    ["size"] = m.Size,
                }).ToArray());
                stdout.WriteLine(Common.Json(array));
                return ExitCodes.Ok;
            }
            if (messages.Count == 0)
            {
                if (folder is not null) stdout.WriteLine($"{queue} is empty.");
                return ExitCodes.Ok;
            }
            stdout.WriteLine($"{"Search key",-32} {"Size",12} {"Rcpts",5}  {"Sender",-30}  Subject");
            foreach (var m in messages)
                stdout.WriteLine($"{Convert.ToHexString(m.SearchKey),-32} {Common.Bytes(m.Size),12} {m.RecipientCount,5}  {Truncate(m.Sender ?? "", 30),-30}  {m.Subject}");
            stdout.WriteLine($"{messages.Count} message{(messages.Count == 1 ? "" : "s")}, {Common.Bytes(messages.Sum(m => m.Size))} bytes");
        }
        return ExitCodes.Ok;
    }

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
