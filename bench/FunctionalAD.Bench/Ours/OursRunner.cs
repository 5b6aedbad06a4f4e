namespace FunctionalAD.Bench.Ours;

/// <summary>
/// The one place that turns FunctionalAD expressions into something the benchmark calls repeatedly.
/// Built once in a benchmark's setup; <see cref="Run"/> is what is timed.
/// </summary>
/// <remarks>
/// MERGE: this still goes through <c>Ad.Lower(outputs)</c> and <c>Plan.Run(env)</c>. When
/// <c>Ad.Compile(Expr[] outputs, params Var[] inputs)</c> lands, replace the body with
/// <c>_compiled = Ad.Compile(outputs, inputs)</c> in the constructor and
/// <c>_compiled.Run(_values, _results); return _results;</c> in <see cref="Run"/>; nothing else changes.
/// </remarks>
public sealed class OursRunner
{
    private readonly Plan _plan;
    private readonly Env _env;

    /// <summary>Prepares <paramref name="outputs"/> to be evaluated with each input bound to its value.</summary>
    public OursRunner(Expr[] outputs, Var[] inputs, Tensor[] values)
    {
        if (inputs.Length != values.Length)
            throw new ArgumentException($"{inputs.Length} inputs but {values.Length} values");
        _plan = Ad.Lower(outputs);
        _env = Env.Of(inputs.Zip(values, (v, t) => (v, t)).ToArray());
    }

    /// <summary>Evaluates all outputs (the loss and its gradients) once.</summary>
    public Tensor[] Run() => _plan.Run(_env);
}
