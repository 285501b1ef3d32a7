using Imc.Formats.Mapi;
using Imc.Server.Store;
using Microsoft.Data.Sqlite;

namespace Imc.Server.Tests.Store;

public sealed class InformationStoreTests
{
    [Fact]
    public void A_message_with_everything_comes_back_equal_after_reopening()
    {
        using var f = new StoreFixture();
        var original = SampleMessages.Full();
        var id = f.Queue("MTS-OUT").AddMessage(original);

        var store = f.Reopen();
        var read = store.FindMailbox(StoreFixture.GatewayDn)!.OpenFolder("mts-out")!.ReadMessage(id);

        MessageAssert.Equal(original, read);
        Assert.Equal(300, read.Recipients.Count);
        Assert.Equal(5 * 1024 * 1024 + 123, read.Attachments[1].Data!.Length);
        Assert.Equal("embedded twice", read.Attachments[3].EmbeddedMessage!.Attachments[1].EmbeddedMessage!.Subject);
    }

    [Fact]
    public void Named_properties_come_back_with_their_names_and_the_store_mapping()
    {
        using var f = new StoreFixture();
        var m = SampleMessages.Simple("named");
        // The bag maps names to 0x8000, 0x8001; the store maps them itself, so the same name keeps one store id.
        m.Properties.Set(PropertyName.FromName(SampleMessages.CustomSet, "second"), PropType.Long, 2);
        m.Properties.Set(PropertyName.FromId(PropertySets.Common, 0x8501), PropType.Long, 15);
        var other = SampleMessages.Simple("other");
        other.Properties.Set(PropertyName.FromId(PropertySets.Common, 0x8501), PropType.Long, 30);
        var q = f.Queue("MTS-IN");
        var id1 = q.AddMessage(m);
        var id2 = q.AddMessage(other);

        var store = f.Reopen();
        var queue = store.FindMailbox(StoreFixture.GatewayDn)!.OpenFolder("MTS-IN")!;
        var r1 = queue.ReadMessage(id1);
        var r2 = queue.ReadMessage(id2);

        var common1 = r1.Properties.Find(PropertyName.FromId(PropertySets.Common, 0x8501))!;
        var common2 = r2.Properties.Find(PropertyName.FromId(PropertySets.Common, 0x8501))!;
        Assert.Equal(15, common1.Value);
        Assert.Equal(30, common2.Value);
        Assert.Equal(common1.Tag, common2.Tag);
        Assert.True(common1.Tag.IsNamed);
        Assert.Equal(2, r1.Properties.Find(PropertyName.FromName(SampleMessages.CustomSet, "second"))!.Value);
        Assert.NotEqual(common1.Tag.Id, r1.Properties.Find(PropertyName.FromName(SampleMessages.CustomSet, "second"))!.Tag.Id);
    }

    [Fact]
    public void Each_message_gets_an_entry_id_and_keeps_or_gets_a_search_key()
    {
        using var f = new StoreFixture();
        var q = f.Queue("MTS-OUT");
        var kept = q.AddMessage(SampleMessages.Simple("kept", searchKeyText: "SEARCHKEY-0001"));
        var fresh = q.AddMessage(SampleMessages.Simple("fresh"));

        var list = q.ListMessages();
        Assert.Equal([kept, fresh], list.Select(i => i.Id));
        Assert.Equal("SEARCHKEY-0001"u8.ToArray(), list[0].SearchKey);
        Assert.Equal(16, list[1].SearchKey.Length);
        Assert.NotEqual(list[0].EntryId, list[1].EntryId);
        Assert.Equal(f.Store.StoreGuid, new Guid(list[0].EntryId.AsSpan(4, 16)));

        var read = q.ReadMessage(fresh);
        Assert.Equal(list[1].EntryId, read.Properties.GetBinary(PropTags.EntryId));
        Assert.Equal(list[1].SearchKey, read.SearchKey);
        Assert.True(q.ContainsSearchKey("SEARCHKEY-0001"u8));
        Assert.True(q.ContainsSearchKey(list[1].SearchKey));
        Assert.False(q.ContainsSearchKey("SEARCHKEY-0002"u8));
        Assert.False(f.Queue("MTS-IN").ContainsSearchKey("SEARCHKEY-0001"u8));
    }

    [Fact]
    public void An_entry_id_the_message_brought_is_replaced_in_place()
    {
        using var f = new StoreFixture();
        var m = SampleMessages.Simple("moved");
        m.Properties.Set(PropTags.EntryId, new byte[] { 1, 2, 3 });
        var q = f.Queue("Bad");
        var id = q.AddMessage(m);
        var read = q.ReadMessage(id);
        Assert.Equal(q.ListMessages()[0].EntryId, read.Properties.GetBinary(PropTags.EntryId));
        Assert.Equal(PropTags.EntryId, read.Properties[4].Tag); // where the message had it, before the assigned PR_SEARCH_KEY
        Assert.Equal(PropTags.SearchKey, read.Properties[5].Tag);
    }

