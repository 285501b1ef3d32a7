using System.Security.Cryptography;

namespace Imc.Backup.PackingList;

/// <summary>Size and SHA-256 of a file, streamed (a message file may hold a 1 GiB attachment).</summary>
public static class FileDigest
{
    /// <summary>The <see cref="PackedFile"/> entry for <paramref name="relativePath"/> inside <paramref name="backupDir"/>.</summary>
    public static PackedFile Compute(string backupDir, string relativePath)
    {
        var (size, sha) = Compute(Path.Combine(backupDir, relativePath.Replace('/', Path.DirectorySeparatorChar)));
        return new PackedFile(relativePath, size, sha);
    }

    /// <summary>Size in bytes and lower-case hex SHA-256 of the file at <paramref name="path"/>.</summary>
    public static (long Size, string Sha256) Compute(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1024 * 1024, FileOptions.SequentialScan);
        var hash = SHA256.HashData(stream);
        return (stream.Length, Convert.ToHexStringLower(hash));
    }
}
