using FunctionalAD.Bench.Peer;
using static FunctionalAD.Ex;
using TorchSharp;

namespace FunctionalAD.Bench.Workloads;

/// <summary>
/// W4: a memory-bound elementwise chain, L = Σ tanh(x ⊙ w + b) over a million elements, with
/// ∂L/∂w = (1 - tanh²(x ⊙ w + b)) ⊙ x and ∂L/∂b = 1 - tanh²(x ⊙ w + b).
/// </summary>
[WithoutKerasLoss]
public class W4_Elementwise : WorkloadBenchmark
{
    /// <summary>Vector length.</summary>
    public const int N = 1_000_000;

    /// <summary>Least memory traffic of one evaluation: read x, w and b, write ∂w and ∂b, 4 bytes each.</summary>
    public const double Bytes = 5.0 * N * sizeof(float);

    private readonly Tensor _x = Tensor.RandomNormal(new Shape(N), seed: 41);
    private readonly Tensor _w = Tensor.RandomNormal(new Shape(N), stddev: 0.5, seed: 42);
    private readonly Tensor _b = Tensor.RandomNormal(new Shape(N), stddev: 0.5, seed: 43);

    /// <inheritdoc />
    /// <remarks>No Keras loss fits Σ tanh, so the tape path writes the same sum and there is no compiled Keras-loss case.</remarks>
    public override Model BuildModel() => new(
        Data: [new("x", _x)],
        Parameters: [new("w", _w), new("b", _b)],
        Loss: (d, p) => Sum(Tanh(d[0] * p[0] + p[1])),
        KerasLoss: null);

    /// <inheritdoc />
    protected override PeerStep BuildPeer()
    {
        var x = PeerStep.Leaf(_x, requiresGrad: false);
        var w = PeerStep.Leaf(_w, requiresGrad: true);
        var b = PeerStep.Leaf(_b, requiresGrad: true);
        return new PeerStep(() => torch.addcmul(b, x, w, value: 1).tanh().sum(), [w, b], [x]);
    }
}
