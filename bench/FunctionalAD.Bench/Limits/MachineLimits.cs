using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace FunctionalAD.Bench.Limits;

/// <summary>
/// The machine's own ceilings, measured in the same run as the workloads: fp32 FMA throughput on registers
/// (compute-bound W3 is reported as a fraction of it) and streaming read bandwidth from memory (memory-bound
/// W4 is reported as a fraction of it). Each runs on <see cref="Threads"/> threads at once.
/// </summary>
public class MachineLimits
{
    /// <summary>Independent FMA chains: enough to cover FMA latency times the number of FMA pipes.</summary>
    public const int Chains = 16;

    /// <summary>Loop trips per thread of the FMA kernel.</summary>
    public const int FmaTrips = 1 << 19;

    /// <summary>Floats in the streamed array: 512 MiB, far beyond any cache.</summary>
    public const int StreamFloats = 1 << 27;

    /// <summary>FLOPs per thread per call: chains × lanes × 2 (multiply and add) × trips.</summary>
    public static double FmaFlopsPerThread => (double)Chains * Vector512<float>.Count * 2 * FmaTrips;

    /// <summary>Bytes read per call, across all threads.</summary>
    public const double StreamBytes = (double)StreamFloats * sizeof(float);

    private float[] _stream = [];

    /// <summary>Threads running the kernel at once.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Fills the streamed array, so every page is really backed before timing.</summary>
    [GlobalSetup(Target = nameof(StreamRead))]
    public void SetupStream()
    {
        _stream = GC.AllocateUninitializedArray<float>(StreamFloats);
        for (int i = 0; i < _stream.Length; i++) _stream[i] = (i & 1023) * 1e-3f;
    }

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
    public float StreamRead()
    {
        int per = StreamFloats / Threads;
        var data = _stream;
        return OnThreads(Threads, t => SumKernel(data.AsSpan(t * per, per)));
    }

    private static float OnThreads(int threads, Func<int, float> work)
    {
        if (threads == 1) return work(0);
        var results = new float[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => results[t] = work(t));
        return results.Sum();
    }

    // Fully optimised from the first call: tier-0 code would measure the JIT, not the machine.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FmaKernel(int trips)
    {
        // a·0.999999 + 1e-7 converges to a fixed point, so the chains never overflow or go subnormal.
        var m = Vector512.Create(0.999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(0.10f), a1 = Vector512.Create(0.11f), a2 = Vector512.Create(0.12f), a3 = Vector512.Create(0.13f);
        Vector512<float> a4 = Vector512.Create(0.14f), a5 = Vector512.Create(0.15f), a6 = Vector512.Create(0.16f), a7 = Vector512.Create(0.17f);
        Vector512<float> a8 = Vector512.Create(0.18f), a9 = Vector512.Create(0.19f), a10 = Vector512.Create(0.20f), a11 = Vector512.Create(0.21f);
        Vector512<float> a12 = Vector512.Create(0.22f), a13 = Vector512.Create(0.23f), a14 = Vector512.Create(0.24f), a15 = Vector512.Create(0.25f);
        for (int i = 0; i < trips; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
            a12 = Vector512.FusedMultiplyAdd(a12, m, c); a13 = Vector512.FusedMultiplyAdd(a13, m, c);
            a14 = Vector512.FusedMultiplyAdd(a14, m, c); a15 = Vector512.FusedMultiplyAdd(a15, m, c);
        }
        var s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)) + ((a12 + a13) + (a14 + a15));
        return Vector512.Sum(s);
    }

    // Fully optimised from the first call: tier-0 code would measure the JIT, not the machine.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float SumKernel(ReadOnlySpan<float> data)
    {
        // Four accumulators so the add latency never limits the loads.
        int lanes = Vector512<float>.Count, i = 0;
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        ref float start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(data);
        for (; i <= data.Length - 4 * lanes; i += 4 * lanes)
        {
            s0 += Vector512.LoadUnsafe(ref start, (nuint)i);
            s1 += Vector512.LoadUnsafe(ref start, (nuint)(i + lanes));
            s2 += Vector512.LoadUnsafe(ref start, (nuint)(i + 2 * lanes));
            s3 += Vector512.LoadUnsafe(ref start, (nuint)(i + 3 * lanes));
        }
        float tail = 0;
        for (; i < data.Length; i++) tail += data[i];
        return Vector512.Sum((s0 + s1) + (s2 + s3)) + tail;
    }
}
