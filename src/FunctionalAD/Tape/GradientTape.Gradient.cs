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
        var leaves = new Expr[sources.Count];
        for (int i = 0; i < leaves.Length; i++)
            leaves[i] = (sources[i] ?? throw new FunctionalADException("GradientTape.Gradient: a source variable is null")).Var;
        return Gradient(target, leaves, outputGradients, unconnectedGradients);
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
            if (!TapeRecorder.AnyRecording && Cached(target, seed, sources) is { } cached)
            {
                for (int i = 0; i < cached.Length; i++) cached[i] ??= Wrap(Unconnected(sources[i], unconnectedGradients));
                return new GradientList(cached);
            }
            var grads = Pullback(target, seed, sources);
            return Results(grads.Select((g, i) => g ?? Unconnected(sources[i], unconnectedGradients)).ToArray());
        }
        finally { Release(); }
    }

    /// <summary>The cotangent reaching each source through recorded work only, or null where none does.</summary>
    private Expr?[] Pullback(Expr target, Expr seed, IReadOnlyList<Expr> sources)
    {
        var groups = sources.Select(NodesOf).ToArray();
        var watched = groups.SelectMany(g => g).Where(n => _connected.Contains(n)).Distinct(ReferenceEqualityComparer.Instance).Cast<Expr>().ToArray();
        if (watched.Length == 0) return new Expr?[sources.Count];
        var raw = Reverse.Vjp(target, seed, watched, a => _connected.Contains(a));
        var bySource = new Dictionary<Expr, Expr?>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < watched.Length; i++) bySource[watched[i]] = raw[i];
        return groups.Select(g => SumOf(g.Select(n => bySource.GetValueOrDefault(n)))).ToArray();
    }

    /// <summary>The sum of the cotangents that reach the nodes of one source (a variable read several times), or null if none does.</summary>
    internal static Expr? SumOf(IEnumerable<Expr?> parts)
    {
        Expr? sum = null;
        foreach (var p in parts)
            if (p is not null) sum = sum is null ? p : sum + p;
        return sum;
    }

    /// <summary>
    /// The gradients from the compiled plan cached for the structure of the recorded work (deriving and compiling
    /// it when this structure is due, see <see cref="Settings.CompileAfterUses"/>), or null to take the direct path.
    /// The results' expressions are built only if asked for.
    /// </summary>
    private EagerTensor?[]? Cached(Expr target, Expr seed, IReadOnlyList<Expr> sources)
    {
        var a = Abstracted.Run(new[] { target, seed }, GradientPlan.Kind, _connected);
        try
        {
            return Cached(a, sources);
        }
        finally { a.Recycle(); }
    }

    private EagerTensor?[]? Cached(Abstracted a, IReadOnlyList<Expr> sources)
    {
        if (a.HasEmpty) return null;
        foreach (var leaf in a.Leaves)
            if (leaf is Var { Current: null }) return null;
        var through = a.Connected;
        a.Code.Add(-1);
        a.Code.AddRange(through);
        var groups = new int[sources.Count][];
        for (int g = 0; g < groups.Length; g++)
        {
            groups[g] = GroupOf(sources[g], a);
            a.Code.Add(-2 - groups[g].Length);
            a.Code.AddRange(groups[g]);
        }
        var values = a.Bind(Env.Empty);
        var (entry, uses) = PlanCache.Touch(a.CodeSpan);
        var plan = Engine.Compiled(entry, uses, 3 * a.Work, (a, through, groups), static s => GradientPlan.Build(s.a, s.through, s.groups));
        if (plan is null) return null;
        return plan.Run(values, a.Leaves);
    }

    /// <summary>
    /// The distinct positions in the graph of a source's nodes that the tape connected, in order. A variable read once
    /// in the step (the usual case) is answered without listing its nodes.
    /// </summary>
    private int[] GroupOf(Expr source, Abstracted a)
    {
        if (WatchedOf(source) is { FirstRead: { } first, MoreReads: null } w)
        {
            int leaf = ConnectedAt(w.Variable.Var, a), read = ConnectedAt(first, a);
            if (leaf < 0) return read < 0 ? [] : [read];
            return read < 0 || read == leaf ? [leaf] : [leaf, read];
        }
        return GroupOf(NodesOf(source), a);
    }

    /// <summary>The position of <paramref name="n"/> in the graph if the tape connected it, else -1.</summary>
    private int ConnectedAt(Expr n, Abstracted a) => _connected.Contains(n) && a.PositionOf(n) is int at and >= 0 ? at : -1;

    private int[] GroupOf(Expr[] nodes, Abstracted a)
    {
        var found = new List<int>(nodes.Length);
        foreach (var n in nodes)
            if (_connected.Contains(n) && a.PositionOf(n) is int at and >= 0 && !found.Contains(at)) found.Add(at);
        return found.ToArray();
    }

    private static EagerTensor? Wrap(Expr? e) => e is null ? null : Results(new[] { e })[0];

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
    private static GradientList Results(Expr?[] exprs) => new(Evaluated(exprs));

    private static EagerTensor?[] Evaluated(Expr?[] exprs)
    {
        var present = exprs.Where(e => e is not null).Cast<Expr>().ToArray();
        Tensor[]? values = present.Length > 0 && EagerTensor.Evaluable(present) ? Ad.Eval(present) : null;
        var items = new EagerTensor?[exprs.Length];
        for (int i = 0, k = 0; i < exprs.Length; i++)
            if (exprs[i] is { } e) items[i] = new EagerTensor(e, values?[k++]);
        return items;
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
        if (!Persistent) Forget();
    }
}
