using Imc.Formats.Mapi;
using Imc.Server.Store;

namespace Imc.Server.Gateway;

/// <summary>
/// The message transfer agent's part that matters to the IMC: Internet-bound mail goes into the gateway's MTS-OUT
/// while its store says PR_TRANSFER_ENABLED = TRUE; otherwise it waits in the MTA's queue for that gateway (a hidden
/// folder of the gateway mailbox) and moves to MTS-OUT, in order, when transfer is enabled again.
/// </summary>
public sealed class MessageTransferAgent
{
    /// <summary>The gateway folder the MTA delivers Internet-bound mail to.</summary>
    public const string MtsOut = "MTS-OUT";

    private readonly InformationStore _store;

    internal MessageTransferAgent(InformationStore store) => _store = store;

    /// <summary>Routes a message to the gateway <paramref name="gatewayDn"/>, atomically with the flag check.</summary>
    public RouteResult SubmitToInternet(string gatewayDn, MapiMessage message)
    {
        ArgumentNullException.ThrowIfNull(gatewayDn);
        ArgumentNullException.ThrowIfNull(message);
        return _store.Write(() =>
        {
            var mailbox = _store.RequireMailbox(gatewayDn);
            if (_store.GetTransferEnabled(mailbox.Dn))
                return new RouteResult(RouteDestination.MtsOut, RequireMtsOut(mailbox).AddMessage(message));
            var queue = HeldQueue(mailbox) ?? mailbox.CreateFolder(InformationStore.MtaQueueFolder, hidden: true);
            return new RouteResult(RouteDestination.Held, queue.AddMessage(message));
        });
    }

    /// <summary>How many messages wait in the MTA's queue for the gateway.</summary>
    public int HeldCount(string gatewayDn) =>
        HeldQueue(_store.RequireMailbox(gatewayDn)) is { } queue ? (int)queue.GetStats().Count : 0;

    /// <summary>The messages waiting in the MTA's queue for the gateway, in submission order.</summary>
    public IReadOnlyList<MessageInfo> ListHeld(string gatewayDn) =>
        HeldQueue(_store.RequireMailbox(gatewayDn))?.ListMessages() ?? [];

    /// <summary>Moves every held message to MTS-OUT in submission order; the caller's transaction makes it atomic.</summary>
    internal void ReleaseHeld(Mailbox mailbox)
    {
        if (HeldQueue(mailbox) is not { } queue) return;
        var db = _store.Database;
        using (var range = db.Command("SELECT MIN(seq), MAX(seq) FROM messages WHERE folder_id=$q", ("$q", queue.Id)))
        using (var r = range.ExecuteReader())
        {
            if (!r.Read() || r.IsDBNull(0)) return;
            var (first, last) = (r.GetInt64(0), r.GetInt64(1));
            r.Close();
            var target = RequireMtsOut(mailbox);
            // One statement moves the rows; shifting their arrival numbers past MTS-OUT's keeps their order.
            var next = (long)db.Scalar("SELECT next_seq FROM folders WHERE id=$f", ("$f", target.Id))!;
            db.Execute("UPDATE messages SET folder_id=$f, seq = seq - $first + $next WHERE folder_id=$q",
                ("$f", target.Id), ("$first", first), ("$next", next), ("$q", queue.Id));
            db.Execute("UPDATE folders SET next_seq=$n WHERE id=$f", ("$n", next + last - first + 1), ("$f", target.Id));
        }
    }

    private static Folder? HeldQueue(Mailbox mailbox) => mailbox.OpenFolder(InformationStore.MtaQueueFolder, hidden: true);

    private Folder RequireMtsOut(Mailbox mailbox) => mailbox.OpenFolder(MtsOut)
        ?? throw new ServerException($"The gateway mailbox {mailbox.Dn} has no {MtsOut} folder, so the MTA cannot deliver to it.",
            "Reinstall the connector with 'imcadmin setup', which creates the queue folders.");
}
