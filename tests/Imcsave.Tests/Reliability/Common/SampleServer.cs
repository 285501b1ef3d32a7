using Imc.Server.Setup;

namespace Imc.Testing.Reliability;

/// <summary>Sample servers for the reliability tests: created once, then copied for every trial.</summary>
internal static class SampleServer
{
    /// <summary>Creates a server with <paramref name="count"/> sample messages over the five queues; returns its queues.</summary>
    public static QueueSnapshot Create(string path, int count, int seed, long? attachmentSize = null, string? queue = null)
    {
        using var server = ServerSetup.Create(path, new InstallOptions());
        if (count > 0) ServerSetup.AddSamples(server, count, seed, queue, attachmentSize);
        var snapshot = QueueSnapshot.Take(server);
        snapshot.ByKey($"sample server (seed {seed})"); // the samples themselves must have distinct search keys
        return snapshot;
    }

    /// <summary>How long to wait before the kill of trial <paramref name="trial"/>: stratified over the run, jittered by the seeded RNG.</summary>
    public static TimeSpan KillDelay(Random rng, int trial, int trials, TimeSpan duration) =>
        TimeSpan.FromTicks((long)(duration.Ticks * 1.05 * (trial + rng.NextDouble()) / trials));

    /// <summary>The seed of a randomized test: IMC_RELIABILITY_SEED when set (to reproduce a failure), else <paramref name="fixedSeed"/>.</summary>
    public static int Seed(int fixedSeed) =>
        int.TryParse(Environment.GetEnvironmentVariable("IMC_RELIABILITY_SEED"), out var s) ? s : fixedSeed;

    /// <summary>IMC_RELIABILITY_MESSAGES when set, else <paramref name="defaultCount"/>.</summary>
    public static int Messages(int defaultCount) =>
        int.TryParse(Environment.GetEnvironmentVariable("IMC_RELIABILITY_MESSAGES"), out var n) && n > 0 ? n : defaultCount;

    /// <summary>IMC_RELIABILITY_TRIALS when set (longer soak runs), else <paramref name="defaultTrials"/>.</summary>
    public static int Trials(int defaultTrials) =>
        int.TryParse(Environment.GetEnvironmentVariable("IMC_RELIABILITY_TRIALS"), out var t) && t > 0 ? t : defaultTrials;
}
