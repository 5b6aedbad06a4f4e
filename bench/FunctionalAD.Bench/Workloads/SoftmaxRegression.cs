using FunctionalAD.Bench.Peer;
using static FunctionalAD.Ex;
using TorchSharp;

namespace FunctionalAD.Bench.Workloads;

/// <summary>
/// A linear layer under mean softmax cross-entropy from logits:
/// L = mean_i( -Σ_c onehot(y)_ic · log softmax(x w + b)_ic ), with ∂L/∂w and ∂L/∂b.
/// </summary>
public abstract class SoftmaxRegression : WorkloadBenchmark
{
    private readonly int _classes;
    private readonly Tensor _x, _w, _b;
    private readonly int[] _labels;

    /// <summary>Seeded data of the given sizes; x and w standard normal, b zero.</summary>
    protected SoftmaxRegression(int batch, int features, int classes, int[] labels, long seed)
    {
        _classes = classes;
        _labels = labels;
        _x = Tensor.RandomNormal(new Shape(batch, features), seed: seed);
        _w = Tensor.RandomNormal(new Shape(features, classes), stddev: 1 / Math.Sqrt(features), seed: seed + 1);
        _b = Tensor.RandomNormal(new Shape(classes), stddev: 0.1, seed: seed + 2);
    }

    /// <inheritdoc />
    public override Model BuildModel() => new(
        Data: [new("x", _x), new("y", Tensor.From(_labels))],
        Parameters: [new("w", _w), new("b", _b)],
        Loss: (d, p) => Mean(-Sum(OneHot(d[1], _classes) * LogSoftmax(MatMul(d[0], p[0]) + p[1]), 1)),
        KerasLoss: (d, p) => Mean(Losses.SparseCategoricalCrossentropy(d[1], MatMul(d[0], p[0]) + p[1], fromLogits: true)));

    /// <inheritdoc />
    protected override PeerStep BuildPeer()
    {
        var x = PeerStep.Leaf(_x, requiresGrad: false);
        var y = PeerStep.Labels(_labels);
        var w = PeerStep.Leaf(_w, requiresGrad: true);
        var b = PeerStep.Leaf(_b, requiresGrad: true);
        return new PeerStep(() => torch.nn.functional.cross_entropy(torch.addmm(b, x, w, beta: 1, alpha: 1), y), [w, b], [x, y]);
    }

    /// <summary>Seeded uniformly random class labels.</summary>
    protected static int[] RandomLabels(int count, int classes, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(classes)).ToArray();
    }
}

/// <summary>W1: the tutorial's size, x[2,4], w[4,3], b[3], labels [2, 0].</summary>
public class W1_Tutorial() : SoftmaxRegression(batch: 2, features: 4, classes: 3, labels: [2, 0], seed: 1);

/// <summary>W2: logistic regression on MNIST-sized input, x[256,784], w[784,10], b[10], seeded random labels.</summary>
public class W2_LogisticRegression() : SoftmaxRegression(batch: 256, features: 784, classes: 10, labels: RandomLabels(256, 10, seed: 2), seed: 2);
