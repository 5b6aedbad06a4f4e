using FunctionalAD.Bench.Workloads;

namespace FunctionalAD.Bench.Report;

/// <summary>A workload as the report names it, with its single-thread target for ours / peer.</summary>
public sealed record WorkloadInfo(string Id, string TypeName, string Description, double Target);

/// <summary>The workloads in report order, with the targets FunctionalAD is held to.</summary>
public static class Catalogue
{
    /// <summary>Every workload; <see cref="WorkloadInfo.TypeName"/> is the benchmark class that times it.</summary>
    public static readonly WorkloadInfo[] Workloads =
    [
        new("W1", nameof(W1_Tutorial), "tutorial size: x[2,4] w[4,3] b[3], softmax CE", 0.05),
        new("W2", nameof(W2_LogisticRegression), "logistic regression: x[256,784] w[784,10] b[10]", 0.2),
        new("W3", nameof(W3_Mlp), "MLP 784-256-10 relu, batch 128", 0.8),
        new("W4", nameof(W4_Elementwise), "sum(tanh(x*w+b)), N = 1,000,000", 0.35),
    ];
}
