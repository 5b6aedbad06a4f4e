namespace FunctionalAD.Bench.Ours;

/// <summary>
/// The <c>Ad.Eval</c> path, as the README's tour shows it first: the loss and its gradients built once as
/// expressions over variables, then per call a new <see cref="Env"/> binding every variable to this step's
/// values (fresh tensor objects each call, see <see cref="InputCopies"/>) and <c>Ad.Eval([loss, ..grads], env)</c>.
/// </summary>
public sealed class EvalRunner : IOursPath
{
    private readonly Expr[] _outputs;
    private readonly Expr[] _inputs;
    private readonly InputCopies _values;

    /// <summary>Builds the model's hand-written loss and its gradients over one variable per input.</summary>
    public EvalRunner(Workloads.Model model)
    {
        var inputs = model.All.Select(i => Ex.Var(i.Name, i.Value.Shape, i.Value.DType)).ToArray();
        var parameters = inputs[model.Data.Length..];
        var loss = model.Loss(inputs[..model.Data.Length], parameters);
        _outputs = [loss, .. Ad.GradOf(loss, parameters)];
        _inputs = [.. inputs];
        _values = new InputCopies(model.All.Select(i => i.Value).ToArray());
    }

    /// <summary>The loss and all gradients, as new tensors, from this step's bindings.</summary>
    public Tensor[] Run()
    {
        var values = _values.Next();
        var env = Env.Empty;
        for (int i = 0; i < _inputs.Length; i++) env = env.Bind((Var)_inputs[i], values[i]);
        return Ad.Eval(_outputs, env);
    }

    /// <inheritdoc />
    public Tensor[] ValuesForCheck() => Run();
}
