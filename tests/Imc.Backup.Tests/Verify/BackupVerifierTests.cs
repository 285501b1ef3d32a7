using System.Text;
using Imc.Backup.PackingList;
using Imc.Backup.Verify;
using Imc.Formats.Mapi;
using Imc.Formats.Reg;
using Imc.Formats.Tnef;
using Imc.Testing;

namespace Imc.Backup.Tests.Verify;

/// <summary>
/// A backup written here with the real writers (TnefWriter, RegWriter, PackingListWriter), then tampered with in
/// every way DESIGN.md §6 promise 3 names: each must be refused with one line naming the file.
/// </summary>
public sealed class BackupVerifierTests : IDisposable
{
    private const string Service = @"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSExchangeIMC";
    private const string Sid = "S-1-5-21-1-2-3-1001";
    private const string Profile = @"HKEY_USERS\" + Sid + @"\Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles\MSExchangeIMC 0123456789";

    private readonly TempDirectory _temp = new("imc-verify");
    private readonly string _backup;

    public BackupVerifierTests()
    {
        _backup = _temp.Combine("Backup");
        System.IO.Directory.CreateDirectory(_backup);
        WriteBackup(_backup, messages: 3);
    }

    public void Dispose() => _temp.Dispose();

    internal static void WriteBackup(string backup, int messages, RegFileFormat format = RegFileFormat.Regedit4)
    {
        var list = new Imcfls
        {
            Tool = "test", Server = "EXCH1", Organization = "ORG", Site = "SITE",
            Gateway = "/o=ORG/ou=SITE/cn=Configuration/cn=Connections/cn=Internet Mail Connector (EXCH1)",
            Started = DateTimeOffset.UnixEpoch, Finished = DateTimeOffset.UnixEpoch,
        };
        list.Items.AddRange(["Registry", "MTSOut", "Bad"]);
        WriteReg(Path.Combine(backup, "Imcsvc.reg"), format, Key(Service, RegValue.String("ObjectName", @"EXCH1\ExchangeService")),
            Key(Service + @"\Parameters", RegValue.String("HomeDSA", "EXCH1"), RegValue.DWord("UseRTFText", 1)));
        WriteReg(Path.Combine(backup, "Imcpro.reg"), format, Key(Profile), Key(Profile + @"\13dbb0c8aa05101a9bb000aa002fc45a", RegValue.Binary("001e6602", [.. "EXCH1"u8, 0])));
        list.Files.Add(FileDigest.Compute(backup, "Imcsvc.reg"));
        list.Files.Add(FileDigest.Compute(backup, "Imcpro.reg"));
        System.IO.Directory.CreateDirectory(Path.Combine(backup, "Mtsout"));
        for (var i = 1; i <= messages; i++)
        {
            var path = $"Mtsout/{i:D8}.tnef";
            var m = Message(i);
            TnefWriter.WriteFile(m, Path.Combine(backup, path));
            list.Files.Add(FileDigest.Compute(backup, path));
            list.Messages.Add(new PackedMessage(path, "MTS-OUT", m.SearchKey!));
        }
        list.Queues.Add(new PackedQueue("MTSOut", messages));
        list.Queues.Add(new PackedQueue("Bad", null));
        PackingListWriter.WriteFile(list, Path.Combine(backup, "Imcfls"));
    }

    internal static MapiMessage Message(int i)
    {
        var m = new MapiMessage();
        m.Properties.Set(PropTags.MessageClass, "IPM.Note");
        m.Properties.Set(PropTags.Subject, $"Message {i}");
        m.Properties.Set(PropTags.SearchKey, Encoding.ASCII.GetBytes($"KEY-{i:D12}"));
        m.Recipients.Add(new MapiRecipient(RecipientType.To, "Ann", "ann@example.com"));
        var a = new MapiAttachment { Method = AttachMethod.ByValue, Data = BinaryContent.FromBytes(Encoding.ASCII.GetBytes(new string('x', 1000 + i))) };
        a.Properties.Set(PropTags.AttachLongFilename, $"a{i}.txt");
        m.Attachments.Add(a);
        return m;
    }

    private static RegKey Key(string path, params RegValue[] values)
    {
        var k = new RegKey(path);
        k.Values.AddRange(values);
        return k;
    }

    private static void WriteReg(string path, RegFileFormat format, params RegKey[] keys)
    {
        using var s = File.Create(path);
        RegWriter.Write(s, keys, format);
    }

