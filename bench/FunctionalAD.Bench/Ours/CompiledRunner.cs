namespace FunctionalAD.Bench.Ours;

/// <summary>
/// The compiled path: the loss and its gradients built once over variables for every input, compiled once with
/// <c>Ad.Compile</c>, then run with the allocation-free <see cref="CompiledFunction.Run(ReadOnlySpan{Tensor}, Span{Tensor})"/>
/// into the same output tensors each call. Data and labels are inputs, not constants, so nothing is folded away.
/// </summary>
public sealed class CompiledRunner : IOursPath
{
    private readonly CompiledFunction _compiled;
    private readonly Tensor[] _values;
    private readonly Tensor[] _results;

    /// <summary>Compiles the model's loss (its Keras form when <paramref name="keras"/>) and its gradients.</summary>
    public CompiledRunner(Workloads.Model model, bool keras)
    {
        var inputs = model.All.Select(i => Ex.Var(i.Name, i.Value.Shape, i.Value.DType)).ToArray();
        var data = inputs[..model.Data.Length];
        var parameters = inputs[model.Data.Length..];
        var loss = model.LossFor(keras)(data, parameters);
        _compiled = Ad.Compile([loss, .. Ad.GradOf(loss, parameters)], inputs);
        _values = model.All.Select(i => i.Value).ToArray();
        _results = _compiled.CreateOutputs();
    }

    /// <summary>The loss and all gradients, written into the same output tensors every call.</summary>
    public Tensor[] Run()
    {
        _compiled.Run(_values, _results);
        return _results;
    }

    /// <inheritdoc />
    public Tensor[] ValuesForCheck() => Run().ToArray();

    /// <summary>The compiled plan, as <see cref="CompiledFunction.Describe"/> prints it.</summary>
    public string Describe() => _compiled.Describe();
}
