using Imc.Formats.Mapi;
using Imc.Server.Gateway;

namespace Imc.Server.Setup;

/// <summary>
/// Builds a complete server with the Internet Mail Connector installed (what <c>imcadmin setup</c> does), and fills
/// its queues with sample messages.
/// </summary>
public static class ServerSetup
{
    /// <summary>The five queue folders of the gateway mailbox, in imcadmin's order.</summary>
    public static IReadOnlyList<string> QueueFolders => SampleGenerator.QueueFolders;

    /// <summary>Messages added per transaction by <see cref="AddSamples"/>, unless their attachments are large.</summary>
    public const int BatchSize = 500;

    /// <summary>A batch is committed early once its attachments reach this many bytes, so no transaction grows huge.</summary>
    public const long BatchBytes = 64L << 20;

    /// <summary>
    /// Creates a server in <paramref name="path"/>: the folder layout, the registry with the IMC's service and profile
    /// keys, the directory with its Mail-Gateway object, and the gateway mailbox with MTS-IN, MTS-OUT, Bad,
    /// ContentConversionFailed and Work, transfer enabled. Never overwrites: if the folder already holds a server or
    /// any of its files, fails with a <see cref="ServerException"/> (exit code 3) naming it. An empty folder is fine.
    /// </summary>
    public static ExchangeServer Create(string path, InstallOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var layout = new ServerLayout(path);
        if (File.Exists(layout.Root))
            throw new ServerException($"{layout.Root} is a file, not a folder; a server is a folder.") { ExitCode = 3 };
        foreach (var existing in new[] { layout.RegistryDb, layout.DirectoryDb, layout.PrivateStoreDb, layout.ImcData })
        {
            if (File.Exists(existing) || System.IO.Directory.Exists(existing))
                throw new ServerException(layout.Exists
                        ? $"A server already exists at {layout.Root}; it is never overwritten."
                        : $"{layout.Root} already holds part of a server ({existing}); it is never overwritten.",
                    "Choose another folder with -server, or remove the old server first.") { ExitCode = 3 };
        }

        System.IO.Directory.CreateDirectory(layout.Root);
        var server = ExchangeServer.Open(layout, create: true);
        try
        {
            ImcInstaller.InstallRegistry(server.Registry, layout, options);
            ImcInstaller.InstallDirectory(server.Directory, options);
            var identity = ImcIdentity.Read(server.Registry);
            server.Store.CreateGatewayMailbox(identity.GatewayDn, ImcInstaller.DisplayName(options), QueueFolders);
            server.Store.SetTransferEnabled(identity.GatewayDn, true);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds <paramref name="count"/> generated messages (<see cref="SampleGenerator"/>) straight into their queue
    /// folders, <see cref="BatchSize"/> per transaction (fewer when attachments are large), streaming: only one
    /// batch of messages is in memory, and attachment data are generated while they are stored. Reports the number
    /// of messages added so far after each batch. Returns how many messages each queue received.
    /// </summary>
    public static IReadOnlyDictionary<string, int> AddSamples(ExchangeServer server, int count, int seed, string? queue = null, long? attachmentSize = null, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var identity = ImcIdentity.Read(server.Registry);
        var mailbox = server.Store.FindMailbox(identity.GatewayDn)
            ?? throw new ServerException($"The gateway mailbox {identity.GatewayDn} does not exist in the information store.",
                "Is the Internet Mail Connector installed on this server? 'imcadmin setup' installs it.");
        var folders = new Dictionary<string, Store.Folder>(StringComparer.Ordinal);
        var added = QueueFolders.ToDictionary(q => q, _ => 0, StringComparer.Ordinal);
        var generator = new SampleGenerator(seed) { AttachmentSize = attachmentSize, Organization = identity.Organization, Site = identity.Site };

        var batch = new List<(string Queue, MapiMessage Message)>(BatchSize);
        long batchBytes = 0;
        var done = 0;
        foreach (var item in generator.Generate(count, queue))
        {
            batch.Add(item);
            batchBytes += AttachmentBytes(item.Message);
            if (batch.Count >= BatchSize || batchBytes >= BatchBytes) Flush();
        }
        Flush();
        return added;

        void Flush()
        {
            if (batch.Count == 0) return;
            server.Store.Write(() =>
            {
                foreach (var (q, message) in batch)
                {
                    if (!folders.TryGetValue(q, out var folder))
                        folders[q] = folder = mailbox.OpenFolder(q) ?? mailbox.CreateFolder(q);
                    folder.AddMessage(message);
                }
                return 0;
            });
            foreach (var (q, _) in batch) added[q]++;
            done += batch.Count;
            batch.Clear();
            batchBytes = 0;
            progress?.Report(done);
        }
    }

    private static long AttachmentBytes(MapiMessage m) =>
        m.Attachments.Sum(a => (a.Data?.Length ?? 0) + (a.EmbeddedMessage is { } e ? AttachmentBytes(e) : 0));
}
