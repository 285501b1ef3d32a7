using Imc.Backup.PackingList;
using Imc.Formats.Reg;
using Imc.Server.Setup;
using Imc.Testing;

namespace Imcrestore.Tests;

/// <summary>
/// Damaged and tampered backups through the real imcrestore (and imcadmin verify): each is refused with one line,
/// exit 5, and the target server's database files keep every byte.
/// </summary>
public sealed class DamagedBackupTests(SavedServerFixture a) : IClassFixture<SavedServerFixture>
{
    private const string Message1 = "Mtsout/00000001.tnef";

    public enum Damage { FlippedByte, TruncatedAndRelisted, MissingFile, ForeignRegistryKey, TraversalName, SymbolicLink, ExtraFile }

    [Theory]
    [InlineData(Damage.FlippedByte)]
    [InlineData(Damage.TruncatedAndRelisted)]
    [InlineData(Damage.MissingFile)]
    [InlineData(Damage.ForeignRegistryKey)]
    [InlineData(Damage.TraversalName)]
    [InlineData(Damage.SymbolicLink)]
    [InlineData(Damage.ExtraFile)]
    public void A_damaged_backup_is_refused_with_one_line_and_exit_5_and_the_target_keeps_every_byte(Damage damage)
    {
        using var s = new RestoreScratch();
        var backup = s.CopyBackup(a.Backup);
        var expected = Apply(s, backup, damage);
        var b = s.CreateServer("B", new InstallOptions { ServerName = "EXCH2", Organization = "ORG2", Site = "SITE2" });
        var before = RestoreScratch.DatabaseHashes(b);

        foreach (var args in new[] { new[] { "-yes", "-quiet" }, ["-yes", "-keepidentity"], ["-dryrun", "-json"] })
        {
            var r = RestoreScratch.Restore(backup, b, args);
            Assert.True(r.ExitCode == 5, r.ToString());
            // Progress lines (stdout, without -quiet/-json) stop at verification; stderr holds just the error.
            if (args.Contains("-quiet") || args.Contains("-json")) Assert.Equal("", r.Stdout);
            else Assert.All(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.StartsWith("Verifying: ", l));
            var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            AssertMessage(expected, line, "imcrestore: ");
            Assert.Equal(before, RestoreScratch.DatabaseHashes(b));
        }

        var v = ToolRunner.Run("imcadmin", ["verify", backup]);
        Assert.True(v.ExitCode == 5, v.ToString());
        Assert.Equal("", v.Stdout);
        AssertMessage(expected, Assert.Single(v.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), "imcadmin: ");
    }

    private static void AssertMessage(string expected, string line, string program)
    {
        if (expected.EndsWith('…')) Assert.StartsWith(program + expected[..^1], line);
        else Assert.Equal(program + expected, line);
    }

