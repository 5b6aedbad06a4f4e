using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace FunctionalAD.Bench.Limits;

/// <summary>
/// The machine's own ceilings, measured in the same run as the workloads: fp32 FMA throughput on registers
/// (compute-bound W3 is reported as a fraction of it) and streaming read bandwidth from memory (memory-bound
/// W4 is reported as a fraction of it). Each runs on <see cref="Threads"/> threads at once. The report takes
/// the better of this class's fastest iteration and <see cref="CeilingProbe"/>'s fastest short burst, because on a
/// shared machine a whole iteration rarely runs without another process taking the core for part of it.
/// </summary>
public class MachineLimits
{
    /// <summary>
    /// Independent FMA chains per thread. Two 512-bit FMA pipes with a 4-cycle latency need 8 chains in flight;
    /// 12 leave headroom and, with the multiplier and addend, take 14 of the 32 zmm registers, so the JIT keeps
    /// every accumulator in a register (checked with <c>DOTNET_JitDisasm=FmaKernel</c>: 12 <c>vfmadd213ps</c> on
    /// registers per trip, no loads or stores in the loop).
    /// </summary>
    public const int Chains = 12;

    /// <summary>Loop trips per thread of the FMA kernel in one benchmark call.</summary>
    public const int FmaTrips = 1 << 19;

    /// <summary>Floats in the streamed array: 512 MiB, far beyond any cache.</summary>
    public const int StreamFloats = 1 << 27;

    /// <summary>FLOPs of <paramref name="trips"/> trips of the FMA kernel on one thread: chains × lanes × 2 (multiply and add) × trips.</summary>
    public static double FmaFlops(int trips) => (double)Chains * Vector512<float>.Count * 2 * trips;

    /// <summary>FLOPs per thread per benchmark call.</summary>
    public static double FmaFlopsPerThread => FmaFlops(FmaTrips);

    /// <summary>Bytes read per call, across all threads.</summary>
    public const double StreamBytes = (double)StreamFloats * sizeof(float);

    private float[] _stream = [];

    /// <summary>Threads running the kernel at once.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Fills the streamed array, so every page is really backed before timing.</summary>
    [GlobalSetup(Target = nameof(StreamRead))]
    public void SetupStream() => _stream = NewStream(StreamFloats);

    /// <summary>Releases the streamed array.</summary>
    [GlobalCleanup(Target = nameof(StreamRead))]
    public void CleanupStream()
    {
        _stream = [];
        GC.Collect();
    }

    /// <summary>Peak: <see cref="Chains"/> independent Vector512 FMA chains per thread, no memory traffic.</summary>
    [Benchmark]
    public float FmaPeak() => OnThreads(Threads, _ => FmaKernel(FmaTrips));

    /// <summary>Bandwidth: a Vector512 sum over the 512 MiB array, split evenly between the threads.</summary>
    [Benchmark]
    public float StreamRead() => StreamOnThreads(_stream, Threads);

    /// <summary>An array of <paramref name="floats"/> with every page written, so none is first touched while timed.</summary>
    internal static float[] NewStream(int floats)
    {
        var data = GC.AllocateUninitializedArray<float>(floats);
        for (int i = 0; i < data.Length; i++) data[i] = (i & 1023) * 1e-3f;
        return data;
    }

    /// <summary>Sums <paramref name="data"/> on <paramref name="threads"/> threads, each over its own contiguous part.</summary>
    internal static float StreamOnThreads(float[] data, int threads)
    {
        int per = data.Length / threads;
        return OnThreads(threads, t => SumKernel(data.AsSpan(t * per, per)));
    }

    internal static float OnThreads(int threads, Func<int, float> work)
    {
        if (threads == 1) return work(0);
        var results = new float[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => results[t] = work(t));
        return results.Sum();
    }

    /// <summary><see cref="Chains"/> chains of a ← a·m + c, <paramref name="trips"/> times each; returns their sum so nothing is dead code.</summary>
    // Fully optimised from the first call: tier-0 code would measure the JIT, not the machine.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static float FmaKernel(int trips)
    {
        // a·0.999999 + 1e-7 converges to a fixed point, so the chains never overflow or go subnormal.
        var m = Vector512.Create(0.999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(0.10f), a1 = Vector512.Create(0.11f), a2 = Vector512.Create(0.12f), a3 = Vector512.Create(0.13f);
        Vector512<float> a4 = Vector512.Create(0.14f), a5 = Vector512.Create(0.15f), a6 = Vector512.Create(0.16f), a7 = Vector512.Create(0.17f);
        Vector512<float> a8 = Vector512.Create(0.18f), a9 = Vector512.Create(0.19f), a10 = Vector512.Create(0.20f), a11 = Vector512.Create(0.21f);
        for (int i = 0; i < trips; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        var s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
        return Vector512.Sum(s);
    }

    /// <summary>
    /// W4's memory traffic without its arithmetic: reads x, w and b, writes x·w + b to one output and x to another,
    /// one Vector512 per array per step. What a kernel that only moves W4's bytes costs on this machine, in
    /// whatever level of the memory hierarchy W4's working set lives.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void SameTrafficKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> out1, Span<float> out2)
    {
        int lanes = Vector512<float>.Count, n = x.Length, i = 0;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rw = ref MemoryMarshal.GetReference(w);
        ref float rb = ref MemoryMarshal.GetReference(b);
        ref float o1 = ref MemoryMarshal.GetReference(out1);
        ref float o2 = ref MemoryMarshal.GetReference(out2);
        for (; i <= n - lanes; i += lanes)
        {
            var vx = Vector512.LoadUnsafe(ref rx, (nuint)i);
            Vector512.FusedMultiplyAdd(vx, Vector512.LoadUnsafe(ref rw, (nuint)i), Vector512.LoadUnsafe(ref rb, (nuint)i)).StoreUnsafe(ref o1, (nuint)i);
            vx.StoreUnsafe(ref o2, (nuint)i);
        }
        for (; i < n; i++)
        {
            out1[i] = MathF.FusedMultiplyAdd(x[i], w[i], b[i]);
            out2[i] = x[i];
        }
    }

    /// <summary>Σ data, read once as two streams (the two halves) with eight independent 64-byte loads per trip.</summary>
    // Two streams keep two hardware prefetchers busy, and 512 bytes per trip with eight accumulators keep
    // enough loads in flight that neither the add latency nor the loop overhead limits the reads.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static float SumKernel(ReadOnlySpan<float> data)
    {
        int lanes = Vector512<float>.Count;
        int half = data.Length / 2 / (4 * lanes) * (4 * lanes);
        ref float a = ref MemoryMarshal.GetReference(data);
        ref float b = ref Unsafe.Add(ref a, half);
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (int i = 0; i < half; i += 4 * lanes)
        {
            s0 += Vector512.LoadUnsafe(ref a, (nuint)i);
            s1 += Vector512.LoadUnsafe(ref a, (nuint)(i + lanes));
            s2 += Vector512.LoadUnsafe(ref a, (nuint)(i + 2 * lanes));
            s3 += Vector512.LoadUnsafe(ref a, (nuint)(i + 3 * lanes));
            s4 += Vector512.LoadUnsafe(ref b, (nuint)i);
            s5 += Vector512.LoadUnsafe(ref b, (nuint)(i + lanes));
            s6 += Vector512.LoadUnsafe(ref b, (nuint)(i + 2 * lanes));
            s7 += Vector512.LoadUnsafe(ref b, (nuint)(i + 3 * lanes));
        }
        float tail = 0;
        for (int i = 2 * half; i < data.Length; i++) tail += data[i];
        return Vector512.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))) + tail;
    }
}
