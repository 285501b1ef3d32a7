using System.Security.Cryptography;
using Imc.Backup.PackingList;
using Imc.Backup.Verify;
using Imc.Formats.Mapi;
using Imc.Formats.Tnef;

namespace Imc.Testing.Reliability;

/// <summary>A message a complete backup holds: its queue, its file, and the message decoded from that file.</summary>
internal sealed record BackedUpMessage(string Queue, string Path, string Key, MapiMessage Message);

/// <summary>
/// Judges a Backup folder the way someone who must rely on it would: complete only with an Imcfls that the strict
/// <see cref="PackingListReader"/> reads, whose every file is there with the recorded size and SHA-256, whose every
/// message decodes with <see cref="TnefReader"/> to a message with the recorded PR_SEARCH_KEY — and which imcrestore's
/// own <see cref="BackupVerifier"/> accepts. A folder without Imcfls is incomplete: nothing in it counts.
/// </summary>
internal static class BackupInspector
{
    /// <summary>
    /// Null when <paramref name="backupDir"/> does not exist or has no Imcfls (incomplete); else every message of the
    /// complete backup by search key. Fails the test (with <paramref name="context"/>) when Imcfls is there but anything
    /// about the backup is wrong.
    /// </summary>
    public static Dictionary<string, BackedUpMessage>? ReadComplete(string backupDir, string context)
    {
        var listPath = Path.Combine(backupDir, BackupLayout.PackingListName);
        if (!File.Exists(listPath)) return null;
        Imcfls list;
        try
        {
            list = PackingListReader.ReadFile(listPath);
        }
        catch (BackupFormatException e)
        {
            Assert.Fail($"{context}: {listPath} exists but the strict reader refuses it: {e.Message}");
            throw;
        }
        foreach (var f in list.Files)
        {
            var full = Path.Combine(backupDir, f.Path.Replace('/', Path.DirectorySeparatorChar));
            Assert.True(File.Exists(full), $"{context}: Imcfls lists {f.Path} but it is not in {backupDir}.");
            using var stream = File.OpenRead(full);
            Assert.True(stream.Length == f.Size, $"{context}: {f.Path} has {stream.Length} bytes; Imcfls says {f.Size}.");
            var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
            Assert.True(hash == f.Sha256, $"{context}: {f.Path} has SHA-256 {hash}; Imcfls says {f.Sha256}.");
        }
        var messages = new Dictionary<string, BackedUpMessage>(StringComparer.Ordinal);
        foreach (var m in list.Messages)
        {
            var full = Path.Combine(backupDir, m.Path.Replace('/', Path.DirectorySeparatorChar));
            MapiMessage decoded;
            try
            {
                decoded = TnefReader.ReadFile(full);
            }
            catch (TnefException e)
            {
                Assert.Fail($"{context}: {m.Path} is listed in a complete backup but does not decode: {e.Message}");
                throw;
            }
            var key = decoded.SearchKey is { } k ? Convert.ToHexString(k) : "(none)";
            Assert.True(key == m.SearchKeyHex, $"{context}: {m.Path} decodes to search key {key}; Imcfls says {m.SearchKeyHex}.");
            Assert.True(messages.TryAdd(key, new BackedUpMessage(m.Folder, m.Path, key, decoded)),
                $"{context}: search key {key} is twice in one backup ({messages.GetValueOrDefault(key)?.Path} and {m.Path}).");
        }
        try
        {
            BackupVerifier.Verify(backupDir);
        }
        catch (Exception e) when (e is BackupFormatException or IOException or FormatException)
        {
            Assert.Fail($"{context}: the backup has a valid Imcfls and matching files, but imcrestore's verifier refuses it: {e.Message}");
        }
        return messages;
    }

    /// <summary>True when the folder exists but has no Imcfls: what a killed or failed imcsave leaves.</summary>
    public static bool IsIncomplete(string backupDir) =>
        System.IO.Directory.Exists(backupDir) && !File.Exists(Path.Combine(backupDir, BackupLayout.PackingListName));

    /// <summary>Every file and folder under <paramref name="dir"/> (relative), for "nothing else was left" checks.</summary>
    public static IReadOnlyList<string> Tree(string dir) =>
        System.IO.Directory.Exists(dir)
            ? [.. System.IO.Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(dir, p)).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>The server at <paramref name="target"/> holds exactly the backup's messages: each in its queue, once, nothing else.</summary>
    public static void AssertTargetHoldsExactly(Dictionary<string, BackedUpMessage> expected, string target, string context)
    {
        var now = QueueSnapshot.Take(target).ByKey(context); // fails on a duplicate
        var missing = expected.Keys.Where(k => !now.ContainsKey(k)).ToList();
        var extra = now.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{context}: the target does not hold exactly the backup's messages: {missing.Count} missing (first {missing.FirstOrDefault()}), {extra.Count} extra (first {extra.FirstOrDefault()}).");
        foreach (var (key, m) in now)
            Assert.True(expected[key].Queue == m.Queue, $"{context}: message {key} of {expected[key].Queue} is in {m.Queue}.");
    }
}
