namespace Imc.Testing.Reliability;

/// <summary>
/// A temporary folder for servers the reliability tests copy again and again: in /dev/shm when the machine has it (a
/// kill test is about the process dying, not the power failing, and tmpfs keeps fsync from dominating the run), else
/// in the system temp folder. Removed on dispose.
/// </summary>
internal sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory(string prefix)
    {
        var root = OperatingSystem.IsLinux() && System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(root, $"{prefix}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Copies a folder tree (a server: its three databases, their WAL files, imcdata).</summary>
    public static void CopyTree(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var dir in System.IO.Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            System.IO.Directory.CreateDirectory(System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, dir)));
        foreach (var file in System.IO.Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file)));
    }

    public static void Remove(string path)
    {
        if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
    }

    public void Dispose()
    {
        try
        {
            Remove(Path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
