using System.Diagnostics;

namespace FunctionalAD.Bench.Limits;

/// <summary>
/// The best rates one probe saw, per thread count: FMA throughput, streaming read bandwidth from memory, and the
/// time (ns) of a kernel that moves exactly W4's bytes (<see cref="MachineLimits.SameTrafficKernel"/>, one thread).
/// </summary>
public sealed record Ceiling(int Threads, double FmaGflops, double StreamGBs, double? SameTrafficW4Ns);

/// <summary>
/// The machine's ceilings as the fastest of many short bursts of <see cref="MachineLimits"/>' kernels, timed with a
/// stopwatch. A ceiling is the best the machine can do, and interference only ever lowers a rate: on a machine
/// shared with other work, a burst of a fraction of a millisecond often runs on a core alone where a
/// BenchmarkDotNet iteration of 150-500 ms almost never does. The report takes the better of the two.
/// </summary>
public static class CeilingProbe
{
    /// <summary>FMA trips per thread in one burst: 12 × 16 × 2 × 2^16 = 25 MFLOP, about 0.1 ms on a fast core.</summary>
    public const int BurstTrips = 1 << 16;

    /// <summary>FMA bursts per thread count.</summary>
    public const int FmaBursts = 2000;

    /// <summary>Floats streamed per burst: 256 MiB, still far beyond any cache.</summary>
    public const int StreamFloats = 1 << 26;

    /// <summary>Stream bursts per thread count.</summary>
    public const int StreamBursts = 24;

    /// <summary>Runs of the same-traffic kernel over W4's sizes.</summary>
    public const int SameTrafficBursts = 200;

    /// <summary>Measures the ceilings on each of <paramref name="threadCounts"/> (the same-traffic kernel on one thread only).</summary>
    public static List<Ceiling> Measure(IEnumerable<int> threadCounts)
    {
        var result = new List<Ceiling>();
        var stream = MachineLimits.NewStream(StreamFloats);
        foreach (int threads in threadCounts)
        {
            MachineLimits.OnThreads(threads, _ => MachineLimits.FmaKernel(BurstTrips)); // warm the thread pool
            double fmaNs = Fastest(FmaBursts, () => MachineLimits.OnThreads(threads, _ => MachineLimits.FmaKernel(BurstTrips)));
            double streamNs = Fastest(StreamBursts, () => MachineLimits.StreamOnThreads(stream, threads));
            double? sameTrafficNs = threads == 1 ? SameTrafficW4() : null;
            result.Add(new Ceiling(threads, MachineLimits.FmaFlops(BurstTrips) * threads / fmaNs, StreamFloats * (double)sizeof(float) / streamNs, sameTrafficNs));
        }
        return result;
    }

    /// <summary>The fastest run of <see cref="MachineLimits.SameTrafficKernel"/> over arrays of W4's length.</summary>
    private static double SameTrafficW4()
    {
        int n = Workloads.W4_Elementwise.N;
        float[] x = MachineLimits.NewStream(n), w = MachineLimits.NewStream(n), b = MachineLimits.NewStream(n);
        float[] out1 = MachineLimits.NewStream(n), out2 = MachineLimits.NewStream(n);
        return Fastest(SameTrafficBursts, () =>
        {
            MachineLimits.SameTrafficKernel(x, w, b, out1, out2);
            return out1[n - 1];
        });
    }

    private static double Fastest(int bursts, Func<float> burst)
    {
        double best = double.MaxValue;
        float sink = 0;
        for (int i = 0; i < bursts; i++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += burst();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds);
        }
        GC.KeepAlive(sink);
        return best;
    }
}
