namespace FunctionalAD;

/// <summary>
/// A first-order optimizer with Keras's update rules, usable two ways:
/// functionally, as a pure map (parameters, gradients, state) → (new parameters, new state) with
/// <see cref="Init"/> and <see cref="Update"/>; or in TensorFlow's tape style, updating <see cref="Variable"/>s in
/// place with <see cref="Apply(IReadOnlyList{EagerTensor}, IReadOnlyList{Variable})"/> (Keras's
/// <c>apply_gradients</c>), the optimizer keeping each variable's slots itself.
/// </summary>
/// <remarks>
/// A step computes every parameter's update in one evaluation through the compiled engine: the update rule is an
/// expression whose parameters, gradients, slots and hyperparameters (learning rate, Adam's bias-corrected step)
/// are inputs, so all steps, and all optimizers of one kind, share one compiled plan per model structure.
/// Arithmetic is in the parameters' dtype, as Keras does it.
/// </remarks>
public abstract class Optimizer
{
    private readonly Dictionary<Variable, IReadOnlyList<Tensor>> _slots = new(ReferenceEqualityComparer.Instance);

    /// <summary>An optimizer with step size <paramref name="learningRate"/>.</summary>
    protected Optimizer(double learningRate)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
            throw new FunctionalADException($"{GetType().Name}: learningRate must be a positive number, got {learningRate}");
        LearningRate = learningRate;
    }

    /// <summary>The step size.</summary>
    public double LearningRate { get; }

    /// <summary>Steps taken by <see cref="Apply(IReadOnlyList{Tensor}, IReadOnlyList{Variable})"/> (the functional style counts in its state).</summary>
    public long Iterations { get; private set; }

    /// <summary>Number of slot tensors kept per parameter.</summary>
    private protected abstract int SlotCount { get; }

    /// <summary>
    /// One parameter's update at step <paramref name="step"/> (1 for the first), as expressions: the new parameter
    /// followed by its new slots. Hyperparameters enter through <paramref name="scalar"/>, as constants rather than
    /// literals, so every step and every instance of the optimizer shares one compiled update.
    /// </summary>
    private protected abstract Expr[] Rule(long step, Expr param, Expr grad, Expr[] slots, Func<double, Expr> scalar);

    /// <summary>The state before the first step: zero slots for each parameter.</summary>
    public OptimizerState Init(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new OptimizerState(0, parameters.Select(p => ZeroSlots(p ?? throw new FunctionalADException($"{GetType().Name}.Init: a parameter is null"))).ToArray());
    }

    /// <summary>
    /// One step, functionally: new parameters and state from the old ones and the gradients (one per parameter,
    /// same shape and dtype). Nothing is modified.
    /// </summary>
    public (Tensor[] Parameters, OptimizerState State) Update(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> gradients, OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(state);
        if (gradients.Count != parameters.Count || state.Slots.Count != parameters.Count)
            throw new FunctionalADException($"{GetType().Name}.Update: {parameters.Count} parameters, {gradients.Count} gradients and state for {state.Slots.Count}; give one gradient per parameter and the state Init made for them");
        long step = state.Iterations + 1;
        var items = new (Tensor, Tensor, IReadOnlyList<Tensor>, string)[parameters.Count];
        for (int i = 0; i < items.Length; i++) items[i] = (parameters[i], gradients[i], state.Slots[i], $"parameter {i}");
        var results = Steps(step, items);
        return (results.Select(r => r.Param).ToArray(), new OptimizerState(step, results.Select(r => r.Slots).ToArray()));
    }

    /// <summary>
    /// One step on variables, in place, as Keras's <c>apply_gradients(zip(grads, vars))</c>. A null gradient
    /// (a variable the loss does not depend on) leaves its variable as it is.
    /// </summary>
    public void Apply(IReadOnlyList<EagerTensor?> gradients, IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        Apply(gradients.Select(g => g?.Value).ToArray(), variables);
    }

    /// <summary>One step on variables, in place, from gradient values (null leaves a variable as it is).</summary>
    public void Apply(IReadOnlyList<Tensor?> gradients, IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(variables);
        if (gradients.Count != variables.Count)
            throw new FunctionalADException($"{GetType().Name}.Apply: {gradients.Count} gradients for {variables.Count} variables; give one per variable");
        long step = Iterations + 1;
        // Compute every update before assigning any, so a bad gradient leaves all variables untouched.
        var items = new List<(Tensor, Tensor, IReadOnlyList<Tensor>, string)>();
        var updated = new List<Variable>();
        for (int i = 0; i < variables.Count; i++)
        {
            var v = variables[i] ?? throw new FunctionalADException($"{GetType().Name}.Apply: variable {i} is null");
            if (gradients[i] is not { } g) continue;
            var slots = _slots.TryGetValue(v, out var s) ? s : ZeroSlots(v.Value);
            items.Add((v.Value, g, slots, $"variable '{v.Name}'"));
            updated.Add(v);
        }
        var results = Steps(step, items);
        for (int i = 0; i < results.Length; i++)
        {
            updated[i].Assign(results[i].Param);
            _slots[updated[i]] = results[i].Slots;
        }
        Iterations = step;
    }

    private IReadOnlyList<Tensor> ZeroSlots(Tensor p) =>
        Enumerable.Range(0, SlotCount).Select(_ => Tensor.Zeros(p.Shape, p.DType)).ToArray();

    /// <summary>
    /// Checks every (parameter, gradient, slots) and computes all their updates in one evaluation, through the
    /// compiled plan cached for the structure of this step (parameters and hyperparameters are its inputs).
    /// </summary>
    private (Tensor Param, IReadOnlyList<Tensor> Slots)[] Steps(long step, IReadOnlyList<(Tensor Param, Tensor Grad, IReadOnlyList<Tensor> Slots, string What)> items)
    {
        var outputs = new List<Expr>();
        foreach (var (param, grad, slots, what) in items)
        {
            Check(param, grad, slots, what);
            var dtype = param.DType;
            var rule = Rule(step, Ex.Const(param), Ex.Const(grad), slots.Select(t => (Expr)Ex.Const(t)).ToArray(),
                v => Ex.Const(Tensor.Full(Shape.Scalar, v, dtype)));
            outputs.AddRange(rule);
        }
        var values = outputs.Count == 0 ? [] : Ad.Eval(outputs.ToArray());
        var results = new (Tensor, IReadOnlyList<Tensor>)[items.Count];
        for (int i = 0, k = 0; i < results.Length; i++, k += 1 + SlotCount)
            results[i] = (values[k], values.AsSpan(k + 1, SlotCount).ToArray());
        return results;
    }

    private void Check(Tensor param, Tensor grad, IReadOnlyList<Tensor> slots, string what)
    {
        string op = GetType().Name;
        if (param is null || grad is null) throw new FunctionalADException($"{op}: {what} or its gradient is null");
        if (!param.DType.IsFloat()) throw new DTypeException($"{op}: {what} is {param.DType.Name()}; only float parameters can be optimized");
        if (grad.Shape != param.Shape || grad.DType != param.DType)
            throw new ShapeException($"{op}: the gradient of {what} has shape {grad.Shape} {grad.DType.Name()} but the parameter has shape {param.Shape} {param.DType.Name()}; they must match");
        if (slots.Count != SlotCount || slots.Any(s => s.Shape != param.Shape || s.DType != param.DType))
            throw new ShapeException($"{op}: the state for {what} does not fit it; make the state with Init for these parameters");
    }
}
