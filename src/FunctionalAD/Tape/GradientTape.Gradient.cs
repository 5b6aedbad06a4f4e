namespace FunctionalAD;

public sealed partial class GradientTape
{
    /// <summary>
    /// ∂target/∂source through the recorded work: the gradient of Σ(outputGradients · target) (of Σ target
    /// when <paramref name="outputGradients"/> is null, as TensorFlow does for a non-scalar target), shaped like
    /// the source. Null (or zeros with <see cref="UnconnectedGradients.Zero"/>) when the source is not watched
    /// or the target does not depend on it through recorded work.
    /// </summary>
    public EagerTensor? Gradient(Expr target, Expr source, Expr? outputGradients = null,
        UnconnectedGradients unconnectedGradients = UnconnectedGradients.None) =>
        Gradient(target, new[] { source }, outputGradients, unconnectedGradients)[0];

    /// <summary>∂target/∂variable through the recorded work (see <see cref="Gradient(Expr, Expr, Expr?, UnconnectedGradients)"/>).</summary>
    public EagerTensor? Gradient(Expr target, Variable source, Expr? outputGradients = null,
        UnconnectedGradients unconnectedGradients = UnconnectedGradients.None) =>
        Gradient(target, new[] { source }, outputGradients, unconnectedGradients)[0];

    /// <summary>The gradients of <paramref name="target"/> with respect to several variables, one per variable in order.</summary>
    public GradientList Gradient(Expr target, IReadOnlyList<Variable> sources, Expr? outputGradients = null,
        UnconnectedGradients unconnectedGradients = UnconnectedGradients.None)
    {
        if (sources is null) throw new FunctionalADException("GradientTape.Gradient: the list of sources is null");
        return Gradient(target, sources.Select(v => (Expr)(v ?? throw new FunctionalADException("GradientTape.Gradient: a source variable is null")).Var).ToArray(),
            outputGradients, unconnectedGradients);
    }

    /// <summary>
    /// The gradients of <paramref name="target"/> with respect to several sources, one per source in order,
    /// null where TensorFlow gives None (see <see cref="Gradient(Expr, Expr, Expr?, UnconnectedGradients)"/>).
    /// </summary>
    public GradientList Gradient(Expr target, IReadOnlyList<Expr> sources, Expr? outputGradients = null,
        UnconnectedGradients unconnectedGradients = UnconnectedGradients.None)
    {
        CheckTarget(target, "Gradient");
        CheckSources(sources, "Gradient");
        CheckHow(unconnectedGradients, "Gradient");
        var seed = outputGradients ?? Ex.OnesLike(target);
        (seed, _) = Ex.Coerce(seed, target);
        if (seed.Shape != target.Shape || seed.DType != target.DType)
            throw new ShapeException($"GradientTape.Gradient: outputGradients has shape {seed.Shape} {seed.DType.Name()} but the target has shape {target.Shape} {target.DType.Name()}; they must match");
        Use("Gradient");
        try
        {
            var grads = Pullback(target, seed, sources);
            return Results(grads.Select((g, i) => g ?? Unconnected(sources[i], unconnectedGradients)).ToArray());
        }
        finally { Release(); }
    }

    /// <summary>The cotangent reaching each source through recorded work only, or null where none does.</summary>
    private Expr?[] Pullback(Expr target, Expr seed, IReadOnlyList<Expr> sources)
    {
        var watched = sources.Where(_connected.Contains).Distinct(ReferenceEqualityComparer.Instance).Cast<Expr>().ToArray();
        if (watched.Length == 0) return new Expr?[sources.Count];
        var raw = Reverse.Vjp(target, seed, watched, a => _connected.Contains(a));
        var bySource = new Dictionary<Expr, Expr?>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < watched.Length; i++) bySource[watched[i]] = raw[i];
        return sources.Select(s => bySource.TryGetValue(s, out var g) ? g : null).ToArray();
    }

    /// <summary>Refuses an undefined <see cref="UnconnectedGradients"/> value before any work, not only when it is needed.</summary>
    private static void CheckHow(UnconnectedGradients how, string what)
    {
        if (how is not (UnconnectedGradients.None or UnconnectedGradients.Zero))
            throw new FunctionalADException($"GradientTape.{what}: {(int)how} is not an UnconnectedGradients value; use None or Zero");
    }

    private static Expr? Unconnected(Expr source, UnconnectedGradients how) => how switch
    {
        UnconnectedGradients.None => null,
        UnconnectedGradients.Zero => Ex.ZerosLike(source),
        _ => throw new FunctionalADException($"GradientTape: unknown UnconnectedGradients value {how}"),
    };

    /// <summary>Wraps results as eager tensors, evaluating them together (shared work once) when they can be.</summary>
    private static GradientList Results(Expr?[] exprs)
    {
        var present = exprs.Where(e => e is not null).Cast<Expr>().ToArray();
        Tensor[]? values = present.Length > 0 && EagerTensor.Evaluable(present) ? Ad.Eval(present) : null;
        var items = new EagerTensor?[exprs.Length];
        for (int i = 0, k = 0; i < exprs.Length; i++)
            if (exprs[i] is { } e) items[i] = new EagerTensor(e, values?[k++]);
        return new GradientList(items);
    }

    private static void CheckSources(IReadOnlyList<Expr> sources, string what)
    {
        if (sources is null) throw new FunctionalADException($"GradientTape.{what}: the list of sources is null");
        for (int i = 0; i < sources.Count; i++)
        {
            if (sources[i] is null) throw new FunctionalADException($"GradientTape.{what}: source {i} is null");
            if (!sources[i].DType.IsFloat())
                throw new DTypeException($"GradientTape.{what}: source {i} ({sources[i]}) is {sources[i].DType.Name()}; only float tensors have gradients");
        }
    }

    private static void CheckTarget(Expr target, string what)
    {
        if (target is null) throw new FunctionalADException($"GradientTape.{what}: the target is null");
        if (!target.DType.IsFloat())
            throw new DTypeException($"GradientTape.{what}: the target {target} is {target.DType.Name()}; only float targets have gradients");
    }

    /// <summary>
    /// Claims the tape for one computation: a non-persistent tape allows only one, and stops recording at its
    /// first, so the gradient's own work is not recorded on it (TensorFlow does the same).
    /// </summary>
    private void Use(string what)
    {
        if (_used)
            throw new TapeException($"GradientTape.{what}: this tape is not persistent, and a non-persistent tape computes only one set of gradients " +
                "(or one Jacobian); it already did. Create it with new GradientTape(persistent: true) to call Gradient or Jacobian more than once.");
        if (!Persistent)
        {
            _used = true;
            Halt();
        }
    }

    /// <summary>A non-persistent tape lets go of what it recorded once its one computation is done.</summary>
    private void Release()
    {
        if (!Persistent) _connected.Clear();
    }
}
