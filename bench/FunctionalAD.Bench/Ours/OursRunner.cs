namespace FunctionalAD.Bench.Ours;

/// <summary>
/// The one place that turns FunctionalAD expressions into something the benchmark calls repeatedly.
/// Built once in a benchmark's setup; <see cref="Run"/> is what is timed.
/// </summary>
/// <remarks>
/// The outputs are compiled once (<see cref="Ad.Compile"/>) and each call writes into the same result
/// tensors, the allocation-free path a training loop uses.
/// </remarks>
public sealed class OursRunner
{
    private readonly CompiledFunction _compiled;
    private readonly Tensor[] _values;
    private readonly Tensor[] _results;

    /// <summary>Prepares <paramref name="outputs"/> to be evaluated with each input bound to its value.</summary>
    public OursRunner(Expr[] outputs, Var[] inputs, Tensor[] values)
    {
        if (inputs.Length != values.Length)
            throw new ArgumentException($"{inputs.Length} inputs but {values.Length} values");
        _compiled = Ad.Compile(outputs, inputs);
        _values = values;
        _results = _compiled.CreateOutputs();
    }

    /// <summary>Evaluates all outputs (the loss and its gradients) once.</summary>
    public Tensor[] Run()
    {
        _compiled.Run(_values, _results);
        return _results;
    }
}
