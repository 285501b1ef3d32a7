namespace Imc.Testing;

/// <summary>
/// Independent tools nobody here wrote (tnef, ytnefprint, hivexregedit, wine). A test that needs one skips when it is
/// missing — unless IMC_REQUIRE_EXTERNAL_TOOLS=1 (set by .ci/run), where a missing tool fails the test.
/// </summary>
internal static class ExternalTools
{
    public static bool Required => Environment.GetEnvironmentVariable("IMC_REQUIRE_EXTERNAL_TOOLS") == "1";

    /// <summary>The full path of <paramref name="command"/>, or skips/fails the test when it is not on PATH.</summary>
    public static string Require(string command, string package)
    {
        var path = Find(command);
        if (path is not null) return path;
        var message = $"'{command}' is not installed (Debian package {package}); .ci/run installs it.";
        if (Required) Assert.Fail(message + " IMC_REQUIRE_EXTERNAL_TOOLS=1 forbids skipping.");
        Assert.Skip(message);
        return null!;
    }

    public static string? Find(string command)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var candidate = Path.Combine(dir, command);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
