using System.Text;
using Imc.Backup.PackingList;

namespace Imc.Backup.Tests.PackingList;

/// <summary>
/// The check that keeps no entries: flat memory for a list in imcsave's order, the fallbacks for a list that is not,
/// and the same refusals either way. Alone: measuring the heap while other tests allocate would measure them.
/// </summary>
[Collection(nameof(PackingListCheckTests))]
public sealed class PackingListCheckTests
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static byte[] LargeList(int messages)
    {
        var list = PackingListTests.Sample();
        list.Files.RemoveAt(3);
        list.Messages.Clear();
        list.Queues[1] = new PackedQueue("MTSOut", messages);
        for (var i = 1; i <= messages; i++)
        {
            var path = BackupLayout.MessagePath(BackupLayout.Queues[1], i);
            list.Files.Add(new PackedFile(path, 1000 + i, Sha));
            list.Messages.Add(new PackedMessage(path, "MTS-OUT", BitConverter.GetBytes((long)i)));
        }
        using var ms = new MemoryStream();
        PackingListWriter.Write(list, ms);
        return ms.ToArray();
    }

    [Fact]
    public void The_index_of_a_large_list_holds_nothing_per_entry()
    {
        using var source = PackingListSource.FromStream(new MemoryStream(LargeList(50_000)));
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var index = PackingListReader.Check(source);
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.Equal(50_003, index.FileCount);
        Assert.Equal(50_000, index.MessageCount);
        Assert.False(index.HeldNames);
        // A fingerprint per 64 messages (6 KB here); an entry object each would be megabytes.
        Assert.True(held < 64 * 1024, $"the index holds {held} bytes");
        GC.KeepAlive(index);
    }

    [Fact]
    public void In_imcsave_order_no_key_is_held_and_a_key_out_of_order_switches_to_fingerprints_of_all()
    {
        string[] earlier = ["Imcsvc.reg", "Mtsin/00000001.tnef", "Mtsin/00000002.tnef", "Mtsout/00000001.tnef", "Imcobj.csv", "Mtsout/00000002.tnef"];
        var guard = new DuplicateGuard(() => earlier);
        foreach (var key in earlier) Assert.True(guard.IsNew(key), key);
        Assert.False(guard.HoldsFingerprints);
        Assert.False(guard.IsNew("IMCSVC.REG")); // names outside folders are held exactly
        Assert.False(guard.HoldsFingerprints);

        Assert.False(guard.IsNew("MTSIN/00000002.TNEF")); // Mtsin was left: fingerprints of every earlier key
        Assert.True(guard.HoldsFingerprints);
        Assert.True(guard.IsNew("Mtsin/00000003.tnef"));
        Assert.False(guard.IsNew("mtsin/00000003.tnef"));
    }

    [Theory]
    [InlineData("MTSOUT/00000001.tnef", 30, 27)] // Mtsout was left for Mtsin
    [InlineData("mtsout/00000002.TNEF", 30, 28)] // the same, in another case
    public void A_duplicate_out_of_imcsave_order_names_both_lines(string duplicate, int line, int first)
    {
        var text = PackingListTests.SampleText
            .Replace("MTSOut=1", "MTSOut=2").Replace("MTSIn=0", "MTSIn=1")
            .Replace("Mtsout/00000001.tnef=56789 " + Sha + "\r\n",
                "Mtsout/00000001.tnef=56789 " + Sha + "\r\nMtsout/00000002.tnef=5 " + Sha + "\r\nMtsin/00000001.tnef=5 " + Sha + "\r\n" + duplicate + "=5 " + Sha + "\r\n");
        var e = Assert.Throws<BackupFormatException>(() => PackingListReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text))));
        Assert.Equal($"Imcfls line {line}: key \"{duplicate}\" appears twice in [Files] (first on line {first})", e.Message);
        Assert.Equal(e.Message, Assert.Throws<BackupFormatException>(() => ReferencePackingListReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)))).Message);
    }

    [Fact]
    public void Messages_in_another_order_than_their_files_are_paired_by_name()
    {
        var list = PackingListTests.Sample();
        list.Queues[1] = new PackedQueue("MTSOut", 2);
        list.Files.Add(new PackedFile("Mtsout/00000002.tnef", 5, Sha));
        list.Messages.Insert(0, new PackedMessage("Mtsout/00000002.tnef", "MTS-OUT", [1, 2]));
        using var ms = new MemoryStream();
        PackingListWriter.Write(list, ms);
        using var source = PackingListSource.FromStream(new MemoryStream(ms.ToArray()));

        var index = PackingListReader.Check(source);

        Assert.True(index.HeldNames);
        var pairs = index.ListedFiles(source).Where(p => p.Message is not null).Select(p => (p.File.Path, p.Message!.SearchKeyHex)).ToList();
        Assert.Equal([("Mtsout/00000001.tnef", "0123456789ABCDEF0123456789ABCDEF"), ("Mtsout/00000002.tnef", "0102")], pairs);
        Assert.Equal(["Mtsout/00000002.tnef", "Mtsout/00000001.tnef"], index.MessagesOf(BackupLayout.Queues[1], source).Select(m => m.Path));
    }
}

[CollectionDefinition(nameof(PackingListCheckTests), DisableParallelization = true)]
public sealed class PackingListCheckCollection;