    private string Refusal() => Assert.Throws<BackupFormatException>(() => BackupVerifier.Verify(_backup)).Message;

    /// <summary>Rewrites Imcfls so it matches the files again (the tampering a careful attacker would do).</summary>
    private void Relist(Action<Imcfls>? change = null)
    {
        var list = PackingListReader.ReadFile(Path.Combine(_backup, "Imcfls"));
        var files = list.Files.Select(f => FileDigest.Compute(_backup, f.Path)).ToList();
        list.Files.Clear();
        list.Files.AddRange(files);
        change?.Invoke(list);
        File.Delete(Path.Combine(_backup, "Imcfls"));
        PackingListWriter.WriteFile(list, Path.Combine(_backup, "Imcfls"));
    }

    [Fact]
    public void Valid_backup_verifies_and_yields_its_configuration()
    {
        var v = BackupVerifier.Verify(_backup, null, TestContext.Current.CancellationToken);
        Assert.Equal(3, v.MessageCount);
        Assert.Equal(2, v.ServiceKeys!.Count);
        Assert.Equal(Sid, v.ProfileSid);
        Assert.Equal("EXCH1", v.ServiceKeys[1].Values[0].AsString());
    }

    [Fact]
    public void Version5_utf16_reg_files_verify()
    {
        using var t = new TempDirectory();
        WriteBackup(t.Path, 1, RegFileFormat.Version5);
        Assert.Equal([0xFF, 0xFE], File.ReadAllBytes(t.Combine("Imcsvc.reg"))[..2]);
        Assert.Contains("\r\n", Encoding.Unicode.GetString(File.ReadAllBytes(t.Combine("Imcsvc.reg"))));
        Assert.Equal("EXCH1", BackupVerifier.Verify(t.Path, null, TestContext.Current.CancellationToken).ServiceKeys![1].Values[0].AsString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_renamed_to_an_unlisted_name_is_an_extra_file_even_after_a_damaged_file(bool damageAnEarlierFile)
    {
        // As many files as listed, so only looking at each listed file tells; the folder's problem still comes first.
        File.Move(Path.Combine(_backup, "Mtsout", "00000003.tnef"), Path.Combine(_backup, "Mtsout", "00000009.tnef"));
        if (damageAnEarlierFile) File.AppendAllText(Path.Combine(_backup, "Mtsout", "00000001.tnef"), "x");
        Assert.Equal("Mtsout/00000009.tnef: the file is not listed in Imcfls (an extra file)", Refusal());
    }

    [Fact]
    public void Flipped_byte_in_a_tnef_is_a_hash_mismatch()
    {
        var path = Path.Combine(_backup, "Mtsout", "00000002.tnef");
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        Assert.Equal("Mtsout/00000002.tnef: the SHA-256 does not match Imcfls line 24 (the file was changed or damaged)", Refusal());
    }

    [Fact]
    public void Truncated_tnef_with_a_matching_packing_list_is_caught_by_its_structure()
    {
        var path = Path.Combine(_backup, "Mtsout", "00000001.tnef");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 7)]);
        Relist();
        var message = Refusal();
        Assert.StartsWith("Mtsout/00000001.tnef: not a valid TNEF file: TNEF ", message);
        Assert.Contains(" at offset ", message);
        Assert.DoesNotContain("\n", message);
    }

    [Fact]
    public void Truncated_tnef_is_a_size_mismatch()
    {
        var path = Path.Combine(_backup, "Mtsout", "00000003.tnef");
        var length = new FileInfo(path).Length;
        using (var s = File.OpenWrite(path)) s.SetLength(length - 1);
        Assert.Equal($"Mtsout/00000003.tnef: the file is {length - 1} bytes but Imcfls line 25 says {length} (truncated or changed)", Refusal());
    }

    [Fact]
    public void Missing_file_is_refused()
    {
        File.Delete(Path.Combine(_backup, "Mtsout", "00000003.tnef"));
        Assert.Equal("Mtsout/00000003.tnef: the file is missing (listed in Imcfls line 25)", Refusal());
    }

    [Fact]
    public void Extra_file_is_refused()
    {
        File.WriteAllText(Path.Combine(_backup, "Mtsout", "00000004.tnef"), "x");
        Assert.Equal("Mtsout/00000004.tnef: the file is not listed in Imcfls (an extra file)", Refusal());
    }

    [Fact]
    public void Extra_folder_is_refused()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(_backup, "Bad"));
        Assert.Equal("Bad/: the folder is not part of the backup (not a saved queue in Imcfls)", Refusal());
    }

    [Fact]
    public void Symbolic_link_is_refused_even_pointing_inside()
    {
        var path = Path.Combine(_backup, "Mtsout", "00000003.tnef");
        File.Move(path, Path.Combine(_temp.Path, "moved.tnef"));
        File.CreateSymbolicLink(path, Path.Combine(_temp.Path, "moved.tnef"));
        Assert.StartsWith("Mtsout/00000003.tnef: is a symbolic link (to ", Refusal());

        File.Delete(path);
        File.CreateSymbolicLink(path, "00000002.tnef");
        Assert.Equal("Mtsout/00000003.tnef: is a symbolic link (to 00000002.tnef); a backup holds only regular files", Refusal());
    }

    [Fact]
    public void Symbolic_link_folder_is_refused()
    {
        var queue = Path.Combine(_backup, "Mtsout");
        System.IO.Directory.Move(queue, Path.Combine(_temp.Path, "elsewhere"));
        System.IO.Directory.CreateSymbolicLink(queue, Path.Combine(_temp.Path, "elsewhere"));
        Assert.StartsWith("Mtsout: is a symbolic link (to ", Refusal());
    }

    [Fact]
    public void Key_outside_the_imc_in_a_reg_file_is_refused_even_with_a_matching_list()
    {
        WriteReg(Path.Combine(_backup, "Imcsvc.reg"), RegFileFormat.Regedit4, Key(Service), Key(Service + "X", RegValue.DWord("Start", 4)));
        Relist();
        Assert.Equal(@"Imcsvc.reg: the key [HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSExchangeIMCX] is outside the IMC; only HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSExchangeIMC and its subkeys may be restored", Refusal());
    }

    [Fact]
    public void Deletion_outside_the_imc_is_refused()
    {
        WriteReg(Path.Combine(_backup, "Imcpro.reg"), RegFileFormat.Regedit4, Key(Profile), new RegKey(@"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft") { Delete = true });
        Relist();
        Assert.StartsWith(@"Imcpro.reg: the key [-HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft] is outside the IMC;", Refusal());
    }

    [Fact]
    public void Malformed_reg_file_names_the_file_and_line()
    {
        File.WriteAllText(Path.Combine(_backup, "Imcsvc.reg"), "REGEDIT4\r\n\r\n[" + Service + "]\r\n\"Start\"=dword:xyz\r\n");
        Relist();
        Assert.StartsWith("Imcsvc.reg line 4: ", Refusal());
    }

    [Fact]
    public void Message_whose_search_key_differs_from_the_list_is_refused()
    {
        Relist(l => l.Messages[0] = l.Messages[0] with { SearchKey = [1, 2, 3] });
        Assert.Equal("Mtsout/00000001.tnef: the message's PR_SEARCH_KEY is 4B45592D303030303030303030303031; Imcfls line 28 says 010203", Refusal());
    }

    [Theory]
    [InlineData("../x", "Imcfls line 23: unsafe file name '../x': the name contains '..'")]
    [InlineData("..\\..\\x", "Imcfls line 23: unsafe file name '..\\..\\x': the name contains '\\' (separators must be '/')")]
    [InlineData("/etc/passwd", "Imcfls line 23: unsafe file name '/etc/passwd': the name is an absolute path")]
    public void Traversal_names_in_the_list_are_refused(string name, string expected)
    {
        var path = Path.Combine(_backup, "Imcfls");
        var text = File.ReadAllText(path).Replace("Mtsout/00000001.tnef=", name + "=");
        File.WriteAllText(path, text);
        Assert.Equal(expected, Refusal());
    }

    [Fact]
    public void Duplicate_entry_is_refused()
    {
        var path = Path.Combine(_backup, "Imcfls");
        var lines = File.ReadAllLines(path).ToList();
        var i = lines.FindIndex(l => l.StartsWith("Mtsout/00000001.tnef=", StringComparison.Ordinal));
        lines.Insert(i + 1, lines[i]);
        File.WriteAllText(path, string.Join("\r\n", lines) + "\r\n");
        Assert.Equal("Imcfls line 24: key \"Mtsout/00000001.tnef\" appears twice in [Files] (first on line 23)", Refusal());
    }

    [Fact]
    public void Missing_packing_list_means_an_incomplete_backup()
    {
        File.Delete(Path.Combine(_backup, "Imcfls"));
        Assert.Equal("Imcfls: the packing list is missing: the backup is incomplete and cannot be trusted", Refusal());
    }
}
