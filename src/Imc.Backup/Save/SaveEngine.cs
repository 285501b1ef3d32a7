using System.Security.Cryptography;
using Imc.Backup.CommandLine;
using Imc.Backup.Directory;
using Imc.Backup.PackingList;
using Imc.Backup.Threading;
using Imc.Formats.Csv;
using Imc.Formats.Reg;
using Imc.Formats.Tnef;
using Imc.Server;
using Imc.Server.Gateway;
using Imc.Server.Store;

namespace Imc.Backup.Save;

/// <summary>
/// Imcsave's job (DESIGN.md §2): find the IMC, create Backup (never over an existing one), log on as the gateway,
/// turn routing to it off, write Imcsvc.reg, Imcpro.reg, Imcobj.csv and every message of the selected queues as a
/// TNEF file, make it all durable, write Imcfls last and atomically; then, with -delete and a confirmation, delete
/// exactly the saved messages that are verifiably safe on disk and unchanged in the store (promise 1).
/// </summary>
public sealed class SaveEngine(ExchangeServer server)
{
    /// <summary>The version Imcfls names (<c>imcsave 1.0.0</c>).</summary>
    public static string Version { get; } = typeof(SaveEngine).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";

    /// <summary>The Backup folder's name.</summary>
    public const string BackupFolderName = "Backup";

    private const int ReadBufferSize = 1024 * 1024;

