using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FunctionalAD.Bench.Peer;

/// <summary>
/// TorchSharp's side of a workload, in its best case: leaf tensors with requires_grad, a forward pass, one
/// backward pass that leaves the gradients inside libtorch, and the gradients cleared (set to none, as
/// PyTorch's zero_grad does by default) so the next step starts fresh. Nothing is copied to .NET while timing.
/// </summary>
public sealed class PeerStep : IDisposable
{
    private readonly Func<TTensor> _loss;
    private readonly TTensor[] _parameters;
    private readonly TTensor[] _data;

    /// <param name="loss">Builds the scalar loss from the captured tensors.</param>
    /// <param name="parameters">Leaves whose gradients are wanted, in the order ours returns them.</param>
    /// <param name="data">The remaining tensors, kept here only so they are disposed.</param>
    public PeerStep(Func<TTensor> loss, TTensor[] parameters, TTensor[] data)
    {
        _loss = loss;
        _parameters = parameters;
        _data = data;
    }

    /// <summary>One training step's differentiation: forward, backward, clear gradients.</summary>
    public void Run()
    {
        using var scope = NewDisposeScope();
        var loss = _loss();
        loss.backward();
        foreach (var p in _parameters) p.grad = null;
    }

    /// <summary>The loss and the gradients of one step, copied out; used only to check agreement before timing.</summary>
    public float[][] ValuesForCheck()
    {
        using var scope = NewDisposeScope();
        var loss = _loss();
        loss.backward();
        var values = new List<float[]> { new[] { loss.item<float>() } };
        foreach (var p in _parameters)
        {
            values.Add(p.grad!.data<float>().ToArray());
            p.grad = null;
        }
        return values.ToArray();
    }

    /// <summary>Makes a float32 leaf tensor holding <paramref name="source"/>'s values.</summary>
    public static TTensor Leaf(FunctionalAD.Tensor source, bool requiresGrad) =>
        torch.tensor(source.ToFloatArray(), source.Shape.ToArray().Select(d => (long)d).ToArray(), requires_grad: requiresGrad);

    /// <summary>Makes the int64 class-label tensor libtorch's cross-entropy wants from int32 labels.</summary>
    public static TTensor Labels(int[] labels) => torch.tensor(labels.Select(l => (long)l).ToArray());

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _parameters.Concat(_data)) t.Dispose();
    }
}
