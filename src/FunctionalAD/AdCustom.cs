using System.Runtime.CompilerServices;

namespace FunctionalAD;

public static partial class Ad
{
    // ---- custom derivative rules (JAX's custom_vjp / custom_jvp, TensorFlow's custom_gradient) ----

    /// <summary>
    /// A function f with your own reverse rule, as JAX's <c>custom_vjp</c>: f(x) is <paramref name="forward"/>(x), and
    /// reverse mode gives x̄ = <paramref name="backward"/>(x, y, ȳ) for output y = f(x) and output cotangent ȳ, instead of
    /// differentiating the body. The rule is an expression, so Grad of Grad, Hessian and Jacobian differentiate it again.
    /// Forward mode (Jvp) through f is an error, as in JAX; use <see cref="CustomJvp(Func{Expr, Expr}, Func{Expr, Expr, Expr}, string?)"/>
    /// for a rule that serves both modes. A rule giving the wrong shape or dtype fails when f is applied, naming f.
    /// </summary>
    /// <example><code>
    /// var log1pexp = Ad.CustomVjp((Expr x) => Log(1f + Exp(x)), (x, y, g) => g * Sigmoid(x), "log1pexp");
    /// </code></example>
    /// <param name="forward">The value, f(x); it may use only its argument (and constants).</param>
    /// <param name="backward">The cotangent of x from the input x, the output y and the output's cotangent ȳ.</param>
    /// <param name="name">How applications print (<c>log1pexp(x)</c>) and how errors name f; "custom_vjp" when left out.</param>
    public static Func<Expr, Expr> CustomVjp(Func<Expr, Expr> forward, Func<Expr, Expr, Expr, Expr> backward, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        var op = new CustomVjpOp("custom_vjp", name, 1, xs => forward(xs[0]), (xs, y, g) => new[] { backward(xs[0], y, g) });
        return x => op.Apply(new[] { x });
    }

    /// <summary>
    /// A function of several inputs with your own reverse rule: the backward rule maps (x₁..xₙ, y, ȳ) to one cotangent per
    /// input, x̄ᵢ (null for an input with none, such as integer labels).
    /// </summary>
    /// <param name="forward">The value, f(x₁..xₙ); it may use only its arguments (and constants).</param>
    /// <param name="backward">The cotangents of the inputs from the inputs, the output and the output's cotangent.</param>
    /// <param name="name">How applications print and how errors name f; "custom_vjp" when left out.</param>
    public static Func<Expr[], Expr> CustomVjp(Func<Expr[], Expr> forward, Func<Expr[], Expr, Expr, Expr?[]> backward, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        var op = new CustomVjpOp("custom_vjp", name, null, forward, backward);
        return xs => op.Apply(xs);
    }

    /// <summary>
    /// A function f with your own forward rule, as JAX's <c>custom_jvp</c>: f(x) is <paramref name="forward"/>(x), and its
    /// tangent along ẋ is <paramref name="jvp"/>(x, ẋ) instead of the derivative of the body. Reverse mode transposes the
    /// rule, as JAX does, which needs it linear in ẋ (ẏ = a(x)·ẋ, sums, products by expressions of x, matrix products...);
    /// a rule that is not linear in ẋ makes reverse mode fail with an error naming f. Higher derivatives differentiate the rule.
    /// </summary>
    /// <example><code>
    /// var log1pexp = Ad.CustomJvp((Expr x) => Log(1f + Exp(x)), (x, t) => t * Sigmoid(x), "log1pexp");
    /// </code></example>
    /// <param name="forward">The value, f(x); it may use only its argument (and constants).</param>
    /// <param name="jvp">The tangent of the output from the input x and its tangent ẋ (shaped like x).</param>
    /// <param name="name">How applications print and how errors name f; "custom_jvp" when left out.</param>
    public static Func<Expr, Expr> CustomJvp(Func<Expr, Expr> forward, Func<Expr, Expr, Expr> jvp, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(jvp);
        var op = new CustomJvpOp(name, 1, xs => forward(xs[0]), (xs, ts) => jvp(xs[0], ts[0]));
        return x => op.Apply(new[] { x });
    }

    /// <summary>
    /// A function of several inputs with your own forward rule: the rule maps (x₁..xₙ, ẋ₁..ẋₙ) to the output's tangent.
    /// Tangents of inputs that do not move are zeros (never null), so the rule may use every one.
    /// </summary>
    /// <param name="forward">The value, f(x₁..xₙ); it may use only its arguments (and constants).</param>
    /// <param name="jvp">The output's tangent from the inputs and their tangents.</param>
    /// <param name="name">How applications print and how errors name f; "custom_jvp" when left out.</param>
    public static Func<Expr[], Expr> CustomJvp(Func<Expr[], Expr> forward, Func<Expr[], Expr[], Expr> jvp, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(jvp);
        var op = new CustomJvpOp(name, null, forward, jvp);
        return xs => op.Apply(xs);
    }

    private static readonly ConditionalWeakTable<Delegate, CustomVjpOp> Gradients = new();

    /// <summary>
    /// TensorFlow's <c>@tf.custom_gradient</c> as a function transformer: <paramref name="f"/> returns f(x) and a gradient
    /// function ȳ ↦ x̄. The gradient function is called on the output cotangent each time a reverse-mode derivative passes
    /// through f, with f re-applied to the actual argument, so it may use what the value was computed from.
    /// Like <see cref="CustomVjp(Func{Expr, Expr}, Func{Expr, Expr, Expr, Expr}, string?)"/>, it has no forward mode.
    /// </summary>
    /// <param name="f">The value and the gradient function.</param>
    /// <param name="name">How applications print and how errors name f; "custom_gradient" when left out.</param>
    public static Func<Expr, Expr> CustomGradient(Func<Expr, (Expr Value, Func<Expr, Expr> Gradient)> f, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        var op = GradientOp(f, name, () => new CustomVjpOp("custom_gradient", name, 1,
            xs => f(xs[0]).Value,
            (xs, y, g) => new[] { (f(xs[0]).Gradient ?? throw new FunctionalADException("custom_gradient: the gradient function is null"))(g) }));
        return x => op.Apply(new[] { x });
    }

    /// <summary>
    /// TensorFlow's <c>@tf.custom_gradient</c> for several inputs: the gradient function maps ȳ to one cotangent per input
    /// (null for an input with none).
    /// </summary>
    /// <param name="f">The value and the gradient function.</param>
    /// <param name="name">How applications print and how errors name f; "custom_gradient" when left out.</param>
    public static Func<Expr[], Expr> CustomGradient(Func<Expr[], (Expr Value, Func<Expr, Expr?[]> Gradient)> f, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        var op = GradientOp(f, name, () => new CustomVjpOp("custom_gradient", name, null,
            xs => f(xs).Value,
            (xs, y, g) => (f(xs).Gradient ?? throw new FunctionalADException("custom_gradient: the gradient function is null"))(g)));
        return xs => op.Apply(xs);
    }

    // One function per delegate: a lambda that captures nothing is one cached delegate, so a loop that applies it
    // each step builds the same node (and hits the same compiled plan) instead of a new function every time.
    private static CustomVjpOp GradientOp(Delegate f, string? name, Func<CustomVjpOp> make)
    {
        if (Gradients.TryGetValue(f, out var op) && op.Name == (name ?? "custom_gradient")) return op;
        op = make();
        Gradients.AddOrUpdate(f, op);
        return op;
    }
}
