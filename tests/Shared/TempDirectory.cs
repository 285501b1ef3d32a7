namespace Imc.Testing;

/// <summary>A fresh folder under the system temp folder, removed (with everything in it) on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "imc-test")
    {
        Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            MakeWritable(new DirectoryInfo(Path));
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void MakeWritable(DirectoryInfo dir)
    {
        if (!dir.Exists || OperatingSystem.IsWindows()) return;
        dir.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var d in dir.EnumerateDirectories()) if (!d.LinkTarget?.Any() ?? true) MakeWritable(d);
    }
}
