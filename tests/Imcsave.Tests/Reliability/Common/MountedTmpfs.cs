using System.Globalization;

namespace Imc.Testing.Reliability;

/// <summary>
/// A small tmpfs mounted for a test (a disk that fills up), unmounted on dispose. Mounting needs root: where it is
/// impossible the test skips, unless IMC_REQUIRE_EXTERNAL_TOOLS=1 or CI is set, where it fails.
/// </summary>
internal sealed class MountedTmpfs : IDisposable
{
    private MountedTmpfs(string path) => Path = path;

    public string Path { get; }

    public static MountedTmpfs Mount(string path, long bytes)
    {
        System.IO.Directory.CreateDirectory(path);
        string? problem = null;
        if (!OperatingSystem.IsLinux()) problem = "mounting a tmpfs needs Linux";
        else
        {
            ToolResult r;
            try
            {
                r = ToolRunner.RunCommand("mount", ["-t", "tmpfs", "-o", $"size={Kib(bytes)}k,mode=0755", "tmpfs", path], timeout: TimeSpan.FromSeconds(30));
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                r = new ToolResult(-1, "", e.Message);
            }
            if (r.ExitCode != 0)
                problem = $"'mount -t tmpfs' failed as user {Environment.UserName} (it needs root): {r.Stderr.Trim()}";
        }
        if (problem is not null)
        {
            var message = $"Cannot test a full disk: {problem}.";
            if (ExternalTools.Required || Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
                Assert.Fail(message + " IMC_REQUIRE_EXTERNAL_TOOLS=1 / CI forbid skipping.");
            Assert.Skip(message);
        }
        return new MountedTmpfs(path);
    }

    /// <summary>Gives the file system a new size (frees space for a re-run) without touching its files.</summary>
    public void Resize(long bytes)
    {
        var r = ToolRunner.RunCommand("mount", ["-o", $"remount,size={Kib(bytes)}k", Path], timeout: TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0, $"remount of {Path} failed: {r}");
    }

    public void Dispose()
    {
        var r = ToolRunner.RunCommand("umount", [Path], timeout: TimeSpan.FromSeconds(30));
        if (r.ExitCode != 0) ToolRunner.RunCommand("umount", ["-l", Path], timeout: TimeSpan.FromSeconds(30));
    }

    private static string Kib(long bytes) => ((bytes + 1023) / 1024).ToString(CultureInfo.InvariantCulture);
}
