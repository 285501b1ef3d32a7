using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Imc.Backup.Threading;
using Imc.Formats.Mapi;

namespace Imc.Backup.Save;

/// <summary>
/// Writes the message files of a backup on a second thread: the caller reads messages from the store and encodes
/// TNEF while this thread creates each file (0600, never over an existing one), writes it and computes its SHA-256.
/// On two cores the store reading and encoding overlap the hashing and the file system's work (file creation and
/// page-cache copies), which are about half of a save. At most <see cref="MaxChunksInFlight"/> pieces of
/// <see cref="ChunkSize"/> bytes are queued, so memory stays bounded whatever the message sizes; each file's size
/// and SHA-256 wait for the caller's <see cref="TryTakeWritten"/>, so they stay bounded too when the caller takes them
/// as it goes (imcsave spools them), whatever the number of files.
/// <para>
/// The first failure (disk full, permission) stops all further writing; the caller sees it, as the original
/// exception, at its next <see cref="Begin"/>/<see cref="Stream.Write(byte[], int, int)"/> or at
/// <see cref="Complete"/>, with <see cref="FailedFile"/> naming the file.
/// </para>
/// </summary>
internal sealed class FileWritePipeline : IDisposable
{
    public const int ChunkSize = 256 * 1024;
    public const int MaxChunksInFlight = 16;

    private readonly BoundedQueue<Item> _queue = new(MaxChunksInFlight);
    private readonly Thread _worker;
    private readonly bool _syncEachFile;
    private readonly ConcurrentQueue<(long Size, byte[] Sha256)> _written = new();
    private ExceptionDispatchInfo? _failure;
    private volatile bool _failed;
    private bool _completed;

    /// <param name="syncEachFile">fsync each file as it is closed (where one syncfs for all of them is not available).</param>
    public FileWritePipeline(bool syncEachFile)
    {
        _syncEachFile = syncEachFile;
        _worker = new Thread(Run) { IsBackground = true, Name = "imcsave file writer" };
        _worker.Start();
    }

    /// <summary>The file whose writing failed, when one did.</summary>
    public string? FailedFile { get; private set; }

    /// <summary>
    /// Starts the next file at <paramref name="path"/>; returns the stream to write its bytes to. Disposing the
    /// stream ends the file (the caller does not wait for it to be written).
    /// </summary>
    public Stream Begin(string path)
    {
        Post(new Item(ItemKind.Open, path, null, 0));
        return new FileFeed(this);
    }

    /// <summary>
    /// The size and SHA-256 of the oldest file written and closed that was not taken yet: files come out in the
    /// order they were begun. False when the writer thread has not finished the next one (yet).
    /// </summary>
    public bool TryTakeWritten(out long size, out byte[] sha256)
    {
        var taken = _written.TryDequeue(out var result);
        (size, sha256) = result;
        return taken;
    }

    /// <summary>Waits until every file is written and closed; rethrows the first failure.</summary>
    public void Complete()
    {
        if (!_completed)
        {
            _completed = true;
            _queue.CompleteAdding();
            _worker.Join();
        }
        ThrowIfFailed();
    }

    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _queue.CompleteAdding();
            _worker.Join();
        }
    }

    private void ThrowIfFailed()
    {
        if (_failed) _failure!.Throw();
    }

    private void Post(Item item)
    {
        ThrowIfFailed();
        _queue.Add(item);
    }

    private void Run()
    {
        FileStream? file = null;
        IncrementalHash? hash = null;
        long size = 0;
        string? path = null;
        while (_queue.TryTake(out var item))
        {
            try
            {
                if (_failed) continue;
                switch (item.Kind)
                {
                    case ItemKind.Open:
                        path = item.Path;
                        file = PrivateFileSystem.CreatePrivateFile(path!);
                        hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                        size = 0;
                        break;
                    case ItemKind.Data:
                        file!.Write(item.Buffer!, 0, item.Length);
                        hash!.AppendData(item.Buffer!, 0, item.Length);
                        size += item.Length;
                        break;
                    case ItemKind.Close:
                        if (_syncEachFile) file!.Flush(flushToDisk: true);
                        file!.Dispose();
                        file = null;
                        var digest = hash!.GetHashAndReset();
                        hash.Dispose();
                        hash = null;
                        _written.Enqueue((size, digest));
                        break;
                }
            }
            catch (Exception e)
            {
                FailedFile = path;
                _failure = ExceptionDispatchInfo.Capture(e);
                _failed = true;
                file?.Dispose();
                file = null;
                hash?.Dispose();
                hash = null;
            }
            finally
            {
                if (item.Buffer is { } b) ArrayPool<byte>.Shared.Return(b);
            }
        }
        file?.Dispose();
        hash?.Dispose();
    }

    private enum ItemKind { Open, Data, Close }

    private sealed record Item(ItemKind Kind, string? Path, byte[]? Buffer, int Length);

    /// <summary>The write side of one file: bytes are gathered into pooled pieces and handed to the writer thread.</summary>
    private sealed class FileFeed(FileWritePipeline pipeline) : WriteOnlyStream
    {
        private byte[]? _buffer;
        private int _pos;
        private bool _closed;

        protected override void WriteCore(ReadOnlySpan<byte> data)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            while (!data.IsEmpty)
            {
                _buffer ??= ArrayPool<byte>.Shared.Rent(ChunkSize);
                var n = Math.Min(data.Length, _buffer.Length - _pos);
                data[..n].CopyTo(_buffer.AsSpan(_pos));
                _pos += n;
                data = data[n..];
                if (_pos == _buffer.Length) Send();
            }
        }

        private void Send()
        {
            if (_pos == 0) return;
            var buffer = _buffer!;
            var length = _pos;
            _buffer = null;
            _pos = 0;
            pipeline.Post(new Item(ItemKind.Data, null, buffer, length));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_closed)
            {
                _closed = true;
                try
                {
                    // After a failure nothing more is written (and Dispose must not hide an exception being thrown).
                    if (!pipeline._failed)
                    {
                        Send();
                        pipeline._queue.Add(new Item(ItemKind.Close, null, null, 0));
                    }
                }
                finally
                {
                    if (_buffer is { } b) ArrayPool<byte>.Shared.Return(b);
                    _buffer = null;
                }
            }
            base.Dispose(disposing);
        }

    }
}
