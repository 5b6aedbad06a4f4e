namespace FunctionalAD.Bench.Ours;

/// <summary>
/// The tape path, the way a TensorFlow user writes a training step: parameters are <see cref="Variable"/>s made
/// once; each step opens a <see cref="GradientTape"/>, builds the forward pass over this step's batch as constants
/// and the variables, takes the loss with <c>Losses.SparseCategoricalCrossentropy(fromLogits: true)</c> (the
/// workload's hand-written loss where no Keras loss fits) and asks the tape for the gradients of every variable.
/// </summary>
/// <remarks>
/// Each step also assigns the variables the next copy of their values, standing in for the optimizer's update
/// (whose arithmetic is not timed; the peer does not update either), so variables and batch are new tensor
/// objects every step, as in a training loop. The loss value is not read in the timed step (a TensorFlow loop
/// prints it every few hundred steps); <see cref="ValuesForCheck"/> reads it for the agreement check.
/// </remarks>
public sealed class TapeRunner : IOursPath
{
    private readonly Workloads.Model _model;
    private readonly Variable[] _variables;
    private readonly InputCopies _data;
    private readonly InputCopies _parameters;

    /// <summary>Makes the variables and the rotating copies of the batch and the parameter values.</summary>
    public TapeRunner(Workloads.Model model)
    {
        _model = model;
        _variables = model.Parameters.Select(p => new Variable(p.Value, p.Name)).ToArray();
        _data = new InputCopies(model.Data.Select(d => d.Value).ToArray());
        _parameters = new InputCopies(model.Parameters.Select(p => p.Value).ToArray());
    }

    /// <summary>One step: the gradient of every variable, read as tensors.</summary>
    public Tensor[] Run() => Step(out _);

    /// <inheritdoc />
    public Tensor[] ValuesForCheck()
    {
        var grads = Step(out var loss);
        return [loss.Eval(), .. grads];
    }

    private Tensor[] Step(out Expr loss)
    {
        var values = _parameters.Next();
        for (int i = 0; i < _variables.Length; i++) _variables[i].Assign(values[i]);
        var batch = _data.Next().Select(Ex.Const).Cast<Expr>().ToArray();
        using var tape = new GradientTape();
        loss = _model.LossFor(_model.KerasLoss is not null)(batch, _variables.Select(v => v.Read()).ToArray());
        var grads = tape.Gradient(loss, _variables);
        var result = new Tensor[grads.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = grads[i]?.Value ?? throw new InvalidOperationException($"the tape gave no gradient for variable '{_variables[i].Name}'");
        return result;
    }
}
