using System.Diagnostics;
using System.Runtime.CompilerServices;
using FunctionalAD.Bench.Ours;
using FunctionalAD.Bench.Workloads;

namespace FunctionalAD.Bench.Probes;

/// <summary>What one compiled workload's calls allocated on the calling thread, after warming up.</summary>
public sealed record CallerBytes(string TypeName, int Calls, long Bytes);

/// <summary>
/// The "compiled calls allocate 0 B" target, measured on the thread that makes the calls: after the timed cases,
/// each compiled workload (1 thread) is built as its benchmark builds it, warmed up for about half a second, and
/// then <see cref="GC.GetAllocatedBytesForCurrentThread"/> is read around as many calls again. BenchmarkDotNet's
/// allocation column counts every thread of the process, so the runtime's own threads (tiering, the finalizer)
/// add a few hundred bytes to an iteration now and then, which <c>--probe alloc</c> separates case by case.
/// </summary>
internal static class CallingThreadAllocation
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(0.5);

    /// <summary>Counts each of <paramref name="workloads"/> (benchmark class names) in turn.</summary>
    public static List<CallerBytes> Measure(IEnumerable<string> workloads)
    {
        var result = new List<CallerBytes>();
        foreach (string name in workloads)
        {
            WorkloadBenchmark workload = name switch
            {
                nameof(W1_Tutorial) => new W1_Tutorial(),
                nameof(W2_LogisticRegression) => new W2_LogisticRegression(),
                nameof(W3_Mlp) => new W3_Mlp(),
                nameof(W4_Elementwise) => new W4_Elementwise(),
                _ => throw new ArgumentException($"no such workload: {name}", nameof(workloads)),
            };
            ThreadSettings.Apply(1, peer: false);
            var runner = new CompiledRunner(workload.BuildModel(), keras: false);
            int calls = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < WarmUp || calls < 100) { runner.Run(); calls++; }
            result.Add(new CallerBytes(name, calls, Count(runner, calls)));
        }
        return result;
    }

    // Optimised from its first call: a loop in tier-0 code is moved to optimised code while it runs (on-stack
    // replacement), and that allocates on this thread (40 B in the first try) without any call of ours doing so.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static long Count(CompiledRunner runner, int calls)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) runner.Run();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
