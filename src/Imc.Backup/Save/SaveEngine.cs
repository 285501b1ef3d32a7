using System.Collections.Concurrent;
using System.Security.Cryptography;
using Imc.Backup.CommandLine;
using Imc.Backup.Directory;
using Imc.Backup.PackingList;
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
                var confirmed = run.Messages.Count == 0 || (options.ConfirmDelete?.Invoke(run.Result) ?? false);
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

    /// <summary>A saved message: where it is on disk and in the store, and the hash delete verifies.</summary>
    private sealed record SavedMessage(string Path, QueueLayout Queue, Folder Folder, long Id, long Version, byte[] SearchKey, PackedFile File);

    /// <summary>The state of one run.</summary>
    private sealed class SaveRun(ExchangeServer server, ImcIdentity identity, SaveOptions options, string backup, IProgress<SaveProgress>? progress, CancellationToken cancellationToken) : IDisposable
    {
        /// <summary>Message files are created, written and hashed on a second thread (<see cref="FileWritePipeline"/>).</summary>
        private FileWritePipeline? _pipeline;

        /// <summary>Message files whose size and SHA-256 the pipeline reports at the end: (index in Files, index in Messages, pipeline index).</summary>
        private readonly List<(int File, int Message, int Pipeline)> _pending = [];

        public void Dispose() => _pipeline?.Dispose();

        public required SaveResult Result { get; init; }
        public List<PackedFile> Files { get; } = [];
        public List<SavedMessage> Messages { get; } = [];
        public List<PackedQueue> Queues { get; } = [];
        private readonly List<string> _folders = [backup];

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
                Queues.Add(new PackedQueue(queue.Item, null));
                Result.Items.Add(new SavedItem(item, null, 0, 0));
                progress?.Report(new SaveProgress(SaveStage.Queue, item.Name, 0, 0, 0) { Folder = queue.StoreFolder, Absent = true });
                return;
            }
            var sub = Path.Combine(backup, queue.BackupFolder);
            PrivateFileSystem.CreatePrivateDirectory(sub);
            _folders.Add(sub);

            // The queue as it is now: what arrives later is not part of this backup (and is never deleted).
            var snapshot = folder.ListMessages();
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
                var path = BackupLayout.MessagePath(queue, saved + 1);
                var file = WriteMessageFile(path, message);
                saved++;
                bytes += file.Size;
                var searchKey = message.SearchKey is { Length: > 0 } key ? key : info.SearchKey;
                _pending[^1] = _pending[^1] with { Message = Messages.Count };
                Messages.Add(new SavedMessage(path, queue, folder, info.Id, info.Version, searchKey, file));
                progress?.Report(new SaveProgress(SaveStage.Queue, item.Name, saved, total, bytes) { Folder = queue.StoreFolder, File = path });
            }
            Queues.Add(new PackedQueue(queue.Item, saved));
            Result.Items.Add(new SavedItem(item, saved, bytes, saved));
        }

        private static bool StillThere(Folder folder, long id) => folder.ListMessages().Any(m => m.Id == id);

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
            Files.Add(packed);
            CurrentFile = null;
            return packed;
        }

        /// <summary>
        /// Hands one message file to the writer thread; returns its entry with the size (known here) and, until
        /// <see cref="FinishFiles"/>, an empty SHA-256.
        /// </summary>
        private PackedFile WriteMessageFile(string relativePath, Imc.Formats.Mapi.MapiMessage message)
        {
            var full = Path.Combine(backup, relativePath.Replace('/', Path.DirectorySeparatorChar));
            CurrentFile = full;
            var pipeline = _pipeline ??= new FileWritePipeline(syncEachFile: !PrivateFileSystem.BatchSyncSupported);
            long size;
            int index;
            try
            {
                using var feed = pipeline.Begin(full, out index);
                TnefWriter.Write(message, feed);
                size = feed.Length;
            }
            catch when (pipeline.FailedFile is not null)
            {
                CurrentFile = pipeline.FailedFile; // the writer thread's failure, maybe on an earlier file
                throw;
            }
            var packed = new PackedFile(relativePath, size, "");
            Files.Add(packed);
            _pending.Add((Files.Count - 1, -1, index));
            CurrentFile = null;
            return packed;
        }

        /// <summary>Waits for the writer thread to finish every message file and records their sizes and SHA-256.</summary>
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
            foreach (var (file, message, index) in _pending)
            {
                var (size, sha) = _pipeline.Result(index);
                if (size != Files[file].Size)
                    throw new IOException($"{Files[file].Path}: {size} bytes were written but {Files[file].Size} were encoded.");
                var packed = Files[file] with { Sha256 = sha };
                Files[file] = packed;
                if (message >= 0) Messages[message] = Messages[message] with { File = packed };
            }
            _pending.Clear();
        }

        /// <summary>Every file and folder of the backup on disk before Imcfls says the backup is complete.</summary>
        public void MakeDurable()
        {
            progress?.Report(new SaveProgress(SaveStage.Finishing, BackupLayout.PackingListName, 0, 1, 0));
            if (PrivateFileSystem.BatchSyncSupported)
                PrivateFileSystem.SyncFileSystem(backup, Files.Select(f => Path.Combine(backup, f.Path.Replace('/', Path.DirectorySeparatorChar))));
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
            list.Queues.AddRange(Queues);
            list.Files.AddRange(Files);
            list.Messages.AddRange(Messages.Select(m => new PackedMessage(m.Path, m.Queue.StoreFolder, m.SearchKey)));
            var path = Path.Combine(backup, BackupLayout.PackingListName);
            CurrentFile = path;
            AtomicFile.Write(path, s => PackingListWriter.Write(list, s), overwrite: replace);
            CurrentFile = null;
            progress?.Report(new SaveProgress(SaveStage.Finishing, BackupLayout.PackingListName, 1, 1, 0));
            Result.FilesWritten = Files.Count + 1;
            Result.BytesWritten = Files.Sum(f => f.Size);
        }

        /// <summary>
        /// Deletes each saved message only when its file reads back with the recorded SHA-256 and the message is
        /// unchanged in the store since the snapshot; every other one is kept and reported with the reason. The
        /// deletions are committed in batches (<see cref="DeleteBatchSize"/> messages or <see cref="DeleteBatchBytes"/>),
        /// one store transaction — one flush to disk — each: a batch is deleted entirely or not at all, and each
        /// message in it is still checked against its version inside the transaction. Reading the files back and
        /// hashing them runs on a second thread, ahead of the deletions on this one.
        /// </summary>
        public void DeleteSaved()
        {
            var groups = Messages.GroupBy(m => m.Queue).ToList();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var verified = new BlockingCollection<string?>(boundedCapacity: 1024);
            var verifier = Task.Run(() =>
            {
                try
                {
                    foreach (var m in groups.SelectMany(g => g))
                    {
                        string? problem;
                        try
                        {
                            problem = VerifyFile(Path.Combine(backup, m.Path.Replace('/', Path.DirectorySeparatorChar)), m.File);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            problem = $"the file could not be read back ({e.Message})"; // keep the message, whatever went wrong
                        }
                        verified.Add(problem, stop.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                    // The deleting side stopped (cancelled or failed): nothing more to verify.
                }
                finally
                {
                    verified.CompleteAdding();
                }
            }, CancellationToken.None);
            try
            {
                DeleteVerified(groups, verified);
            }
            finally
            {
                stop.Cancel();
                verifier.Wait(CancellationToken.None);
            }
        }

        private void DeleteVerified(List<IGrouping<QueueLayout, SavedMessage>> groups, BlockingCollection<string?> verified)
        {
            foreach (var group in groups)
            {
                var list = group.ToList();
                var item = group.Key.Item;
                var folderName = group.Key.StoreFolder;
                progress?.Report(new SaveProgress(SaveStage.Delete, item, 0, list.Count, 0) { Folder = folderName });
                var done = 0;
                long bytes = 0;
                var batch = new List<SavedMessage>(DeleteBatchSize);
                long batchBytes = 0;
                foreach (var m in list)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var problem = verified.Take(cancellationToken);
                    if (problem is not null) Result.Kept.Add(new KeptMessage(m.Path, folderName, problem));
                    else
                    {
                        batch.Add(m);
                        batchBytes += m.File.Size;
                    }
                    if (batch.Count >= DeleteBatchSize || batchBytes >= DeleteBatchBytes) Commit();
                    done++;
                    bytes += m.File.Size;
                    progress?.Report(new SaveProgress(SaveStage.Delete, item, done, list.Count, bytes) { Folder = folderName, File = m.Path });
                }
                Commit();

                void Commit()
                {
                    if (batch.Count == 0) return;
                    var deleted = server.Store.InTransaction(() => batch.Select(m => m.Folder.DeleteIfUnchanged(m.Id, m.Version)).ToList());
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

        private byte[]? _verifyBuffer;

        /// <summary>Null when the file on disk has the recorded size and SHA-256; else why not. One reused buffer for all files.</summary>
        private string? VerifyFile(string path, PackedFile expected)
        {
            try
            {
                var length = new FileInfo(path).Length;
                if (length != expected.Size) return $"the file has {length} bytes; {expected.Size} were written";
                var (_, sha256) = FileDigest.Compute(path, _verifyBuffer ??= new byte[ReadBufferSize]);
                return sha256 == expected.Sha256 ? null : "the file read back does not have the SHA-256 it was written with";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"the file could not be read back ({e.Message})";
            }
        }
    }
}
