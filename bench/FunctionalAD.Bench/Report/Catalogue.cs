using FunctionalAD.Bench.Children;
using FunctionalAD.Bench.Workloads;

namespace FunctionalAD.Bench.Report;

/// <summary>
/// A workload as the report names it, with the bytes of its gradients (what a step hands back) and of its largest
/// intermediate (the size of a buffer a step should not allocate beyond its results; null where intermediates are
/// too small to tell apart from the cost of building the expressions).
/// </summary>
public sealed record WorkloadInfo(string Id, string TypeName, string Description, long GradientBytes, long? ActivationBytes);

/// <summary>
/// A path a user takes, as the report names it, with its single-thread targets for ours / TorchSharp eager per
/// workload (null where the path does not apply to a workload).
/// </summary>
public sealed record PathInfo(string Method, string Name, IReadOnlyDictionary<string, double> Targets);

/// <summary>The workloads and paths in report order, with the targets FunctionalAD is held to (issue 8).</summary>
public static class Catalogue
{
    /// <summary>Every workload; <see cref="WorkloadInfo.TypeName"/> is the benchmark class that times it.</summary>
    public static readonly WorkloadInfo[] Workloads =
    [
        new("W1", nameof(W1_Tutorial), "tutorial size: x[2,4] w[4,3] b[3], softmax CE", (12 + 3) * 4, null),
        new("W2", nameof(W2_LogisticRegression), "logistic regression: x[256,784] w[784,10] b[10]", (7840 + 10) * 4, null),
        new("W3", nameof(W3_Mlp), "MLP 784-256-10 relu, batch 128",
            (W3_Mlp.Inputs * W3_Mlp.Hidden + W3_Mlp.Hidden + W3_Mlp.Hidden * W3_Mlp.Classes + W3_Mlp.Classes) * 4L, W3_Mlp.Batch * W3_Mlp.Hidden * 4L),
        new("W4", nameof(W4_Elementwise), "sum(tanh(x*w+b)), N = 1,000,000", 2L * W4_Elementwise.N * 4, W4_Elementwise.N * 4L),
    ];

    private static Dictionary<string, double> Targets(double w1, double w2, double w3, double? w4) =>
        new[] { ("W1", (double?)w1), ("W2", w2), ("W3", w3), ("W4", w4) }
            .Where(t => t.Item2 is not null).ToDictionary(t => t.Item1, t => t.Item2!.Value);

    /// <summary>The compiled path: <c>Ad.Compile</c> of the hand-written loss.</summary>
    public static readonly PathInfo Compiled = new(nameof(WorkloadBenchmark.Compiled), "compiled (`Ad.Compile`)", Targets(0.02, 0.12, 0.45, 0.1));

    /// <summary>Every path timed against the peer, in report order.</summary>
    public static readonly PathInfo[] Paths =
    [
        Compiled,
        new(nameof(WorkloadBenchmark.CompiledKeras), "compiled, Keras loss", Targets(0.02, 0.12, 0.45, null)),
        new(nameof(WorkloadBenchmark.Eval), "`Ad.Eval`, new Env per call", Targets(0.1, 0.2, 0.6, 0.15)),
        new(nameof(WorkloadBenchmark.Tape), "tape step (GradientTape + Variable + Keras loss)", Targets(0.1, 0.2, 0.6, 0.15)),
    ];

    /// <summary>Largest allowed pinned / unpinned compiled time in the one-CPU child.</summary>
    public const double OneCpuSlowdown = 1.2;

    /// <summary>Smallest fraction of the FMA peak compiled W3 must reach.</summary>
    public const double W3OfPeak = 0.75;

    /// <summary>Smallest fraction of streaming bandwidth compiled W4 must reach.</summary>
    public const double W4OfBandwidth = 0.8;

    /// <summary>Smallest speed-up of compiled W3 from 1 to 2 threads.</summary>
    public const double W3TwoThreadSpeedup = 1.6;

    /// <summary>The method the one-CPU measurements are stored under.</summary>
    public const string OneCpuMethod = ChildRun.OneCpuMethod;

    /// <summary>The method the ours-alone child's W3 measurements are stored under.</summary>
    public const string AloneMethod = ChildRun.AloneMethod;
}
