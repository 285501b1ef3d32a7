using Imc.Server.Gateway;

namespace Imc.Server.Store;

/// <summary>
/// An exclusive logon to a gateway mailbox (<see cref="InformationStore.LogonGateway"/>), as the IMC and Imcsave
/// have: it opens the queues and reads and sets PR_TRANSFER_ENABLED. Dispose ends the logon.
/// </summary>
public sealed class GatewaySession : IDisposable
{
    private readonly InformationStore _store;
    private readonly GatewayLock _lock;
    private bool _disposed;

    internal GatewaySession(InformationStore store, Mailbox mailbox, GatewayLock gatewayLock)
    {
        _store = store;
        _lock = gatewayLock;
        Mailbox = mailbox;
    }

    public string MailboxDn => Mailbox.Dn;
    public Mailbox Mailbox { get; }

    /// <summary>This logon as others see it, e.g. "imcsave (process 1234 on host h, since 2026-11-25 02:00:00Z)".</summary>
    public string Holder => _lock.Holder;

    /// <summary>PR_TRANSFER_ENABLED on the gateway store; setting it TRUE releases the mail the MTA held.</summary>
    public bool TransferEnabled
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _store.GetTransferEnabled(MailboxDn);
        }
        set
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _store.SetTransferEnabled(MailboxDn, value);
        }
    }

    /// <summary>The queue folder with this name (case-insensitive), or null when the mailbox has none.</summary>
    public Folder? OpenQueue(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Mailbox.OpenFolder(name);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _lock.Dispose();
    }
}