    public SaveResult Run(SaveOptions options, IProgress<SaveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var started = DateTimeOffset.UtcNow;
        var identity = ImcIdentity.Read(server.Registry);
        var backup = BackupPathFor(identity, options.OutputDirectory);
        if (System.IO.Directory.Exists(backup) || File.Exists(backup))
            throw new CommandException($"{backup} already exists; imcsave never writes into an existing backup.",
                ExitCodes.OutputExists, "Move it away (or delete it), or choose another folder with -output SaveDir.");

        var items = options.EffectiveItems;
        var queues = items.Where(i => i.IsQueue).ToList();

        // The gateway logon comes first: when another program holds it, nothing has been created or changed yet.
        using var session = queues.Count > 0 ? server.Store.LogonGateway(identity.GatewayDn, options.LogonProgram) : null;

        if (!PrivateFileSystem.TryCreateNewDirectory(backup))
            throw new CommandException($"{backup} already exists; imcsave never writes into an existing backup.",
                ExitCodes.OutputExists, "Another imcsave may have created it just now. Move it away, or choose another folder with -output SaveDir.");

        using var run = new SaveRun(server, identity, options, backup, progress, cancellationToken)
        {
            Result = new SaveResult { BackupPath = backup, GatewayDn = identity.GatewayDn, Started = started },
        };
        run.Result.DeleteRequested = options.Delete;

        if (session is not null)
        {
            // Before any message is copied: mail submitted for the Internet from now on is held by the MTA.
            run.Result.RoutingTurnedOff = session.TransferEnabled;
            session.TransferEnabled = false;
            run.Result.TransferEnabled = false;
        }
        else
        {
            run.Result.TransferEnabled = server.Store.GetTransferEnabled(identity.GatewayDn);
        }

        try
        {
            if (items.Contains(ImcItem.Registry)) run.SaveRegistry();
            if (items.Contains(ImcItem.Directory)) run.SaveDirectory();
            foreach (var item in queues) run.SaveQueue(session!, item);
            run.FinishFiles();
            run.MakeDurable();
            run.WritePackingList(items, replace: false);

            if (options.Delete)
            {
                // Nothing saved means nothing to delete and nothing to confirm.
                var confirmed = run.Result.MessagesSaved == 0 || (options.ConfirmDelete?.Invoke(run.Result) ?? false);
                if (confirmed)
                {
                    run.DeleteSaved();
                    run.Result.DeleteRan = true;
                    run.WritePackingList(items, replace: true);
                }
            }
        }
        catch (IOException e) when (CommandRunner.IsDiskFull(e))
        {
            throw new CommandException($"No space left on device while writing {run.CurrentFile ?? backup}.", ExitCodes.IoError,
                $"The backup in {backup} is incomplete (it has no Imcfls) and nothing was deleted. Free some space, remove it and run imcsave again."
                + RoutingHint(run.Result), e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && run.CurrentFile is not null)
        {
            throw new CommandException($"Could not write {run.CurrentFile}: {e.Message}", ExitCodes.IoError,
                $"The backup in {backup} is incomplete (it has no Imcfls) and nothing was deleted." + RoutingHint(run.Result), e);
        }
        return run.Result;
    }

    /// <summary><c>RootDir/Backup</c>, or <c>SaveDir/Backup</c> with -output (SaveDir must exist).</summary>
    private static string BackupPathFor(ImcIdentity identity, string? outputDirectory)
    {
        if (outputDirectory is null) return Path.Combine(Path.GetFullPath(identity.RootDir), BackupFolderName);
        var saveDir = Path.GetFullPath(outputDirectory);
        if (!System.IO.Directory.Exists(saveDir))
            throw new CommandException($"The output folder {saveDir} does not exist.", ExitCodes.IoError,
                "Create it first, or give -output an existing folder (Backup is created inside it).");
        return Path.Combine(saveDir, BackupFolderName);
    }

    private static string RoutingHint(SaveResult result) =>
        result.RoutingTurnedOff ? " Routing to the IMC is off: 'imcadmin routing on' turns it back on." : "";

    /// <summary>A message file handed to the writer thread, until its size and SHA-256 come back to be spooled.</summary>
    private readonly record struct PendingMessage(QueueLayout Queue, int Number, long Id, long Version, byte[] SearchKey, long Size);

    /// <summary>The state of one run.</summary>
    private sealed class SaveRun(ExchangeServer server, ImcIdentity identity, SaveOptions options, string backup, IProgress<SaveProgress>? progress, CancellationToken cancellationToken) : IDisposable
    {
        /// <summary>Message files are created, written and hashed on a second thread (<see cref="FileWritePipeline"/>).</summary>
        private FileWritePipeline? _pipeline;

        /// <summary>
        /// Message files the writer thread has not reported yet, oldest first: only those in flight (the pipeline
        /// holds a bounded number), as each one reported goes to <see cref="_spool"/>.
        /// </summary>
        private readonly Queue<PendingMessage> _pending = new();

        /// <summary>Every saved message's entries, on disk (<see cref="PackingListSpool"/>); null until a queue folder is saved.</summary>
        private PackingListSpool? _spool;

        public void Dispose()
        {
            _pipeline?.Dispose();
            _spool?.Dispose();
        }

        public required SaveResult Result { get; init; }

        /// <summary>The registry and directory files (the message files are in <see cref="_spool"/>).</summary>
        private readonly List<PackedFile> _files = [];
        private readonly List<PackedQueue> _queues = [];
        private readonly List<string> _folders = [backup];

        /// <summary>The store folder of each saved queue, for -delete.</summary>
        private readonly Dictionary<QueueLayout, Folder> _storeFolders = [];

        private long _messageBytes;

        /// <summary>The file being written, for error messages.</summary>
        public string? CurrentFile { get; private set; }

        public void SaveRegistry()
        {
            progress?.Report(new SaveProgress(SaveStage.Registry, ImcItem.Registry.Name, 0, 2, 0));
            var service = server.Registry.ExportTree(ImcIdentity.ServiceKeyPath);
            var svc = WriteFile(BackupLayout.ServiceRegName, s => RegWriter.Write(s, service));
            var profiles = identity.ProfileKeyPaths.SelectMany(server.Registry.ExportTree).ToList();
            var pro = WriteFile(BackupLayout.ProfileRegName, s => RegWriter.Write(s, profiles));
            Result.Items.Add(new SavedItem(ImcItem.Registry, null, svc.Size + pro.Size, 2));
            progress?.Report(new SaveProgress(SaveStage.Registry, ImcItem.Registry.Name, 2, 2, svc.Size + pro.Size));
        }

        public void SaveDirectory()
        {
            progress?.Report(new SaveProgress(SaveStage.Directory, ImcItem.Directory.Name, 0, 1, 0));
            var gateway = server.Directory.Get(identity.GatewayDn)
                ?? throw new ServerException($"The gateway's directory object {identity.GatewayDn} does not exist in {server.Layout.DirectoryDb}.",
                    "The registry names a gateway the directory does not have; check CommonName and SiteDN under " + ImcIdentity.ParametersKeyPath + ".");
            var record = GatewayObjectCsv.ToRecord(gateway);
            var csv = WriteFile(BackupLayout.DirectoryCsvName, s => DirectoryCsvWriter.Write(s, [record]));
            Result.Items.Add(new SavedItem(ImcItem.Directory, null, csv.Size, 1));
            progress?.Report(new SaveProgress(SaveStage.Directory, ImcItem.Directory.Name, 1, 1, csv.Size));
        }

        public void SaveQueue(GatewaySession session, ImcItem item)
        {
            var queue = BackupLayout.QueueByItem(item.Name)!;
            var folder = session.OpenQueue(queue.StoreFolder);
            if (folder is null)
            {
                _queues.Add(new PackedQueue(queue.Item, null));
                Result.Items.Add(new SavedItem(item, null, 0, 0));
                progress?.Report(new SaveProgress(SaveStage.Queue, item.Name, 0, 0, 0) { Folder = queue.StoreFolder, Absent = true });
                return;
            }
            var sub = Path.Combine(backup, queue.BackupFolder);
            PrivateFileSystem.CreatePrivateDirectory(sub);
            _folders.Add(sub);
            _storeFolders[queue] = folder;
            if (_spool is null)
            {
                CurrentFile = Path.Combine(backup, PackingListSpool.FileName);
                _spool = new PackingListSpool(backup);
                CurrentFile = null;
            }

            // The queue as it is now: what arrives later is not part of this backup (and is never deleted). Only ids
            // and versions: 16 bytes a message.
            var snapshot = folder.ListMessageVersions();
            var total = snapshot.Count;
            progress?.Report(new SaveProgress(SaveStage.Queue, item.Name, 0, total, 0) { Folder = queue.StoreFolder });
            long bytes = 0;
            var saved = 0;
            for (var i = 0; i < snapshot.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var info = snapshot[i];
                Imc.Formats.Mapi.MapiMessage message;
                try
                {
                    message = folder.ReadMessage(info.Id);
                }
                catch (ServerException) when (!StillThere(folder, info.Id))
                {
                    // Removed from the queue since the snapshot (by someone else): nothing to save.
                    total--;
                    continue;
                }
                saved++;
                var path = BackupLayout.MessagePath(queue, saved);
                var size = WriteMessageFile(path, message);
                bytes += size;
                // The key listed is the file's own PR_SEARCH_KEY (the store gives every message one): verification
                // checks the TNEF's key against it. An empty one is refused when Imcfls is written.
                _pending.Enqueue(new PendingMessage(queue, saved, info.Id, info.Version, message.SearchKey ?? [], size));
                SpoolWritten();
                progress?.Report(new SaveProgress(SaveStage.Queue, item.Name, saved, total, bytes) { Folder = queue.StoreFolder, File = path });
            }
            _queues.Add(new PackedQueue(queue.Item, saved));
            Result.Items.Add(new SavedItem(item, saved, bytes, saved));
            _messageBytes += bytes;
        }

        private static bool StillThere(Folder folder, long id) => folder.ListMessageVersions().Any(m => m.Id == id);

        /// <summary>Writes one file of the backup (0600, never over an existing one), hashing it on the way.</summary>
        private PackedFile WriteFile(string relativePath, Action<Stream> write)
        {
            var full = Path.Combine(backup, relativePath.Replace('/', Path.DirectorySeparatorChar));
            CurrentFile = full;
            PackedFile packed;
            using (var stream = PrivateFileSystem.CreatePrivateFile(full))
            {
                var hashing = new HashingWriteStream(stream);
                using (var buffered = new BufferedStream(hashing, 64 * 1024))
                {
                    write(buffered);
                    buffered.Flush();
                    packed = new PackedFile(relativePath, hashing.BytesWritten, hashing.FinishHash());
                }
                // Linux makes every file durable at once before Imcfls (MakeDurable); elsewhere each file now.
                if (!PrivateFileSystem.BatchSyncSupported) stream.Flush(flushToDisk: true);
            }
            _files.Add(packed);
            CurrentFile = null;
            return packed;
        }

        /// <summary>Hands one message file to the writer thread; returns its size (known here, before it is written).</summary>
        private long WriteMessageFile(string relativePath, Imc.Formats.Mapi.MapiMessage message)
        {
            var full = Path.Combine(backup, relativePath.Replace('/', Path.DirectorySeparatorChar));
            CurrentFile = full;
            var pipeline = _pipeline ??= new FileWritePipeline(syncEachFile: !PrivateFileSystem.BatchSyncSupported);
            long size;
            try
            {
                using var feed = pipeline.Begin(full);
                TnefWriter.Write(message, feed);
                size = feed.Length;
            }
            catch when (pipeline.FailedFile is not null)
            {
                CurrentFile = pipeline.FailedFile; // the writer thread's failure, maybe on an earlier file
                throw;
            }
            CurrentFile = null;
            return size;
        }

        /// <summary>Spools each message file the writer thread has finished since the last call, with its size and SHA-256.</summary>
        private void SpoolWritten()
        {
            while (_pipeline!.TryTakeWritten(out var size, out var sha256))
            {
                var m = _pending.Dequeue();
                if (size != m.Size)
                    throw new IOException($"{BackupLayout.MessagePath(m.Queue, m.Number)}: {size} bytes were written but {m.Size} were encoded.");
                CurrentFile = _spool!.Path;
                _spool.Append(m.Queue, m.Number, m.Id, m.Version, size, sha256, m.SearchKey);
                CurrentFile = null;
            }
        }

        /// <summary>Waits for the writer thread to finish every message file and spools the last ones.</summary>
        public void FinishFiles()
        {
            if (_pipeline is null) return;
            try
            {
                _pipeline.Complete();
            }
            catch when (_pipeline.FailedFile is not null)
            {
                CurrentFile = _pipeline.FailedFile;
                throw;
            }
            SpoolWritten();
            if (_pending.TryPeek(out var lost))
                throw new InvalidOperationException($"{BackupLayout.MessagePath(lost.Queue, lost.Number)} was not written.");
        }

        /// <summary>The [Files] entries: registry and directory files first, then every message file in order.</summary>
        private IEnumerable<PackedFile> AllFiles() =>
            _files.Concat(Spooled().Select(m => new PackedFile(m.Path, m.Size, Convert.ToHexStringLower(m.Sha256))));

        private IEnumerable<SpooledMessage> Spooled() => _spool?.Read() ?? [];

        /// <summary>Every file and folder of the backup on disk before Imcfls says the backup is complete.</summary>
        public void MakeDurable()
        {
            progress?.Report(new SaveProgress(SaveStage.Finishing, BackupLayout.PackingListName, 0, 1, 0));
            if (PrivateFileSystem.BatchSyncSupported)
                PrivateFileSystem.SyncFileSystem(backup, AllFiles().Select(f => Path.Combine(backup, f.Path.Replace('/', Path.DirectorySeparatorChar))));
            foreach (var folder in _folders) AtomicFile.FlushDirectory(folder);
            AtomicFile.FlushDirectory(Path.GetDirectoryName(backup)!);
        }

        public void WritePackingList(IReadOnlyList<ImcItem> items, bool replace)
        {
            Result.Finished = DateTimeOffset.UtcNow;
            var list = new Imcfls
            {
                Tool = options.ToolName,
                Server = identity.HomeDsa,
                Organization = identity.Organization,
                Site = identity.Site,
                Gateway = identity.GatewayDn,
                Started = Result.Started,
                Finished = Result.Finished,
                TransferEnabled = Result.TransferEnabled,
                Delete = Result.DeleteRan,
                Deleted = Result.Deleted,
                Kept = Result.Kept.Count,
            };
            list.Items.AddRange(items.Select(i => i.Name));
            list.Queues.AddRange(_queues);
            var messages = Spooled().Select(m => new PackedMessage(m.Path, m.Queue.StoreFolder, m.SearchKey));
            var path = Path.Combine(backup, BackupLayout.PackingListName);
            if (_spool is not null)
            {
                // No complete backup may hold the spool: its name goes (durably) before Imcfls can appear.
                CurrentFile = _spool.Path;
                _spool.Unlink();
            }
            CurrentFile = path;
            AtomicFile.Write(path, s => PackingListWriter.Write(list, AllFiles(), messages, s), overwrite: replace);
            CurrentFile = null;
            progress?.Report(new SaveProgress(SaveStage.Finishing, BackupLayout.PackingListName, 1, 1, 0));
            Result.FilesWritten = _files.Count + (_spool?.Count ?? 0) + 1;
            Result.BytesWritten = _files.Sum(f => f.Size) + _messageBytes;
        }

        /// <summary>
        /// Deletes each saved message only when its file reads back with the recorded SHA-256 and the message is
        /// unchanged in the store since the snapshot; every other one is kept and reported with the reason. The
        /// deletions are committed in batches (<see cref="DeleteBatchSize"/> messages or <see cref="DeleteBatchBytes"/>),
        /// one store transaction — one flush to disk — each: a batch is deleted entirely or not at all, and each
        /// message in it is still checked against its version inside the transaction. The files are read back and
        /// hashed on other threads (several at once: on a server whose cache no longer holds them, they come from the
        /// disk), ahead of the deletions on this one, which take the results in the order the messages were saved.
        /// </summary>
        public void DeleteSaved() =>
            DeleteVerified(OrderedWork.Map(Spooled(), m => (m, ReadBack(m)), OrderedWork.DefaultWorkers, FilesReadAhead, cancellationToken));

        /// <summary>Null when the saved file reads back as it was written; else why not (the message is then kept).</summary>
        private string? ReadBack(SpooledMessage m)
        {
            try
            {
                return VerifyFile(Path.Combine(backup, m.Path.Replace('/', Path.DirectorySeparatorChar)), m.Size, m.Sha256);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return $"the file could not be read back ({e.Message})"; // keep the message, whatever went wrong
            }
        }

        /// <summary>
        /// Saved files read back ahead of the deletions, at most: enough that the readers go on while a batch of
        /// deletions commits (with 64 they waited, and the main thread then waited for them: 0.9 s of a 20,000-message
        /// run). Each holds a spooled entry and its verdict, a few hundred bytes.
        /// </summary>
        private const int FilesReadAhead = 1024;

        /// <summary>Takes the verified messages queue by queue, in the order they were saved.</summary>
        private void DeleteVerified(IEnumerable<(SpooledMessage Message, string? Problem)> readBack)
        {
            using var verified = readBack.GetEnumerator();
            // The store's log is copied into priv.db on another thread while the next batches are deleted.
            using var checkpoints = server.Store.CheckpointInBackground(DeleteBatchLogBytes);
            foreach (var (queueItem, saved) in _queues)
            {
                if (saved is not > 0) continue;
                var count = saved.Value;
                var queue = BackupLayout.QueueByItem(queueItem)!;
                var folder = _storeFolders[queue];
                var item = queue.Item;
                var folderName = queue.StoreFolder;
                progress?.Report(new SaveProgress(SaveStage.Delete, item, 0, count, 0) { Folder = folderName });
                long bytes = 0;
                var batch = new List<SpooledMessage>(DeleteBatchSize);
                long batchBytes = 0;
                for (var done = 1; done <= count; done++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!verified.MoveNext())
                        throw new InvalidOperationException($"Reading the saved files back stopped before the {count} messages of {folderName} were checked.");
                    var (m, problem) = verified.Current;
                    if (m.Queue != queue) throw new InvalidOperationException($"{m.Path} is not the next saved message of {folderName}.");
                    if (problem is not null) Result.Kept.Add(new KeptMessage(m.Path, folderName, problem));
                    else
                    {
                        batch.Add(m);
                        batchBytes += m.Size;
                    }
                    if (batch.Count >= DeleteBatchSize || batchBytes >= DeleteBatchBytes) Commit();
                    bytes += m.Size;
                    progress?.Report(new SaveProgress(SaveStage.Delete, item, done, count, bytes) { Folder = folderName, File = m.Path });
                }
                Commit();

                void Commit()
                {
                    if (batch.Count == 0) return;
                    var deleted = server.Store.InTransaction(() => batch.Select(m => folder.DeleteIfUnchanged(m.Id, m.Version)).ToList());
                    for (var i = 0; i < batch.Count; i++)
                    {
                        if (deleted[i]) Result.Deleted++;
                        else
                            Result.Kept.Add(new KeptMessage(batch[i].Path, folderName,
                                $"the message changed in {folderName} (or left it) after it was saved"));
                    }
                    batch.Clear();
                    batchBytes = 0;
                }
            }
        }

        /// <summary>Messages deleted per store transaction at most.</summary>
        internal const int DeleteBatchSize = 500;

        /// <summary>A delete batch is committed early once its messages' files reach this many bytes.</summary>
        internal const long DeleteBatchBytes = 256L << 20;

        /// <summary>What one delete batch writes to the store's log, about: the pages of the rows and indexes it changes, not the data freed.</summary>
        private const long DeleteBatchLogBytes = 64L << 20;

        /// <summary>Null when the file on disk has the recorded size and SHA-256; else why not. Runs on several threads at once.</summary>
        private static string? VerifyFile(string path, long expectedSize, byte[] expectedSha256)
        {
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(ReadBufferSize);
            try
            {
                var length = new FileInfo(path).Length;
                if (length != expectedSize) return $"the file has {length} bytes; {expectedSize} were written";
                var (_, sha256) = FileDigest.Compute(path, buffer);
                return sha256 == Convert.ToHexStringLower(expectedSha256) ? null : "the file read back does not have the SHA-256 it was written with";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"the file could not be read back ({e.Message})";
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
