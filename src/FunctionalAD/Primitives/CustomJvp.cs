namespace FunctionalAD;

/// <summary>
/// A function with a user-given forward rule (JAX's <c>custom_jvp</c>): its value is the forward body
/// f(x₁..xₙ), and its tangent is the rule's ẏ = rule(x, ẋ) in place of Σᵢ ∂f/∂xᵢ ẋᵢ. Reverse mode transposes
/// the rule, as JAX does: when ẏ is linear in the tangents ẋ (checked symbolically: the rule's own VJP with
/// respect to ẋ must not depend on ẋ), x̄ᵢ = (∂ẏ/∂ẋᵢ)ᵀ ȳ; otherwise reverse mode is refused with a clear error.
/// Both rules are expressions over x, so higher derivatives differentiate them.
/// </summary>
public sealed class CustomJvpOp : CustomRuleOp
{
    private readonly Func<Expr[], Expr[], Expr> _jvp;
    private readonly Dictionary<Trace, Transpose> _transposed = new(ReferenceEqualityComparer.Instance);

    internal CustomJvpOp(string? name, int? arity, Func<Expr[], Expr> forward, Func<Expr[], Expr[], Expr> jvp)
        : base("custom_jvp", name, arity, forward) =>
        _jvp = jvp ?? throw new ArgumentNullException(nameof(jvp), "custom_jvp: the JVP rule is null");

    /// <summary>The transposed rule on one traced signature: x̄ᵢ as expressions of the placeholders and a cotangent variable.</summary>
    private sealed record Transpose(Var Cotangent, Expr?[] Cotangents);

    internal override Expr Jvp(Apply y, Expr?[] tangents)
    {
        var xs = y.Args.ToArray();
        return Tangent(xs, xs.Select((x, i) => tangents[i] ?? Ex.ZerosLike(x)).ToArray(), y);
    }

    internal override Expr Vjp(Apply y, int arg, Expr g)
    {
        var trace = TraceFor(y.Args);
        var tr = TransposeOf(trace, y);
        if (tr.Cotangents[arg] is not { } ct) return Ex.ZerosLike(y.Arg(arg));
        var map = new Dictionary<Expr, Expr>(ReferenceEqualityComparer.Instance) { [tr.Cotangent] = g };
        for (int i = 0; i < trace.Params.Length; i++) map[trace.Params[i]] = y.Arg(i);
        return Substitute.Run(new[] { ct }, map)[0];
    }

    private Expr Tangent(Expr[] xs, Expr[] ts, Expr y)
    {
        var t = Coerced(_jvp(xs, ts) ?? throw new FunctionalADException($"{Describe}: the JVP rule returned null"), y);
        RequireLike(t, y, "tangent returned by the JVP rule");
        return t;
    }

    private protected override void CheckRule(Trace trace)
    {
        var y = Build(this, trace.Params);
        Tangent(trace.Params, TangentPlaceholders(trace), y);
    }

    private Expr[] TangentPlaceholders(Trace trace) =>
        trace.Params.Select(p => p.DType.IsFloat() ? Placeholder($"{FunctionName}.tangent", p.Shape, p.DType) : Ex.ZerosLike(p)).ToArray();

    private Transpose TransposeOf(Trace trace, Apply at)
    {
        lock (_transposed)
            if (_transposed.TryGetValue(trace, out var known)) return known;
        var tr = Untaped(() => Transposed(trace, at));
        lock (_transposed) return _transposed.TryAdd(trace, tr) ? tr : _transposed[trace];
    }

    private Transpose Transposed(Trace trace, Apply at)
    {
        var ts = TangentPlaceholders(trace);
        var y = Build(this, trace.Params);
        var tangent = Tangent(trace.Params, ts, y);
        var g = Placeholder($"{FunctionName}.cotangent", y.Shape, y.DType);
        var sources = ts.OfType<Var>().ToArray();
        var raw = Reverse.Vjp(tangent, g, sources);
        var simplified = Simplifier.Run(raw.Select((c, i) => c ?? Ex.ZerosLike(sources[i])).ToArray());
        var isTangent = new HashSet<Expr>(sources, ReferenceEqualityComparer.Instance);
        var cts = new Expr?[ts.Length];
        for (int i = 0, k = 0; i < ts.Length; i++)
        {
            if (ts[i] is not Var) continue;
            var c = raw[k] is null ? null : simplified[k];
            k++;
            if (c is not null && Graph.Reachable(new[] { c }).Any(isTangent.Contains))
                throw new DerivativeException(
                    $"{Describe}: reverse mode transposes the JVP rule, which needs the rule to be linear in the tangents, and it is not " +
                    $"(its tangent {tangent} is not linear in the tangent of argument {i + 1}). Write the rule linear in the tangents, " +
                    "differentiate in forward mode (Jvp), or give a reverse rule with Ad.CustomVjp.\n" +
                    $"  at: {at}");
            cts[i] = c;
        }
        return new Transpose(g, cts);
    }
}