    /// <summary>Damages <paramref name="backup"/>; returns the exact error (ending in … when only its start is fixed).</summary>
    private static string Apply(RestoreScratch s, string backup, Damage damage)
    {
        var list = PackingListReader.ReadFile(Path.Combine(backup, "Imcfls"));
        var path1 = Path.Combine(backup, "Mtsout", "00000001.tnef");
        var line1 = list.FindFile(Message1)!.Line;
        switch (damage)
        {
            case Damage.FlippedByte:
            {
                var bytes = File.ReadAllBytes(path1);
                bytes[bytes.Length / 2] ^= 0x01;
                File.WriteAllBytes(path1, bytes);
                return $"{Message1}: the SHA-256 does not match Imcfls line {line1} (the file was changed or damaged)";
            }
            case Damage.TruncatedAndRelisted:
            {
                var bytes = File.ReadAllBytes(path1);
                File.WriteAllBytes(path1, bytes[..(bytes.Length - 100)]);
                Relist(backup, list, Message1);
                return $"{Message1}: not a valid TNEF file: TNEF …";
            }
            case Damage.MissingFile:
                File.Delete(Path.Combine(backup, "Mtsout", "00000002.tnef"));
                return $"Mtsout/00000002.tnef: the file is missing (listed in Imcfls line {list.FindFile("Mtsout/00000002.tnef")!.Line})";
            case Damage.ForeignRegistryKey:
            {
                var reg = Path.Combine(backup, "Imcsvc.reg");
                var keys = RegReader.ReadFile(reg).ToList();
                var foreign = new RegKey(@"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters");
                foreign.Values.Add(RegValue.String("Hostname", "evil"));
                keys.Add(foreign);
                using (var stream = File.Create(reg)) RegWriter.Write(stream, keys);
                Relist(backup, list, "Imcsvc.reg");
                return "Imcsvc.reg: …";
            }
            case Damage.TraversalName:
            {
                var imcfls = Path.Combine(backup, "Imcfls");
                var text = File.ReadAllText(imcfls);
                var line = list.FindFile("Imcobj.csv")!.Line;
                File.WriteAllText(imcfls, text.Replace("\r\nImcobj.csv=", "\r\n..\\..\\x="));
                return $@"Imcfls line {line}: unsafe file name '..\..\x': the name contains '\' (separators must be '/')";
            }
            case Damage.SymbolicLink:
            {
                var elsewhere = s.Combine("elsewhere.tnef");
                File.Move(path1, elsewhere);
                File.CreateSymbolicLink(path1, elsewhere);
                return $"{Message1}: is a symbolic link (to {elsewhere}); a backup holds only regular files";
            }
            case Damage.ExtraFile:
                File.WriteAllText(Path.Combine(backup, "Mtsout", "00009999.tnef"), "x");
                return "Mtsout/00009999.tnef: the file is not listed in Imcfls (an extra file)";
            default:
                throw new ArgumentOutOfRangeException(nameof(damage));
        }
    }

    /// <summary>Writes Imcfls again with the current size and SHA-256 of <paramref name="path"/> (a careful forger).</summary>
    internal static void Relist(string backup, Imcfls list, string path)
    {
        var i = list.Files.FindIndex(f => f.Path == path);
        list.Files[i] = FileDigest.Compute(backup, path);
        File.Delete(Path.Combine(backup, "Imcfls"));
        PackingListWriter.WriteFile(list, Path.Combine(backup, "Imcfls"));
    }

    [Fact]
    public void Registry_files_rewritten_by_hand_in_version5_utf16_crlf_restore_the_same_configuration()
    {
        using var s = new RestoreScratch();
        var backup = s.CopyBackup(a.Backup);
        var list = PackingListReader.ReadFile(Path.Combine(backup, "Imcfls"));
        foreach (var name in new[] { "Imcsvc.reg", "Imcpro.reg" })
        {
            var path = Path.Combine(backup, name);
            var keys = RegReader.ReadFile(path);
            using (var stream = File.Create(path)) RegWriter.Write(stream, keys, RegFileFormat.Version5);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal([0xFF, 0xFE], bytes[..2]);
            Assert.Contains("\r\n", System.Text.Encoding.Unicode.GetString(bytes));
            Relist(backup, list, name);
        }
        var b = s.CreateServer("B", new InstallOptions());
        var r = RestoreScratch.Restore(backup, b, "-keepidentity", "-yes", "-quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        var saved = s.Save(b, "outB");
        foreach (var file in new[] { "Imcsvc.reg", "Imcpro.reg" })
            Assert.True(File.ReadAllBytes(Path.Combine(a.Backup, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(saved, file))), file + " differs");
    }

    [Fact]
    public void Imcadmin_verify_prints_a_one_line_summary_of_a_valid_backup()
    {
        var list = PackingListReader.ReadFile(Path.Combine(a.Backup, "Imcfls"));
        var bytes = list.Files.Sum(f => f.Size);
        var r = ToolRunner.Run("imcadmin", ["verify", a.Backup]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"Backup OK: {list.Files.Count} files, {SavedServerFixture.Samples} messages, {bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes ({a.Backup})\n",
            r.Stdout.Replace("\r\n", "\n"));
        Assert.Equal("", r.Stderr);

        r = ToolRunner.Run("imcadmin", ["verify", a.Backup, "-json"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"{{\"ok\": true, \"backup\": \"{a.Backup}\", \"files\": {list.Files.Count}, \"messages\": {SavedServerFixture.Samples}, \"bytes\": {bytes}}}\n",
            r.Stdout.Replace("\r\n", "\n"));
    }
}
