using Imc.Formats.Mapi;
using Microsoft.Data.Sqlite;

namespace Imc.Server.Store;

/// <summary>
/// Attachment data as the store keeps them: 1 MiB rows of attachment_chunks, read only when a stream reads them,
/// each piece through SQLite's incremental blob I/O — a 1 GiB attachment never sits in memory. Reads use the
/// store's connection, so they work for as long as the store is open.
/// </summary>
internal sealed class StoredAttachmentContent(InformationStore store, long attachmentId, long length) : BinaryContent
{
    public override long Length => length;

    public override Stream OpenRead() => new ChunkStream(store, attachmentId, length);

    private sealed class ChunkStream(InformationStore store, long attachmentId, long length) : Stream
    {
        private long _position;
        private long _chunkIndex = -1;
        private SqliteBlob? _blob;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= length || buffer.IsEmpty) return 0;
            var index = _position / StoreSchema.ChunkSize;
            var within = _position % StoreSchema.ChunkSize;
            if (index != _chunkIndex) OpenChunk(index);
            var n = (int)Math.Min(buffer.Length, Math.Min(_blob!.Length - within, length - _position));
            if (n <= 0)
                throw new ServerException($"Attachment {attachmentId} in {store.Database.Path} is damaged: piece {index} ends before byte {_position} of {length}.");
            _blob.Position = within;
            _blob.ReadExactly(buffer[..n]);
            _position += n;
            return n;
        }

        private void OpenChunk(long index)
        {
            _blob?.Dispose();
            _blob = null;
            var rowId = store.FindChunk(attachmentId, index)
                ?? throw new ServerException($"Attachment {attachmentId} in {store.Database.Path} has no piece {index} (the message was deleted or the store is damaged).");
            _blob = new SqliteBlob(store.Database.Connection, "attachment_chunks", "data", rowId, readOnly: true);
            _chunkIndex = index;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _blob?.Dispose();
            _blob = null;
            base.Dispose(disposing);
        }
    }
}
