using System.Text;
using Imc.Backup.PackingList;

namespace Imc.Backup.Save;

/// <summary>
/// What Imcfls and -delete need of every saved message — its file's number, size and SHA-256, its search key, its
/// store id and version — kept in a file as the save goes instead of in memory, so imcsave's memory does not grow
/// with the number of messages. Imcfls is written from it at the end, and -delete reads it back in the same order.
/// <para>
/// It is <c>Backup/Imcfls.spool</c> (0600) while messages are saved; a Backup holding it has no Imcfls, so it is
/// incomplete and nothing trusts it. <see cref="Unlink"/> removes the name before Imcfls is first written (the open
/// file stays readable until <see cref="Dispose"/>), so a complete backup never holds it and a kill leaves nothing
/// of it behind. One reader at a time, and no appends once reading began.
/// </para>
/// </summary>
internal sealed class PackingListSpool : IDisposable
{
    public const string FileName = "Imcfls.spool";

    private const int Sha256Length = 32;

    private readonly FileStream _file;
    private readonly BinaryWriter _writer;
    private bool _sealed;
    private bool _reading;
    private bool _unlinked;

    /// <summary>Creates the spool in <paramref name="backup"/> (never over an existing file).</summary>
    public PackingListSpool(string backup)
    {
        Path = System.IO.Path.Combine(backup, FileName);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Delete, // Windows: the name can go while the file is open
            BufferSize = 64 * 1024,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = AtomicFile.PrivateFileMode;
        _file = new FileStream(Path, options);
        _writer = new BinaryWriter(_file, Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>The spool's path (for error messages; after <see cref="Unlink"/> no file has that name).</summary>
    public string Path { get; }

    /// <summary>Messages appended.</summary>
    public int Count { get; private set; }

    /// <summary>Appends message number <paramref name="number"/> of <paramref name="queue"/>.</summary>
    public void Append(QueueLayout queue, int number, long id, long version, long size, ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> searchKey)
    {
        if (_sealed) throw new InvalidOperationException("The packing-list spool is being read; nothing more can be added.");
        if (sha256.Length != Sha256Length) throw new ArgumentException("A SHA-256 has 32 bytes.", nameof(sha256));
        _writer.Write((byte)QueueIndex(queue));
        _writer.Write(number);
        _writer.Write(id);
        _writer.Write(version);
        _writer.Write(size);
        _writer.Write(sha256);
        _writer.Write7BitEncodedInt(searchKey.Length);
        _writer.Write(searchKey);
        Count++;
    }

    /// <summary>Every message appended, in order (read from the file, one record at a time).</summary>
    public IEnumerable<SpooledMessage> Read()
    {
        if (_reading) throw new InvalidOperationException("The packing-list spool is already being read.");
        _reading = true;
        _sealed = true;
        try
        {
            _file.Position = 0;
            using var reader = new BinaryReader(_file, Encoding.UTF8, leaveOpen: true);
            for (var i = 0; i < Count; i++)
            {
                var queue = BackupLayout.Queues[reader.ReadByte()];
                var number = reader.ReadInt32();
                var id = reader.ReadInt64();
                var version = reader.ReadInt64();
                var size = reader.ReadInt64();
                var sha256 = reader.ReadBytes(Sha256Length);
                var searchKey = reader.ReadBytes(reader.Read7BitEncodedInt());
                yield return new SpooledMessage(queue, number, id, version, size, sha256, searchKey);
            }
        }
        finally
        {
            _reading = false;
        }
    }

    /// <summary>Removes the spool's name from Backup, durably; the open file stays readable.</summary>
    public void Unlink()
    {
        if (_unlinked) return;
        File.Delete(Path);
        AtomicFile.FlushDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _unlinked = true;
    }

    public void Dispose()
    {
        try
        {
            _file.Dispose();
        }
        catch (IOException)
        {
            // Flushing what was left failed (a full disk): the run has failed already and the spool is of no use now;
            // the error that matters is the one being reported.
        }
    }

    private static int QueueIndex(QueueLayout queue)
    {
        for (var i = 0; i < BackupLayout.Queues.Count; i++)
            if (BackupLayout.Queues[i] == queue) return i;
        throw new ArgumentException($"{queue.Item} is not a queue item.", nameof(queue));
    }
}

/// <summary>One message of the <see cref="PackingListSpool"/>: its file (number in its queue, size, SHA-256), search key, store id and version.</summary>
internal readonly record struct SpooledMessage(QueueLayout Queue, int Number, long Id, long Version, long Size, byte[] Sha256, byte[] SearchKey)
{
    /// <summary>The file's name in Imcfls: <c>Mtsout/00000001.tnef</c>.</summary>
    public string Path => BackupLayout.MessagePath(Queue, Number);
}
