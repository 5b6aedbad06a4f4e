using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace FunctionalAD.Bench.Limits;

/// <summary>
/// A control for BenchmarkDotNet's allocation column: a call that allocates nothing (the register-only FMA kernel)
/// lasting as long as a compiled W3 or W4 call on one thread. BenchmarkDotNet counts the bytes every thread of the
/// process allocates during one extra iteration (<c>GC.GetTotalAllocatedBytes(precise: true)</c> around it, after
/// a <c>GC.Collect()</c>) and divides by the calls in it; the runtime's own background threads allocate a few
/// hundred bytes in such a window (<c>--probe alloc</c> shows the calling thread allocating nothing), which for
/// calls this long rounds to a byte or two per call. Whatever this control shows, a compiled case of the same
/// length shows without allocating anything itself.
/// </summary>
public class AllocationControl
{
    private int _trips;

    /// <summary>How long one call runs: about a compiled W3 call (460 us) and a W4 call (250 us) on one thread.</summary>
    [Params(460, 250)]
    public int Microseconds { get; set; }

    /// <summary>Finds how many FMA trips take <see cref="Microseconds"/> on this machine.</summary>
    [GlobalSetup]
    public void Calibrate()
    {
        const int probeTrips = 1 << 16;
        MachineLimits.FmaKernel(probeTrips);
        double best = double.MaxValue;
        for (int i = 0; i < 50; i++)
        {
            long start = Stopwatch.GetTimestamp();
            MachineLimits.FmaKernel(probeTrips);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        _trips = (int)Math.Max(1, probeTrips * Microseconds / best);
    }

    /// <summary>FMA chains on registers for <see cref="Microseconds"/>: no allocation, no memory traffic.</summary>
    [Benchmark]
    public float NothingAllocated() => MachineLimits.FmaKernel(_trips);
}
