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
    public static (long Size, string Sha256) Compute(string path) => Compute(path, new byte[1024 * 1024]);

    /// <summary>
    /// The same, reading through <paramref name="buffer"/>: callers hashing many files (verification, -delete's
    /// read-back) reuse one buffer instead of a FileStream buffer per file.
    /// </summary>
    public static (long Size, string Sha256) Compute(string path, byte[] buffer)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            size += n;
        }
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
