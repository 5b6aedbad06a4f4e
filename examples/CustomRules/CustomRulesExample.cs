using System.Globalization;
using FunctionalAD;
using FunctionalAD.Testing;
using static FunctionalAD.Ex;

namespace FunctionalAD.Examples;

/// <summary>
/// Custom derivative rules: a numerically stable log(1 + eˣ), a gradient clip and a straight-through estimator,
/// each checked against central differences with FunctionalAD.Testing.
/// </summary>
public static class CustomRulesExample
{
    private static string N(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Prints each step to <paramref name="out"/>.</summary>
    public static void Run(TextWriter @out)
    {
        var x = Var("x");
        var at100 = Env.Of((x, Tensor.Scalar(100f)));
        double Value(Expr e) => e.Eval(at100).ToScalar();

        // 1. log(1 + eˣ) at x = 100 in float32. Written plainly, e¹⁰⁰ overflows: the value is ∞ and the
        //    derivative eˣ/(1 + eˣ) is ∞/∞. Guarding the value with where() fixes it, but not the derivative:
        //    the untaken branch still sends 0 · ∞ = NaN back.
        Func<Expr, Expr> naive = z => Log(1f + Exp(z));
        Func<Expr, Expr> guarded = z => Where(Greater(z, 30f), z, Log(1f + Exp(z)));
        @out.WriteLine($"naive   log(1 + exp(x)) at 100: value {N(Value(naive(x)))}, gradient {N(Value(Ad.Grad(naive)(x)))}");
        @out.WriteLine($"guarded where(x > 30, ...) at 100: value {N(Value(guarded(x)))}, gradient {N(Value(Ad.Grad(guarded)(x)))}");

        // A custom VJP rule: the derivative of log(1 + eˣ) is σ(x), which is stable everywhere. The rule is an
        // expression, so the second derivative is σ(x)(1 - σ(x)), also stable.
        var log1pexp = Ad.CustomVjp(guarded, (z, y, g) => g * Sigmoid(z), "log1pexp");
        var d1 = Ad.Grad(log1pexp);
        var d2 = Ad.Grad(d1);
        @out.WriteLine($"custom  {log1pexp(x)} at 100: value {N(Value(log1pexp(x)))}, gradient {N(Value(d1(x)))}, second derivative {N(Value(d2(x)))}");
        @out.WriteLine($"        its gradient is {d1(x)}");

        // Checked against float64 central differences, both derivatives, at a few points.
        var check = GradCheck.Run(log1pexp, Tensor.From(new[] { -3.0, 0.5, 4.0 }), order: 2, mode: CheckMode.Reverse);
        @out.WriteLine($"gradcheck of log1pexp to order 2: {(check.Passed ? "passed" : "FAILED")}, largest difference {N(check.Checks.Max(c => c.MaxError))}");

        // 2. A gradient clip (tf.custom_gradient): the value is x, the gradient reaching x is clipped to [-1, 1].
        var w = Var("w", 3);
        var clipped = CustomGradient(w, v => (v, g => Minimum(Maximum(g, -1f), 1f)), "clip_gradient");
        var loss = Sum(clipped * Const(5f, -0.5f, -3f));
        var ws = Env.Of((w, Tensor.From(new[] { 1f, 2f, 3f })));
        @out.WriteLine($"clip    loss = {loss}: value {N(loss.Eval(ws).ToScalar())}, gradient {Show(Ad.Grad(loss, w)[0].Eval(ws))}");

        // 3. A straight-through estimator: sign() forward, identity backward, so a quantised layer still trains.
        var ste = Ad.CustomGradient((Expr v) => (Sign(v), g => g), "ste_sign");
        var target = Const(1f, -1f, 1f);
        var quantised = Sum(Square(ste(w) - target));
        var plain = Sum(Square(Sign(w) - target));
        var w0 = Env.Of((w, Tensor.From(new[] { -0.5f, 0.2f, 3f })));
        @out.WriteLine($"ste     {quantised}: gradient {Show(Ad.Grad(quantised, w)[0].Eval(w0))}; through plain sign: {Show(Ad.Grad(plain, w)[0].Eval(w0))}");

        // Compiled, the custom function runs its forward body; the gradient uses the rule.
        var compiled = Ad.Compile(new[] { log1pexp(x), d1(x) }, x);
        var r = compiled.Run(Tensor.Scalar(100f));
        @out.WriteLine($"compiled log1pexp at 100: value {N(r[0].ToScalar())}, gradient {N(r[1].ToScalar())}");
    }

    private static string Show(Tensor t) => "[" + string.Join(", ", t.ToArray<double>().Select(N)) + "]";
}
