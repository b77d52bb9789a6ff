using System.Text;

namespace HuiHui.Modules.Ingestion.Simulation;

/// <summary>
/// SplitMix64: a small, fast generator whose stream depends only on its seed — unlike <see cref="Random"/>, whose
/// algorithm for a given seed is not promised across .NET versions. Seeds are built with <see cref="Hash"/> from
/// stable parts (seed, symbol, minute, contract) so the same question always gets the same answer.
/// </summary>
internal struct StableRandom(ulong seed)
{
    private ulong state = seed;
    private double? spareNormal;

    public static ulong Hash(long seed, string text, long a = 0, long b = 0) => Hash(seed, TextHash(text), a, b);

    /// <summary><see cref="Hash(long, string, long, long)"/> with the text's part (<see cref="TextHash"/>) computed once beforehand.</summary>
    public static ulong Hash(long seed, ulong textHash, long a = 0, long b = 0) => Mix(Mix(Mix(textHash ^ (ulong)seed) ^ (ulong)a) ^ (ulong)b);

    /// <summary>FNV-1a of the text's UTF-8 bytes: the part of a hash that depends on the text.</summary>
    public static ulong TextHash(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in Encoding.UTF8.GetBytes(text))
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }

    public ulong NextULong()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public int Next(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    /// <summary>Standard normal (Box-Muller, both values used).</summary>
    public double NextNormal()
    {
        if (spareNormal is { } spare)
        {
            spareNormal = null;
            return spare;
        }

        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        spareNormal = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Poisson by inversion; fine for the small means the simulator uses.</summary>
    public int NextPoisson(double mean)
    {
        var limit = Math.Exp(-mean);
        var product = NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= NextDouble();
        }

        return count;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
