using BenchmarkDotNet.Attributes;
using FunctionalAD.Bench.Ours;
using FunctionalAD.Bench.Peer;

namespace FunctionalAD.Bench.Workloads;

/// <summary>
/// One workload timed on both sides with the same data: FunctionalAD evaluating the loss and its gradients from
/// expressions built once, and TorchSharp running forward, backward and clearing the gradients. Before timing,
/// setup checks that both sides compute the same numbers, so a fast wrong answer cannot pass.
/// </summary>
public abstract class WorkloadBenchmark
{
    private OursRunner? _ours;
    private PeerStep? _peer;

    /// <summary>Intra-op threads both libraries may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds FunctionalAD's runner: outputs are the loss first, then the gradients.</summary>
    protected abstract OursRunner BuildOurs();

    /// <summary>Builds TorchSharp's step over the same data.</summary>
    protected abstract PeerStep BuildPeer();

    /// <summary>Sets the thread budget, builds both sides and checks they agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        ThreadSettings.Apply(Threads);
        _ours = BuildOurs();
        _peer = BuildPeer();
        Agreement.Check(GetType().Name, _ours.Run(), _peer.ValuesForCheck());
    }

    /// <summary>FunctionalAD: the loss and all gradients.</summary>
    [Benchmark]
    public Tensor[] Ours() => _ours!.Run();

    /// <summary>TorchSharp: forward, backward, clear gradients; the gradients stay inside libtorch.</summary>
    [Benchmark]
    public void Peer() => _peer!.Run();

    /// <summary>Frees the peer's native tensors.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _peer?.Dispose();
        _peer = null;
        _ours = null;
    }
}
