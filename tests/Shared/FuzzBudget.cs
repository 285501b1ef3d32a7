using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace Imc.Testing;

/// <summary>
/// How long a seeded fuzz test runs: a few seconds in CI, or IMC_FUZZ_SECONDS per test for a long run
/// (docs/fuzzing.md). IMC_FUZZ_SEED changes the seed (default: each test's own); IMC_FUZZ_LOG, when set, is a file
/// each test appends "name: N iterations in S s (seed X)" to. A failing input is written to IMC_FUZZ_CRASH_DIR (or
/// the temp folder) so that it can become a regression file under tests/TestData/fuzz.
/// </summary>
internal static class FuzzBudget
{
    public static TimeSpan Duration(double ciSeconds) =>
        TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("IMC_FUZZ_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : ciSeconds);

    public static int Seed(int testSeed) =>
        int.TryParse(Environment.GetEnvironmentVariable("IMC_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : testSeed;

    public static bool IsLongRun => Environment.GetEnvironmentVariable("IMC_FUZZ_SECONDS") is { Length: > 0 };

    /// <summary>Records how many iterations a test ran (for docs/fuzzing.md and reports).</summary>
    public static void Report(string name, long iterations, Stopwatch clock, int seed)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{name}: {iterations} iterations in {clock.Elapsed.TotalSeconds:F1} s (seed {seed})");
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("IMC_FUZZ_LOG") is { Length: > 0 } log)
            File.AppendAllText(log, line + Environment.NewLine);
    }

    /// <summary>Saves a failing input; returns where, for the assertion message.</summary>
    public static string SaveCrash(string name, byte[] input)
    {
        var dir = Environment.GetEnvironmentVariable("IMC_FUZZ_CRASH_DIR") is { Length: > 0 } d ? d : Path.GetTempPath();
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{name}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input))[..16]}.bin");
        File.WriteAllBytes(path, input);
        return path;
    }
}
