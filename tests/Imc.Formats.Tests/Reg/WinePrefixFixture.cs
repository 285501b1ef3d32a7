using Imc.Testing;

namespace Imc.Formats.Tests.Reg;

/// <summary>
/// One Wine prefix shared by a test class: Wine's first start (creating the prefix) takes 8-20 s, later runs are
/// quick. Created on first use, so that a test that skips because Wine is missing costs nothing.
/// </summary>
public sealed class WinePrefixFixture : IDisposable
{
    private readonly TempDirectory _dir = new("imc-wine");
    private readonly Lock _lock = new();

    public string Prefix => _dir.Combine("prefix");

    /// <summary>Runs a Wine program (e.g. "regedit", "/S", file) in this prefix, one at a time.</summary>
    internal ToolResult Wine(params string[] args)
    {
        lock (_lock)
            return ToolRunner.RunCommand("env", [.. Environment(), "wine", .. args], timeout: TimeSpan.FromMinutes(3));
    }

    private string[] Environment() =>
        [$"WINEPREFIX={Prefix}", "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=", "LC_ALL=en_US.UTF-8", "LANG=en_US.UTF-8"];

    public void Dispose()
    {
        if (Directory.Exists(Prefix) && ExternalTools.Find("wineserver") is not null)
        {
            try { ToolRunner.RunCommand("env", [.. Environment(), "wineserver", "-k"], timeout: TimeSpan.FromSeconds(30)); }
            catch (TimeoutException) { }
        }
        _dir.Dispose();
    }
}
