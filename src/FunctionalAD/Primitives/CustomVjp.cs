namespace FunctionalAD;

/// <summary>
/// A function with a user-given reverse rule (JAX's <c>custom_vjp</c>, TensorFlow's <c>custom_gradient</c>):
/// its value is the forward body f(x₁..xₙ), and its cotangents are the backward rule's
/// x̄ᵢ = rule(x, y, ȳ)ᵢ in place of ȳᵀ ∂f/∂xᵢ. The rule is an expression over x, y (this very application)
/// and ȳ, so higher derivatives differentiate the rule. It has no forward-mode derivative, as in JAX: a
/// cotangent rule cannot be turned into a tangent rule in general.
/// </summary>
public sealed class CustomVjpOp : CustomRuleOp
{
    private readonly Func<Expr[], Expr, Expr, Expr?[]> _backward;

    internal CustomVjpOp(string kind, string? name, int? arity, Func<Expr[], Expr> forward, Func<Expr[], Expr, Expr, Expr?[]> backward)
        : base(kind, name, arity, forward) =>
        _backward = backward ?? throw new ArgumentNullException(nameof(backward), $"{kind}: the backward rule is null");

    internal override Expr Vjp(Apply y, int arg, Expr g) => Cotangents(y.Args.ToArray(), y, g)[arg];

    internal override Expr Jvp(Apply y, Expr?[] tangents) =>
        throw new DerivativeException(
            $"{Describe}: a function with a custom VJP rule has no forward-mode derivative (as in JAX's custom_vjp), so Jvp cannot go through it. " +
            "Differentiate in reverse mode (Grad, Vjp, Jacobian, Hessian), or define it with Ad.CustomJvp, whose linear rule serves both modes.\n" +
            $"  at: {y}");

    /// <summary>The rule's cotangents for arguments <paramref name="xs"/>, output <paramref name="y"/> and output cotangent <paramref name="g"/>, checked.</summary>
    private Expr[] Cotangents(Expr[] xs, Expr y, Expr g)
    {
        var cts = _backward(xs, y, g) ?? throw new FunctionalADException($"{Describe}: the backward rule returned null");
        if (cts.Length != xs.Length)
            throw new FunctionalADException(
                $"{Describe}: the backward rule returned {cts.Length} cotangent(s) for {xs.Length} argument(s); return one per argument (null where there is none)");
        var r = new Expr[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            if (cts[i] is null || !xs[i].DType.IsFloat())
            {
                r[i] = Ex.ZerosLike(xs[i]);
                continue;
            }
            r[i] = Coerced(cts[i]!, xs[i]);
            RequireLike(r[i], xs[i], xs.Length == 1 ? "cotangent returned by the backward rule" : $"cotangent of argument {i + 1} returned by the backward rule");
        }
        return r;
    }

    private protected override void CheckRule(Trace trace)
    {
        var y = Build(this, trace.Params);
        Cotangents(trace.Params, y, Placeholder($"{FunctionName}.cotangent", y.Shape, y.DType));
    }
}

public static partial class Ex
{
    /// <summary>
    /// f(x) with a gradient of your own, as TensorFlow's <c>tf.custom_gradient</c>: <paramref name="f"/> returns the value
    /// and a function from the output cotangent ȳ to the cotangent of x. The value is computed as written; every
    /// reverse-mode derivative uses the gradient function, itself differentiable, so higher derivatives follow it.
    /// For example a gradient clip: <c>CustomGradient(x, x =&gt; (x, g =&gt; Minimum(Maximum(g, -1f), 1f)))</c>.
    /// </summary>
    /// <param name="x">The argument.</param>
    /// <param name="f">The value of x and the gradient function, as TensorFlow's decorated function returns them.</param>
    /// <param name="name">How the application prints and how errors name it; "custom_gradient" when left out.</param>
    public static Expr CustomGradient(Expr x, Func<Expr, (Expr Value, Func<Expr, Expr> Gradient)> f, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Ad.CustomGradient(f, name)(x);
    }

    /// <summary>
    /// f(x₁..xₙ) with a gradient of your own (the multi-input <c>tf.custom_gradient</c>): the gradient function maps the
    /// output cotangent ȳ to one cotangent per input (null for an input with none).
    /// </summary>
    /// <param name="xs">The arguments.</param>
    /// <param name="f">The value and the gradient function.</param>
    /// <param name="name">How the application prints and how errors name it; "custom_gradient" when left out.</param>
    public static Expr CustomGradient(Expr[] xs, Func<Expr[], (Expr Value, Func<Expr, Expr?[]> Gradient)> f, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Ad.CustomGradient(f, name)(xs);
    }
}
