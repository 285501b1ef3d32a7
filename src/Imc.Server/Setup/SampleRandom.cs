using Imc.Formats.Mapi;

namespace Imc.Server.Setup;

/// <summary>A seeded random source for sample data whose sequence is fixed by <see cref="SplitMix64"/>, not by .NET.</summary>
internal sealed class SampleRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64() => SplitMix64.Next(ref _state);

    /// <summary>0 ≤ result &lt; <paramref name="max"/>.</summary>
    public int Next(int max) => max <= 1 ? 0 : (int)(NextUInt64() % (ulong)max);

    /// <summary><paramref name="min"/> ≤ result ≤ <paramref name="max"/>.</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    public long Between(long min, long max) => min + (long)(NextUInt64() % (ulong)(max - min + 1));

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public byte[] Bytes(int count)
    {
        var b = new byte[count];
        for (var i = 0; i < count; i++) b[i] = (byte)NextUInt64();
        return b;
    }
}
