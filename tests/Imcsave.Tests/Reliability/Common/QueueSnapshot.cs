using Imc.Server;
using Imc.Server.Gateway;
using Imc.Server.Setup;

namespace Imc.Testing.Reliability;

/// <summary>One message in a queue, identified by its PR_SEARCH_KEY (upper-case hex).</summary>
internal sealed record QueuedMessage(string Queue, long Id, string Key, long Version, string? Subject, long Size);

/// <summary>
/// Every message of the gateway's five queues (and, separately, the MTA's held mail) at one moment, read through
/// <c>Folder.ListMessages()</c> on a connection of the test's own.
/// </summary>
internal sealed class QueueSnapshot
{
    private QueueSnapshot(List<QueuedMessage> messages, List<QueuedMessage> held, bool transferEnabled)
    {
        Messages = messages;
        Held = held;
        TransferEnabled = transferEnabled;
    }

    public IReadOnlyList<QueuedMessage> Messages { get; }
    public IReadOnlyList<QueuedMessage> Held { get; }
    public bool TransferEnabled { get; }

    public static QueueSnapshot Take(string serverPath)
    {
        using var server = ExchangeServer.Open(serverPath);
        return Take(server);
    }

    public static QueueSnapshot Take(ExchangeServer server)
    {
        var dn = ImcIdentity.Read(server.Registry).GatewayDn;
        var mailbox = server.Store.FindMailbox(dn) ?? throw new InvalidOperationException($"no gateway mailbox {dn}");
        var list = new List<QueuedMessage>();
        foreach (var name in ServerSetup.QueueFolders)
        {
            var folder = mailbox.OpenFolder(name);
            if (folder is null) continue;
            list.AddRange(folder.ListMessages().Select(m => new QueuedMessage(name, m.Id, Convert.ToHexString(m.SearchKey), m.Version, m.Subject, m.Size)));
        }
        var held = server.Store.Mta.ListHeld(dn).Select(m => new QueuedMessage("(held)", m.Id, Convert.ToHexString(m.SearchKey), m.Version, m.Subject, m.Size)).ToList();
        return new QueueSnapshot(list, held, server.Store.GetTransferEnabled(dn));
    }

    /// <summary>The messages by search key; fails when a key is in the queues twice (nothing here may duplicate mail).</summary>
    public Dictionary<string, QueuedMessage> ByKey(string context)
    {
        var d = new Dictionary<string, QueuedMessage>(StringComparer.Ordinal);
        foreach (var m in Messages)
            if (!d.TryAdd(m.Key, m))
                Assert.Fail($"{context}: search key {m.Key} is in the queues twice ({d[m.Key].Queue} and {m.Queue}).");
        return d;
    }

    /// <summary>"MTS-IN 12, MTS-OUT 30, …" for messages.</summary>
    public string Describe() => string.Join(", ", Messages.GroupBy(m => m.Queue).Select(g => $"{g.Key} {g.Count()}")) + $"; held {Held.Count}";
}
