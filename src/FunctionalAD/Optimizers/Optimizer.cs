namespace FunctionalAD;

/// <summary>
/// A first-order optimizer with Keras's update rules, usable two ways:
/// functionally, as a pure map (parameters, gradients, state) → (new parameters, new state) with
/// <see cref="Init"/> and <see cref="Update"/>; or in TensorFlow's tape style, updating <see cref="Variable"/>s in
/// place with <see cref="Apply(IReadOnlyList{EagerTensor}, IReadOnlyList{Variable})"/> (Keras's
/// <c>apply_gradients</c>), the optimizer keeping each variable's slots itself.
/// </summary>
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
    /// One parameter's update at step <paramref name="step"/> (1 for the first): the new parameter and slots,
    /// computed element by element in float64 from old values.
    /// </summary>
    private protected abstract void Step(long step, double[] grad, double[] param, double[][] slots);

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
        var next = new Tensor[parameters.Count];
        var slots = new IReadOnlyList<Tensor>[parameters.Count];
        for (int i = 0; i < next.Length; i++)
            (next[i], slots[i]) = StepOne(step, parameters[i], gradients[i], state.Slots[i], $"parameter {i}");
        return (next, new OptimizerState(step, slots));
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
        var updates = new List<(Variable, Tensor, IReadOnlyList<Tensor>)>();
        for (int i = 0; i < variables.Count; i++)
        {
            var v = variables[i] ?? throw new FunctionalADException($"{GetType().Name}.Apply: variable {i} is null");
            if (gradients[i] is not { } g) continue;
            var slots = _slots.TryGetValue(v, out var s) ? s : ZeroSlots(v.Value);
            var (p, ns) = StepOne(step, v.Value, g, slots, $"variable '{v.Name}'");
            updates.Add((v, p, ns));
        }
        foreach (var (v, p, s) in updates)
        {
            v.Assign(p);
            _slots[v] = s;
        }
        Iterations = step;
    }

    private IReadOnlyList<Tensor> ZeroSlots(Tensor p) =>
        Enumerable.Range(0, SlotCount).Select(_ => Tensor.Zeros(p.Shape, p.DType)).ToArray();

    private (Tensor, IReadOnlyList<Tensor>) StepOne(long step, Tensor param, Tensor grad, IReadOnlyList<Tensor> slots, string what)
    {
        string op = GetType().Name;
        if (param is null || grad is null) throw new FunctionalADException($"{op}: {what} or its gradient is null");
        if (!param.DType.IsFloat()) throw new DTypeException($"{op}: {what} is {param.DType.Name()}; only float parameters can be optimized");
        if (grad.Shape != param.Shape || grad.DType != param.DType)
            throw new ShapeException($"{op}: the gradient of {what} has shape {grad.Shape} {grad.DType.Name()} but the parameter has shape {param.Shape} {param.DType.Name()}; they must match");
        if (slots.Count != SlotCount || slots.Any(s => s.Shape != param.Shape))
            throw new ShapeException($"{op}: the state for {what} does not fit it; make the state with Init for these parameters");
        var p = param.ToDoubleArray();
        var s = slots.Select(t => t.ToDoubleArray()).ToArray();
        Step(step, grad.ToDoubleArray(), p, s);
        return (Tensor.FromDoubles(p, param.Shape, param.DType), s.Select(a => Tensor.FromDoubles(a, param.Shape, param.DType)).ToArray());
    }
}
