using System.Diagnostics;
using Imc.Backup.CommandLine;
using Imc.Backup.PackingList;
using Imc.Backup.Threading;
using Imc.Backup.Verify;
using Imc.Formats.Reg;
using Imc.Formats.Tnef;
using Imc.Server;
using Imc.Server.Directory;
using Imc.Server.Gateway;
using Imc.Server.Store;

namespace Imc.Backup.Restore;

/// <summary>
/// Restores a Backup folder onto a server: verifies everything first (nothing is touched if any file is wrong),
/// then writes the registry in one transaction, the gateway directory object, and every message back into its queue
/// — skipping messages whose PR_SEARCH_KEY is already there, so a second or interrupted run completes without
/// duplicates. Touches only the IMC's service and profile keys, the gateway object and the gateway's queues.
/// </summary>
public sealed class RestoreEngine(ExchangeServer server)
{
    /// <summary>SQLite's "database or disk is full".</summary>
    private const int SqliteFull = 13;

    public RestoreResult Run(RestoreOptions options, IProgress<RestoreProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        using var backup = BackupVerifier.Verify(options.BackupDir,
            progress is null ? null : new Progress<VerifyProgress>(p => progress.Report(new RestoreProgress(RestorePhase.Verifying, p.FilesDone, p.FilesTotal, p.BytesDone, p.BytesTotal, p.CurrentFile))),
            cancellationToken);
        var list = backup.List.Header;
        var items = SelectItems(list, options.Items);

        ImcIdentity? targetIdentity = null;
        ServerException? targetProblem = null;
        try
        {
            targetIdentity = ImcIdentity.Read(server.Registry);
        }
        catch (ServerException e)
        {
            targetProblem = e;
        }
        if (!options.KeepIdentity && targetIdentity is null)
            throw new ServerException(
                $"The target server {server.Layout.Root} has no usable Internet Mail Connector to restore onto: {targetProblem!.Message}",
                "Install one with 'imcadmin setup -server PATH' (it gives the server its name, organisation and site), or restore with -keepidentity.");

        var source = SourceNames(backup);
        var target = options.KeepIdentity || targetIdentity is null
            ? source
            : new IdentityNames(targetIdentity.HomeDsa, targetIdentity.Organization, targetIdentity.Site, targetIdentity.CommonName,
                targetIdentity.ServiceAccount, server.Layout.ImcData);
        var changes = new List<IdentityChange>();
        var retarget = new IdentityRetargeter(source, target, changes);
        var gatewayDn = options.KeepIdentity ? list.Gateway : target.GatewayDn;

        var result = new RestoreResult
        {
            DryRun = options.DryRun,
            BackupDir = backup.BackupDir,
            SourceServer = list.Server,
            SourceGateway = list.Gateway,
            TargetServer = target.Server,
            TargetGateway = gatewayDn,
            KeepIdentity = options.KeepIdentity,
            FilesVerified = backup.FileCount,
            BytesVerified = backup.TotalBytes,
        };

        // Plan the configuration: what the registry and the gateway object will be.
        List<RegKey>? registryPlan = null;
        List<RegKey>? registryExisting = null;
        if (items.Contains(BackupLayout.RegistryItem))
        {
            var service = options.KeepIdentity ? backup.ServiceKeys! : retarget.RetargetService(backup.ServiceKeys!);
            var profiles = retarget.RetargetProfiles(backup.ProfileKeys!, targetIdentity?.ServiceAccountSid, retargetValues: !options.KeepIdentity);
            registryPlan = [.. service, .. profiles];
            registryExisting = ExistingRegistry(targetIdentity);
        }
        DirectoryObject? gatewayPlan = null;
        DirectoryObject? gatewayExisting = null;
        if (items.Contains(BackupLayout.DirectoryItem))
        {
            gatewayPlan = options.KeepIdentity ? backup.GatewayObject! : retarget.RetargetGateway(backup.GatewayObject!);
            gatewayExisting = server.Directory.Get(gatewayPlan.DistinguishedName);
        }
        result.Changes.AddRange(changes);

        // Replacing a different IMC configuration needs a yes; identical or absent needs none.
        var differences = new List<string>();
        var registrySame = registryPlan is not null && registryExisting is not null && SameRegistry(registryPlan, registryExisting, differences);
        if (registryPlan is not null && registryExisting is { Count: > 0 } && !registrySame && differences.Count == 0)
            differences.Add("the IMC registry keys differ");
        var directorySame = gatewayPlan is not null && gatewayExisting is not null && SameObject(gatewayPlan, gatewayExisting, differences);
        if (!options.DryRun && differences.Count > 0)
        {
            var question = new OverwriteQuestion(targetIdentity?.HomeDsa ?? server.Layout.Root, targetIdentity?.GatewayDn ?? gatewayDn, differences);
            if (options.ConfirmOverwrite is null)
                throw new CommandException(
                    $"The target server already has a different IMC configuration ({differences[0]}); it was not replaced.",
                    ExitCodes.DeletionDeclined,
                    "Run imcrestore on a terminal to confirm, or give -yes to replace it; -dryrun shows what would change.");
            if (!options.ConfirmOverwrite(question))
                throw new CommandException("Restore declined: the target's IMC configuration was not replaced.", ExitCodes.DeletionDeclined);
        }

        // A full disk on the target surfaces as SQLITE_FULL from whichever database was growing: name it (exit 6).
        var writing = server.Layout.RegistryDb;
        try
        {
            // Registry: one transaction, replacing the IMC service tree and the account's IMC profiles.
            if (registryPlan is not null)
            {
                progress?.Report(new RestoreProgress(RestorePhase.Registry, 0, 0, 0, 0, BackupLayout.ServiceRegName));
                result.RegistryKeys = registryPlan.Count;
                if (registrySame) result.Registry = "unchanged";
                else
                {
                    result.Registry = "written";
                    if (!options.DryRun)
                    {
                        var import = new List<RegKey>();
                        if (server.Registry.KeyExists(ImcIdentity.ServiceKeyPath)) import.Add(new RegKey(ImcIdentity.ServiceKeyPath) { Delete = true });
                        foreach (var profile in targetIdentity?.ProfileKeyPaths ?? []) import.Add(new RegKey(profile) { Delete = true });
                        import.AddRange(registryPlan);
                        server.Registry.Import(import);
                    }
                }
            }

            writing = server.Layout.DirectoryDb;
            // Directory: the gateway object only, created or replaced.
            if (gatewayPlan is not null)
            {
                progress?.Report(new RestoreProgress(RestorePhase.Directory, 0, 0, 0, 0, BackupLayout.DirectoryCsvName));
                result.Directory = directorySame ? "unchanged" : gatewayExisting is null ? "created" : "updated";
                if (!options.DryRun && !directorySame) server.Directory.Put(gatewayPlan);
            }

            writing = server.Layout.PrivateStoreDb;
            RestoreQueues(backup, items, gatewayDn, options, result, progress, cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == SqliteFull)
        {
            throw new CommandException($"No space left on device while writing {writing}.", ExitCodes.IoError,
                "Free some space on the target server's disk and run imcrestore again: what was restored stays, and messages already in a queue are skipped.", e);
        }
        progress?.Report(new RestoreProgress(RestorePhase.Done, result.MessagesAdded + result.MessagesSkipped, backup.MessageCount, 0, 0, null));
        result.Elapsed = clock.Elapsed;
        return result;
    }

    private void RestoreQueues(VerifiedBackup backup, IReadOnlyCollection<string> items, string gatewayDn, RestoreOptions options,
        RestoreResult result, IProgress<RestoreProgress>? progress, CancellationToken cancellationToken)
    {
        var list = backup.List.Header;
        var queues = BackupLayout.Queues.Where(q => items.Contains(q.Item)).ToList();
        var store = server.Store;
        var mailbox = store.FindMailbox(gatewayDn);
        result.TransferBefore = mailbox is null ? null : store.GetTransferEnabled(gatewayDn);
        if (queues.Count == 0 && !options.Resume)
        {
            result.TransferAfter = result.TransferBefore;
            return;
        }
        var total = queues.Sum(backup.List.MessageCountOf);
        var bytesTotal = queues.Sum(backup.List.BytesOf);

        if (options.DryRun)
        {
            foreach (var q in queues)
            {
                var entry = list.Queues.Single(e => e.Item == q.Item);
                if (entry.Absent) continue;
                var folder = mailbox?.OpenFolder(q.StoreFolder);
                // Search keys seen earlier in the backup, as fingerprints (8 bytes a message, not a string): the real
                // run skips such a message because the store already holds the first.
                var seen = new FingerprintSet(withValues: false);
                int added = 0, skipped = 0;
                foreach (var m in backup.MessagesOf(q))
                {
                    if (!seen.Add(FingerprintSet.Of(m.SearchKeyHex, StringComparison.Ordinal)) || (folder is not null && folder.ContainsSearchKey(m.SearchKey))) skipped++;
                    else added++;
                }
                result.Queues.Add(new QueueRestoreResult(q.Item, q.StoreFolder, added, skipped, folder is null));
            }
            result.TransferAfter = options.Resume ? true : result.TransferBefore;
            return;
        }

        mailbox ??= store.CreateGatewayMailbox(gatewayDn, ExchangeDn.CommonName(gatewayDn), []);
        using var session = store.LogonGateway(gatewayDn, options.Program);
        // The store's log is copied into priv.db on another thread while the next batches are written.
        using var checkpoints = store.CheckpointInBackground(BatchBytes);
        var done = 0;
        long bytesDone = 0;
        foreach (var q in queues)
        {
            var entry = list.Queues.Single(e => e.Item == q.Item);
            if (entry.Absent) continue;
            var folder = session.OpenQueue(q.StoreFolder);
            var created = folder is null;
            folder ??= session.Mailbox.CreateFolder(q.StoreFolder);
            int added = 0, skipped = 0;
            // The entries stream from the verified list, a checked chunk at a time: nothing is held per message. The
            // files are read and parsed on other threads, a few messages ahead, while this one writes the store; a
            // message already in the queue (a re-run) is not read at all.
            var prepared = OrderedWork.Map(
                backup.MessagesOf(q).Select(m => (Entry: m, Present: folder.ContainsSearchKey(m.SearchKey))),
                m => PrepareMessage(backup, m.Entry, m.Present), OrderedWork.DefaultWorkers, MessagesAhead, cancellationToken);
            using var messages = prepared.GetEnumerator();
            var more = messages.MoveNext();
            while (more)
            {
                // One store transaction per batch: one flush to disk for many messages. A batch is added entirely or
                // not at all, and the search-key check inside it keeps a re-run (after a kill) from adding twice (or
                // a backup listing one message twice from adding it twice).
                int batchAdded = 0, batchSkipped = 0;
                store.InTransaction(() =>
                {
                    long batchBytes = 0;
                    for (var n = 0; more && n < BatchSize && batchBytes < BatchBytes; n++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var m = messages.Current;
                        if (m.Message is null || folder.ContainsSearchKey(m.Entry.SearchKey)) batchSkipped++;
                        else
                        {
                            folder.AddMessage(m.Message.Get());
                            batchAdded++;
                            batchBytes += m.Size;
                        }
                        done++;
                        bytesDone += m.Size;
                        progress?.Report(new RestoreProgress(RestorePhase.Queues, done, total, bytesDone, bytesTotal, m.Entry.Path));
                        more = messages.MoveNext();
                    }
                });
                added += batchAdded;
                skipped += batchSkipped;
            }
            result.Queues.Add(new QueueRestoreResult(q.Item, q.StoreFolder, added, skipped, created));
        }
        if (options.Resume) session.TransferEnabled = true;
        result.TransferAfter = session.TransferEnabled;
    }

    /// <summary>Messages added per store transaction at most.</summary>
    internal const int BatchSize = 500;

    /// <summary>A batch is committed early once its files reach this many bytes, so the write-ahead log stays bounded.</summary>
    internal const long BatchBytes = 64L << 20;

    /// <summary>Messages read ahead of the one being added, at most (each holds its properties; attachment data stay in the file).</summary>
    private const int MessagesAhead = 16;

    /// <summary>
    /// A message file read for restoring: its size (for progress and the batch limit) and the message, or what went
    /// wrong reading it — which matters only if the message is then added (a message already in the queue is
    /// skipped whatever its file holds now). Null <see cref="Message"/> when the queue already had it.
    /// </summary>
    private sealed record PreparedMessage(PackedMessage Entry, long Size, Outcome<Imc.Formats.Mapi.MapiMessage>? Message);

    private static PreparedMessage PrepareMessage(VerifiedBackup backup, PackedMessage entry, bool present)
    {
        var file = new FileInfo(backup.FullPath(entry.Path));
        var size = file.Exists ? file.Length : 0;
        return new PreparedMessage(entry, size, present ? null : Outcome.Of(() => ReadMessage(backup, entry)));
    }

    private static Imc.Formats.Mapi.MapiMessage ReadMessage(VerifiedBackup backup, PackedMessage entry)
    {
        // Read again from the file (verified moments ago); attachment data stream from it into the store.
        try
        {
            var message = TnefReader.ReadFile(backup.FullPath(entry.Path));
            if (message.SearchKey is not { } key || !key.AsSpan().SequenceEqual(entry.SearchKey))
                throw new BackupFormatException(entry.Path, "the file changed after it was verified (its PR_SEARCH_KEY differs)");
            return message;
        }
        catch (TnefException e)
        {
            throw new BackupFormatException(entry.Path, "the file changed after it was verified: " + e.Message, e);
        }
    }

    private static IReadOnlyCollection<string> SelectItems(Imcfls list, IReadOnlyCollection<string>? requested)
    {
        if (requested is null) return list.Items;
        var result = new List<string>();
        foreach (var name in requested)
        {
            var canonical = BackupLayout.CanonicalItem(name) ?? throw new ArgumentException($"'{name}' is not an item.", nameof(requested));
            if (!list.HasItem(canonical))
                throw new CommandException(
                    $"The backup has no {canonical} (it holds {(list.Items.Count == 0 ? "nothing" : string.Join(", ", list.Items))}).",
                    ExitCodes.InvalidInput);
            if (!result.Contains(canonical)) result.Add(canonical);
        }
        return result;
    }

    /// <summary>The backup's identity: the packing list's names, CommonName from the gateway DN, RootDir and account from Imcsvc.reg.</summary>
    private static IdentityNames SourceNames(VerifiedBackup backup)
    {
        var list = backup.List.Header;
        string? rootDir = null, account = null;
        foreach (var key in backup.ServiceKeys ?? [])
        {
            if (string.Equals(key.Path, ImcIdentity.ParametersKeyPath, StringComparison.OrdinalIgnoreCase))
                rootDir = key.Values.FirstOrDefault(v => string.Equals(v.Name, "RootDir", StringComparison.OrdinalIgnoreCase))?.AsString();
            if (string.Equals(key.Path, ImcIdentity.ServiceKeyPath, StringComparison.OrdinalIgnoreCase))
                account = key.Values.FirstOrDefault(v => string.Equals(v.Name, "ObjectName", StringComparison.OrdinalIgnoreCase))?.AsString();
        }
        string commonName;
        try
        {
            commonName = ExchangeDn.CommonName(list.Gateway);
        }
        catch (ArgumentException e)
        {
            throw new BackupFormatException(BackupLayout.PackingListName, $"Gateway={list.Gateway} is not a directory DN", e);
        }
        return new IdentityNames(list.Server, list.Organization, list.Site, commonName, account, rootDir);
    }

    /// <summary>The target's current IMC registry: the service tree and the service account's IMC profiles.</summary>
    private List<RegKey> ExistingRegistry(ImcIdentity? identity)
    {
        var keys = new List<RegKey>(server.Registry.ExportTree(ImcIdentity.ServiceKeyPath));
        foreach (var profile in identity?.ProfileKeyPaths ?? []) keys.AddRange(server.Registry.ExportTree(profile));
        return keys;
    }

    private static bool SameRegistry(List<RegKey> plan, List<RegKey> existing, List<string> differences)
    {
        if (plan.Any(k => k.Delete || k.DeletedValues.Count > 0)) return false;
        var want = Index(plan);
        var have = Index(existing);
        foreach (var (path, values) in want)
        {
            if (!have.TryGetValue(path, out var current)) { differences.Add($"registry key {path} is not on the target"); return false; }
            if (!SameValues(values, current)) { differences.Add($"registry key {path} has other values"); return false; }
        }
        foreach (var path in have.Keys)
            if (!want.ContainsKey(path)) { differences.Add($"registry key {path} is not in the backup"); return false; }
        return true;

        static Dictionary<string, List<RegValue>> Index(List<RegKey> keys)
        {
            var d = new Dictionary<string, List<RegValue>>(StringComparer.OrdinalIgnoreCase);
            foreach (var k in keys)
            {
                if (!d.TryGetValue(k.Path, out var list)) d[k.Path] = list = [];
                list.AddRange(k.Values);
            }
            return d;
        }

        static bool SameValues(List<RegValue> a, List<RegValue> b) =>
            a.Count == b.Count && a.All(v => b.Any(w => string.Equals(v.Name, w.Name, StringComparison.OrdinalIgnoreCase) && v.Type == w.Type && v.Data.AsSpan().SequenceEqual(w.Data)));
    }

    private static bool SameObject(DirectoryObject plan, DirectoryObject existing, List<string> differences)
    {
        if (!string.Equals(plan.ObjectClass, existing.ObjectClass, StringComparison.OrdinalIgnoreCase) || plan.Attributes.Count != existing.Attributes.Count
            || !plan.Attributes.All(a => existing.Get(a.Name) is { } b && a.Equals(b)))
        {
            differences.Add($"the directory object {existing.DistinguishedName} has other attributes");
            return false;
        }
        return true;
    }
}
