namespace FunctionalAD.Bench.Ours;

/// <summary>
/// The one place that turns FunctionalAD expressions into something the benchmark calls repeatedly:
/// <c>Ad.Compile</c> once in a benchmark's setup, then the allocation-free <see cref="CompiledFunction.Run(ReadOnlySpan{Tensor}, Span{Tensor})"/>,
/// which is what is timed.
/// </summary>
public sealed class OursRunner
{
    private readonly CompiledFunction _compiled;
    private readonly Tensor[] _values;
    private readonly Tensor[] _results;

    /// <summary>Compiles <paramref name="outputs"/> over <paramref name="inputs"/>, to be run with <paramref name="values"/>.</summary>
    public OursRunner(Expr[] outputs, Expr[] inputs, Tensor[] values)
    {
        if (inputs.Length != values.Length)
            throw new ArgumentException($"{inputs.Length} inputs but {values.Length} values");
        _compiled = Ad.Compile(outputs, inputs);
        _values = values;
        _results = _compiled.CreateOutputs();
    }

    /// <summary>Evaluates all outputs (the loss and its gradients) once, into the same output tensors each time.</summary>
    public Tensor[] Run()
    {
        _compiled.Run(_values, _results);
        return _results;
    }
}
