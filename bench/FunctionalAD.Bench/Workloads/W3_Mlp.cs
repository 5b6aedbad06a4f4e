using FunctionalAD.Bench.Peer;
using static FunctionalAD.Ex;
using TorchSharp;

namespace FunctionalAD.Bench.Workloads;

/// <summary>
/// W3: a 784-256-10 perceptron with relu on a batch of 128 under mean softmax cross-entropy:
/// L = mean CE(relu(x w1 + b1) w2 + b2, y), with the gradients of w1, b1, w2 and b2.
/// </summary>
public class W3_Mlp : WorkloadBenchmark
{
    /// <summary>Batch, input, hidden and output widths.</summary>
    public const int Batch = 128, Inputs = 784, Hidden = 256, Classes = 10;

    /// <summary>
    /// Multiply-adds counted as 2 FLOPs: forward x·w1 and h·w2, backward h^T·g (∂w2), g·w2^T (∂h) and x^T·g (∂w1).
    /// The gradient of x is not wanted, so its product is not counted; elementwise work is not counted either.
    /// </summary>
    public const double Flops = 2.0 * Batch * (2.0 * Inputs * Hidden + 3.0 * Hidden * Classes);

    private readonly Tensor _x = Tensor.RandomUniform(new Shape(Batch, Inputs), seed: 31);
    private readonly Tensor _w1 = Tensor.RandomNormal(new Shape(Inputs, Hidden), stddev: Math.Sqrt(2.0 / Inputs), seed: 32);
    private readonly Tensor _b1 = Tensor.RandomNormal(new Shape(Hidden), stddev: 0.1, seed: 33);
    private readonly Tensor _w2 = Tensor.RandomNormal(new Shape(Hidden, Classes), stddev: Math.Sqrt(2.0 / Hidden), seed: 34);
    private readonly Tensor _b2 = Tensor.RandomNormal(new Shape(Classes), stddev: 0.1, seed: 35);
    private readonly int[] _labels = Enumerable.Range(0, Batch).Select(i => (i * 7 + 3) % Classes).ToArray();

    /// <inheritdoc />
    public override Model BuildModel() => new(
        Data: [new("x", _x), new("y", Tensor.From(_labels))],
        Parameters: [new("w1", _w1), new("b1", _b1), new("w2", _w2), new("b2", _b2)],
        Loss: (d, p) => Mean(-Sum(OneHot(d[1], Classes) * LogSoftmax(Logits(d[0], p)), 1)),
        KerasLoss: (d, p) => Mean(Losses.SparseCategoricalCrossentropy(d[1], Logits(d[0], p), fromLogits: true)));

    private static Expr Logits(Expr x, Expr[] p) => MatMul(Relu(MatMul(x, p[0]) + p[1]), p[2]) + p[3];

    /// <inheritdoc />
    protected override PeerStep BuildPeer()
    {
        var x = PeerStep.Leaf(_x, requiresGrad: false);
        var y = PeerStep.Labels(_labels);
        var w1 = PeerStep.Leaf(_w1, requiresGrad: true);
        var b1 = PeerStep.Leaf(_b1, requiresGrad: true);
        var w2 = PeerStep.Leaf(_w2, requiresGrad: true);
        var b2 = PeerStep.Leaf(_b2, requiresGrad: true);
        return new PeerStep(
            () => torch.nn.functional.cross_entropy(torch.addmm(b2, torch.addmm(b1, x, w1, beta: 1, alpha: 1).relu(), w2, beta: 1, alpha: 1), y),
            [w1, b1, w2, b2], [x, y]);
    }
}
