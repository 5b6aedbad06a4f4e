using System.Diagnostics;
using FunctionalAD.Bench.Limits;
using FunctionalAD.Bench.Workloads;

namespace FunctionalAD.Bench.Probes;

/// <summary>
/// <c>--probe alloc</c>: where the few bytes per call BenchmarkDotNet reports for compiled W3/W4 come from. It
/// repeats what BenchmarkDotNet's memory diagnoser does after the timed iterations (BenchmarkDotNet 0.15
/// <c>Engine.GetExtraStats</c>: <c>GC.Collect()</c>, <c>GC.GetTotalAllocatedBytes(precise: true)</c>, one
/// iteration, <c>GC.Collect()</c>, read again; the total counts every thread of the process) and also counts the
/// calling thread's own allocations, so bytes allocated by another thread while the iteration ran show as the
/// difference. The same is done for a control of the same length that allocates nothing (the FMA kernel), and
/// once more with finalizers drained before the first read.
/// </summary>
internal static class AllocationProbe
{
    private const int Rounds = 6;

    /// <summary>Also list, per round, which threads of the process woke up while the iteration ran.</summary>
    public static bool Verbose { get; set; } = true;

    public static int Run()
    {
        // First with nothing of ours or TorchSharp's loaded: a control of W3's length.
        Measure("control of ~500 us before any workload or TorchSharp ran", () => MachineLimits.FmaKernel(1 << 13), 1024, Settle.None);
        Measure("  the same, settled: GC, finalizers drained, 100 ms pause", () => MachineLimits.FmaKernel(1 << 13), 1024, Settle.Pause);
        foreach (var (name, workload, ops) in new (string, WorkloadBenchmark, int)[] { ("W3", new W3_Mlp(), 1024), ("W4", new W4_Elementwise(), 2048) })
        {
            // As BenchmarkDotNet's case: 1 thread, the peer built and checked in the same setup.
            workload.Threads = 1;
            workload.SetupCompiled();
            for (int i = 0; i < 200; i++) workload.Compiled();
            double us = PerCall(() => workload.Compiled(), ops);
            Measure($"{name} compiled, {ops} calls of {us:F0} us", () => workload.Compiled(), ops, Settle.None);
            Measure($"  the same, settled: GC, finalizers drained, 100 ms pause", () => workload.Compiled(), ops, Settle.Pause);
            // The control: FMA trips for as long as one call takes; it allocates nothing by construction.
            int trips = (int)(us * 1e3 * 250e9 / 1e9 / MachineLimits.FmaFlops(1));
            Measure($"control of {PerCall(() => MachineLimits.FmaKernel(trips), ops):F0} us (FMA kernel, allocates nothing)", () => MachineLimits.FmaKernel(trips), ops, Settle.None);
            workload.Cleanup();
        }
        return 0;
    }

    /// <summary>What happens between the forced collection and the first read.</summary>
    private enum Settle { None, Pause }

    private static double PerCall(Action call, int ops)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < ops / 4; i++) call();
        return clock.Elapsed.TotalMicroseconds / (ops / 4);
    }

    private static void Measure(string what, Action call, int ops, Settle settle)
    {
        var totals = new List<string>();
        for (int r = 0; r < Rounds; r++)
        {
            GC.Collect();
            if (settle == Settle.Pause)
            {
                // What a full collection sets off on the finalizer thread (Gen2GcCallback work such as the array
                // pools' trimming) finishes before the first read.
                GC.WaitForPendingFinalizers();
                Thread.Sleep(100);
            }
            var woken0 = ThreadCpu.Wakeups();
            long total0 = GC.GetTotalAllocatedBytes(precise: true);
            long mine0 = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < ops; i++) call();
            long mine = GC.GetAllocatedBytesForCurrentThread() - mine0;
            long listing0 = GC.GetAllocatedBytesForCurrentThread();
            var woken1 = ThreadCpu.Wakeups();
            long listing = GC.GetAllocatedBytesForCurrentThread() - listing0; // the listing's own strings
            GC.Collect();
            long total = GC.GetTotalAllocatedBytes(precise: true) - total0 - listing;
            totals.Add($"{total}/{mine}");
            if (Verbose) Console.WriteLine($"    {total}/{mine} B; threads that woke: {ThreadCpu.Woken(woken0, woken1)}");
        }
        Console.WriteLine($"{what}: bytes per iteration, all threads/this thread: {string.Join(", ", totals)}");
    }
}
