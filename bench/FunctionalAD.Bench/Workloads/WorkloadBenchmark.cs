using BenchmarkDotNet.Attributes;
using FunctionalAD.Bench.Ours;
using FunctionalAD.Bench.Peer;

namespace FunctionalAD.Bench.Workloads;

/// <summary>
/// One workload timed along every path a FunctionalAD user takes, against TorchSharp eager on the same data:
/// <see cref="Compiled"/> (<c>Ad.Compile</c> of the hand-written loss), <see cref="CompiledKeras"/> (<c>Ad.Compile</c>
/// of the loss built with <c>Losses.*</c>), <see cref="Eval"/> (<c>Ad.Eval</c> with a new environment per call),
/// <see cref="Tape"/> (a TensorFlow-style step: <c>GradientTape</c>, <c>Variable</c>s, a Keras loss) and
/// <see cref="Peer"/>. Before timing, each case's setup checks that its path computes the same loss and gradients
/// as the peer, so a fast wrong answer cannot pass.
/// </summary>
public abstract class WorkloadBenchmark
{
    private IOursPath? _ours;
    private PeerStep? _peer;

    /// <summary>Intra-op threads both libraries may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>What the workload computes: data, parameters and its loss, hand-written and (where it fits) Keras-style.</summary>
    public abstract Model BuildModel();

    /// <summary>Builds TorchSharp's step over the same data.</summary>
    protected abstract PeerStep BuildPeer();

    /// <summary>Sets up the compiled path.</summary>
    [GlobalSetup(Target = nameof(Compiled))]
    public void SetupCompiled() => Setup(model => Recorded(new CompiledRunner(model, keras: false), nameof(Compiled)), nameof(Compiled));

    /// <summary>Sets up the compiled Keras-loss path.</summary>
    [GlobalSetup(Target = nameof(CompiledKeras))]
    public void SetupCompiledKeras() => Setup(model => Recorded(new CompiledRunner(model, keras: true), nameof(CompiledKeras)), nameof(CompiledKeras));

    /// <summary>Sets up the <c>Ad.Eval</c> path.</summary>
    [GlobalSetup(Target = nameof(Eval))]
    public void SetupEval() => Setup(model => new EvalRunner(model), nameof(Eval));

    /// <summary>Sets up the tape path.</summary>
    [GlobalSetup(Target = nameof(Tape))]
    public void SetupTape() => Setup(model => new TapeRunner(model), nameof(Tape));

    /// <summary>Sets up the peer alone.</summary>
    [GlobalSetup(Target = nameof(Peer))]
    public void SetupPeer()
    {
        ThreadSettings.Apply(Threads);
        _peer = BuildPeer();
        Report.OtherProcessesCpu.Start(WorkloadName, nameof(Peer), Threads);
    }

    /// <summary>
    /// The workload class's name. BenchmarkDotNet's in-process toolchain runs an emitted subclass, so this is the
    /// first class up the hierarchy that was not emitted.
    /// </summary>
    private string WorkloadName
    {
        get
        {
            var type = GetType();
            while (type.Assembly.IsDynamic && type.BaseType is not null) type = type.BaseType;
            return type.Name;
        }
    }

    private CompiledRunner Recorded(CompiledRunner runner, string method)
    {
        CompiledPlans.Record(WorkloadName, method, runner.Describe());
        return runner;
    }

    /// <summary>
    /// Sets the thread budget and builds our path. In a child process (<see cref="Children.ChildRun.IsChild"/>)
    /// TorchSharp is never loaded: the parent already checked agreement on the same code and data.
    /// </summary>
    private void Setup(Func<Model, IOursPath> build, string path)
    {
        bool child = Children.ChildRun.IsChild;
        ThreadSettings.Apply(Threads, peer: !child);
        _ours = build(BuildModel());
        if (!child)
        {
            _peer = BuildPeer();
            Agreement.Check($"{WorkloadName}.{path}", _ours.ValuesForCheck(), _peer.ValuesForCheck());
        }
        Report.OtherProcessesCpu.Start(WorkloadName, path, Threads);
    }

    /// <summary>FunctionalAD, <c>Ad.Compile</c> of the hand-written loss: the loss and all gradients, allocation-free.</summary>
    [Benchmark]
    public Tensor[] Compiled() => _ours!.Run();

    /// <summary>FunctionalAD, <c>Ad.Compile</c> of the loss built with <c>Losses.SparseCategoricalCrossentropy(fromLogits: true)</c>.</summary>
    [Benchmark]
    public Tensor[] CompiledKeras() => _ours!.Run();

    /// <summary>FunctionalAD, <c>Ad.Eval</c> of the loss and gradients built once, with this step's values bound.</summary>
    [Benchmark]
    public Tensor[] Eval() => _ours!.Run();

    /// <summary>FunctionalAD, a TensorFlow-style step on a <c>GradientTape</c>, reading the gradients' values.</summary>
    [Benchmark]
    public Tensor[] Tape() => _ours!.Run();

    /// <summary>TorchSharp: forward, backward, clear gradients; the gradients stay inside libtorch.</summary>
    [Benchmark]
    public void Peer() => _peer!.Run();

    /// <summary>Frees the peer's native tensors.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        Report.OtherProcessesCpu.Stop();
        _peer?.Dispose();
        _peer = null;
        _ours = null;
    }
}
