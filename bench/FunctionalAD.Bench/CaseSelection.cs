using System.Reflection;
using BenchmarkDotNet.Running;
using FunctionalAD.Bench.Workloads;

namespace FunctionalAD.Bench;

/// <summary>Which benchmark cases a run times, on top of the user's <c>--filter</c>.</summary>
internal static class CaseSelection
{
    private static readonly string[] OneThreadPaths =
        [nameof(WorkloadBenchmark.Tape), nameof(WorkloadBenchmark.Eval), nameof(WorkloadBenchmark.CompiledKeras)];

    /// <summary>
    /// Leaves out the compiled Keras-loss case of a workload without a Keras loss; in the one-CPU child keeps only
    /// the compiled path on one thread, in the ours-alone child only compiled W3; otherwise runs the tape, Eval and
    /// Keras paths on one thread only (their targets are for one thread) unless <see cref="BenchOptions.AllThreads"/>.
    /// </summary>
    public static bool Include(BenchmarkCase bench, BenchOptions options, Children.ChildKind child)
    {
        string method = bench.Descriptor.WorkloadMethod.Name;
        if (method == nameof(WorkloadBenchmark.CompiledKeras) && bench.Descriptor.Type.GetCustomAttribute<WithoutKerasLossAttribute>() is not null)
            return false;
        int threads = Threads(bench);
        if (child == Children.ChildKind.OneCpu) return method == nameof(WorkloadBenchmark.Compiled) && threads == 1;
        if (child == Children.ChildKind.Alone) return method == nameof(WorkloadBenchmark.Compiled) && bench.Descriptor.Type == typeof(W3_Mlp);
        return options.AllThreads || threads == 1 || !OneThreadPaths.Contains(method);
    }

    /// <summary>The case's Threads parameter (1 when it has none).</summary>
    public static int Threads(BenchmarkCase bench) =>
        bench.Parameters.Items.FirstOrDefault(p => p.Name == "Threads")?.Value is int t ? t : 1;
}