    [Fact]
    public void The_listing_has_the_summary_columns_in_arrival_order_and_is_a_snapshot()
    {
        using var f = new StoreFixture();
        var q = f.Queue("MTS-OUT");
        for (var i = 0; i < 5; i++) q.AddMessage(SampleMessages.Simple("m" + i));
        var before = q.ListMessages();

        using var other = f.Open();
        other.FindMailbox(StoreFixture.GatewayDn)!.OpenFolder("MTS-OUT")!.AddMessage(SampleMessages.Simple("late"));

        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], before.Select(i => i.Subject));
        Assert.All(before, i => Assert.Equal("alice@example.com", i.Sender));
        Assert.All(before, i => Assert.Equal("IPM.Note", i.MessageClass));
        Assert.All(before, i => Assert.Equal(1, i.RecipientCount));
        Assert.All(before, i => Assert.Equal(1, i.Version));
        Assert.Equal(6, q.ListMessages().Count);
        Assert.Equal("late", q.ListMessages()[5].Subject);
    }

    [Fact]
    public void Stats_count_messages_and_their_bytes_including_attachment_data()
    {
        using var f = new StoreFixture();
        var q = f.Queue("Work");
        Assert.Equal((0L, 0L), q.GetStats());
        var m = SampleMessages.Simple("big");
        m.Attachments.Add(SampleMessages.ByValue("a.bin", SampleMessages.Pattern(3_000_000)));
        q.AddMessage(m);
        q.AddMessage(SampleMessages.Simple("small"));

        var (count, bytes) = q.GetStats();
        var sizes = q.ListMessages().Select(i => i.Size).ToList();
        Assert.Equal(2, count);
        Assert.Equal(sizes.Sum(), bytes);
        Assert.InRange(sizes[0], 3_000_000 + 100, 3_000_000 + 1000);
        Assert.InRange(sizes[1], 50, 1000);
    }

    [Fact]
    public void DeleteIfUnchanged_deletes_only_with_the_listed_version_and_removes_everything_the_message_owns()
    {
        using var f = new StoreFixture();
        var q = f.Queue("MTS-OUT");
        var id = q.AddMessage(SampleMessages.Full());
        var keep = q.AddMessage(SampleMessages.Simple("keep"));
        var listed = q.ListMessages()[0];

        q.SetProperty(id, new MapiProperty(PropTags.Subject, "changed after the save"));
        Assert.False(q.DeleteIfUnchanged(id, listed.Version));
        Assert.Equal(2, q.ListMessages().Count);
        Assert.Equal("changed after the save", q.ListMessages()[0].Subject);
        Assert.Equal(listed.Version + 1, q.ListMessages()[0].Version);
        Assert.False(f.Queue("Bad").DeleteIfUnchanged(id, listed.Version + 1));

        Assert.True(q.DeleteIfUnchanged(id, listed.Version + 1));
        Assert.False(q.DeleteIfUnchanged(id, listed.Version + 1));
        Assert.Equal([keep], q.ListMessages().Select(i => i.Id));

        f.Store.Dispose();
        using var c = new SqliteConnection($"Data Source={f.PrivDb}");
        c.Open();
        Assert.Equal(0L, Count(c, "attachment_chunks"));
        Assert.Equal(0L, Count(c, "attachments"));
        Assert.Equal(1L, Count(c, "recipients"));
        Assert.Equal(1L, Count(c, "messages"));
    }

    [Fact]
    public void A_failure_in_the_middle_of_an_add_leaves_no_part_of_the_message()
    {
        using var f = new StoreFixture();
        var q = f.Queue("MTS-IN");
        var m = SampleMessages.Simple("fails");
        m.Attachments.Add(SampleMessages.ByValue("ok.bin", SampleMessages.Pattern(3_000_000)));
        m.Attachments.Add(new MapiAttachment { Data = new FailingContent() });

        var e = Assert.Throws<IOException>(() => q.AddMessage(m));
        Assert.Equal("disk went away", e.Message);
        Assert.Empty(q.ListMessages());
        Assert.Equal(0L, (long)f.Store.Database.Scalar("SELECT COUNT(*) FROM attachment_chunks")!);
        Assert.Equal(0L, (long)f.Store.Database.Scalar("SELECT COUNT(*) FROM recipients")!);
        // The store goes on working.
        q.AddMessage(SampleMessages.Simple("after"));
        Assert.Equal("after", Assert.Single(q.ListMessages()).Subject);
    }

    [Fact]
    public void Content_shorter_than_its_length_is_refused_with_a_clear_error()
    {
        using var f = new StoreFixture();
        var m = SampleMessages.Simple("liar");
        m.Attachments.Add(new MapiAttachment { Data = new ShortContent() });
        var e = Assert.Throws<ServerException>(() => f.Queue("MTS-IN").AddMessage(m));
        Assert.Equal("An attachment's data gave 10 bytes, but its length says 20; the message was not stored.", e.Message);
        Assert.Empty(f.Queue("MTS-IN").ListMessages());
    }

    [Fact]
    public void Folders_are_found_case_insensitively_created_and_deleted()
    {
        using var f = new StoreFixture();
        var mailbox = f.Store.FindMailbox(StoreFixture.GatewayDn.ToUpperInvariant())!;
        Assert.Equal(StoreFixture.GatewayDn, mailbox.Dn);
        Assert.Equal(StoreFixture.Queues, mailbox.FolderNames);
        Assert.Equal("MTS-OUT", mailbox.OpenFolder("mts-out")!.Name);
        Assert.Null(mailbox.OpenFolder("Deferred"));
        Assert.Null(f.Store.FindMailbox("/o=ORG/ou=SITE/cn=Recipients/cn=nobody"));

        var e = Assert.Throws<ServerException>(() => mailbox.CreateFolder("bad"));
        Assert.Equal($"The mailbox {StoreFixture.GatewayDn} already has a folder Bad.", e.Message);

        var deferred = mailbox.CreateFolder("Deferred");
        deferred.AddMessage(SampleMessages.Simple("x"));
        Assert.True(mailbox.DeleteFolder("deferred"));
        Assert.False(mailbox.DeleteFolder("deferred"));
        Assert.Equal(StoreFixture.Queues, mailbox.FolderNames);
        Assert.Equal(0L, (long)f.Store.Database.Scalar("SELECT COUNT(*) FROM messages")!);
    }

    [Fact]
    public void Creating_a_mailbox_twice_is_an_error()
    {
        using var f = new StoreFixture();
        var e = Assert.Throws<ServerException>(() => f.Store.CreateGatewayMailbox(StoreFixture.GatewayDn.ToLowerInvariant(), "x", []));
        Assert.Equal($"The information store {f.PrivDb} already has a mailbox {StoreFixture.GatewayDn}.", e.Message);
    }

    [Fact]
    public void Reading_a_message_that_is_not_in_the_folder_names_it()
    {
        using var f = new StoreFixture();
        var id = f.Queue("MTS-IN").AddMessage(SampleMessages.Simple("x"));
        var e = Assert.Throws<ServerException>(() => f.Queue("MTS-OUT").ReadMessage(id));
        Assert.Equal($"Message {id} is not in folder MTS-OUT of {StoreFixture.GatewayDn}.", e.Message);
    }

    [Fact]
    public void Attachment_data_stream_after_ReadMessage_returned_and_seek()
    {
        using var f = new StoreFixture();
        var m = SampleMessages.Simple("seek");
        var bytes = SampleMessages.Pattern(2 * 1024 * 1024 + 17);
        m.Attachments.Add(SampleMessages.ByValue("a.bin", bytes));
        var q = f.Queue("MTS-OUT");
        var data = q.ReadMessage(q.AddMessage(m)).Attachments[0].Data!;

        using var s = data.OpenRead();
        s.Position = 1024 * 1024 - 3;
        var window = new byte[10];
        s.ReadExactly(window);
        Assert.Equal(bytes.AsSpan(1024 * 1024 - 3, 10).ToArray(), window);
        s.Seek(-5, SeekOrigin.End);
        Assert.Equal(5, s.Read(window));
        Assert.Equal(bytes.AsSpan(bytes.Length - 5).ToArray(), window.AsSpan(0, 5).ToArray());
        Assert.Equal(0, s.Read(window));
        Assert.Equal(bytes, data.ToArray());
    }

    private static long Count(SqliteConnection c, string table)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM " + table;
        return (long)cmd.ExecuteScalar()!;
    }

    private sealed class FailingContent : BinaryContent
    {
        public override long Length => 5_000_000;
        public override Stream OpenRead() => new FailingStream();

        private sealed class FailingStream : Stream
        {
            private long _position;
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => _position; set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_position > 2_500_000) throw new IOException("disk went away");
                _position += count;
                return count;
            }

            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }

    private sealed class ShortContent : BinaryContent
    {
        public override long Length => 20;
        public override Stream OpenRead() => new MemoryStream(new byte[10]);
    }
}
