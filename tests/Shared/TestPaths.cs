namespace Imc.Testing;

/// <summary>Where the repository and the project's shared research folder are, seen from a test run.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The shared folder beside the repository (testdata, tools), or IMC_SHARED_DIR.</summary>
    public static string SharedDir =>
        Environment.GetEnvironmentVariable("IMC_SHARED_DIR") is { Length: > 0 } dir ? dir : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string TnefSamples => Path.Combine(SharedDir, "testdata", "tnef");
    public static string RegSamples => Path.Combine(SharedDir, "testdata", "reg");

    /// <summary>The folder with this repository's own test data (tests/TestData).</summary>
    public static string TestData => Path.Combine(RepoRoot, "tests", "TestData");

    private static string FindRepoRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Imc.slnx"))) return dir.FullName;
        // With IMC_ARTIFACTS the output lives outside the repository: use where this file was compiled from.
        for (var dir = new FileInfo(sourceFile).Directory; dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Imc.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"Imc.slnx not found above {AppContext.BaseDirectory}.");
    }
}
