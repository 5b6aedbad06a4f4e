using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties.CustomRules;

/// <summary>Ad.CustomJvp: forward mode uses the rule, reverse mode transposes it when it is linear in the tangent.</summary>
public class CustomJvpTests
{
    private static double Sig(double x) => 1 / (1 + Math.Exp(-x));

    private static readonly Func<Expr, Expr> Log1pexp =
        Ad.CustomJvp((Expr x) => Where(Greater(x, 30f), x, Log(1f + Exp(x))), (x, t) => t * Sigmoid(x), "log1pexp");

    [Fact]
    public void Forward_and_reverse_mode_both_use_the_rule_at_100()
    {
        var x = Var("x");
        var at = (x, Tensor.Scalar(100f));
        Assert.Equal(1.0, Ad.Jvp(Log1pexp(x), x, Const(1f)).Eval(at).ToScalar());
        Assert.Equal(1.0, Ad.Grad(Log1pexp)(x).Eval(at).ToScalar());
        var second = Ad.Grad(Ad.Grad(Log1pexp))(x).Eval(at).ToScalar();
        Assert.True(second is >= 0 and < 1e-30, $"second derivative {second}");
    }

    [Theory]
    [InlineData(-1.5)]
    [InlineData(0.25)]
    [InlineData(3.0)]
    public void Every_mode_and_order_gives_the_closed_forms(double v)
    {
        var x = Var64("x");
        var at = (x, Tensor.Scalar(v));
        double s = Sig(v);
        Assert.Equal(s, Ad.Jvp(Log1pexp(x), x, Const(1.0)).Eval(at).ToScalar(), 12);
        Assert.Equal(s, Ad.Grad(Log1pexp)(x).Eval(at).ToScalar(), 12);
        Assert.Equal(s * (1 - s), Ad.Hessian(Log1pexp)(x).Eval(at).ToScalar(), 12);
        // Forward over forward, and forward over reverse.
        var jvp = Ad.Jvp(Log1pexp(x), x, Const(1.0));
        Assert.Equal(s * (1 - s), Ad.Jvp(jvp, x, Const(1.0)).Eval(at).ToScalar(), 12);
        Assert.Equal(s * (1 - s), Ad.Jvp(Ad.Grad(Log1pexp)(x), x, Const(1.0)).Eval(at).ToScalar(), 12);
    }

    [Fact]
    public void A_multi_input_linear_rule_is_transposed_for_each_input()
    {
        // f(A, v) = A @ v with its own (linear) rule: Ȧ v + A v̇. The transpose gives Ā = ȳ vᵀ and v̄ = Aᵀ ȳ.
        var matvec = Ad.CustomJvp((Expr[] p) => MatMul(p[0], p[1]), (p, t) => MatMul(t[0], p[1]) + MatMul(p[0], t[1]), "matvec");
        var a = Var64("A", 2, 2);
        var v = Var64("v", 2, 1);
        var loss = Sum(matvec(new Expr[] { a, v }));
        var env = Env.Of((a, Tensor.From(new[] { 1.0, 2, 3, 4 }, new Shape(2, 2))), (v, Tensor.From(new[] { 5.0, 6 }, new Shape(2, 1))));
        var g = Ad.Eval(Ad.Grad(loss, a, v), env);
        Assert.Equal(new[] { 5.0, 6, 5, 6 }, g[0].ToDoubleArray());
        Assert.Equal(new[] { 4.0, 6 }, g[1].ToDoubleArray());
        var t = Ad.Jvp(loss, new Expr[] { a, v }, new Expr[] { Ones(a.Shape, DType.Float64), Zeros(v.Shape, DType.Float64) });
        Assert.Equal(22.0, t.Eval(env).ToScalar());
    }

    [Fact]
    public void A_rule_not_linear_in_the_tangent_works_forward_and_is_refused_in_reverse_mode()
    {
        var odd = Ad.CustomJvp((Expr x) => x * x, (x, t) => 2f * x * t + t * t, "notlinear");
        var x = Var("x", 2);
        var y = Sum(odd(x));
        var at = (x, Tensor.From(new[] { 1f, 2f }));
        Assert.Equal(2 * 1 + 1 + 2 * 2 + 1, Ad.Jvp(y, x, Ones(x.Shape)).Eval(at).ToScalar(), 5);
        var e = Assert.Throws<DerivativeException>(() => Ad.Grad(y, x));
        Assert.Contains("notlinear", e.Message);
        Assert.Contains("linear in the tangents", e.Message);
    }

    [Fact]
    public void A_rule_with_the_wrong_shape_fails_when_the_function_is_applied_naming_it()
    {
        var bad = Ad.CustomJvp((Expr x) => Sum(x), (x, t) => t, "badjvp");
        var e = Assert.Throws<ShapeException>(() => bad(Var("x", 3)));
        Assert.Contains("badjvp", e.Message);
        Assert.Contains("tangent", e.Message);
    }

    [Fact]
    public void Compiles_and_runs_on_a_tape()
    {
        var x = Var("x", 3);
        var loss = Sum(Log1pexp(x));
        var grad = Ad.Grad(loss, x)[0];
        var xs = Tensor.From(new[] { -3f, 0f, 100f });
        var got = Ad.Compile(new[] { loss, grad }, x).Run(xs);
        Assert.Equal(Ad.Eval(grad, Env.Of((x, xs))).ToFloatArray(), got[1].ToFloatArray());
        Assert.Equal(1f, got[1].ToFloatArray()[2]);

        var c = Const(xs);
        using var tape = new GradientTape();
        tape.Watch(c);
        var g = tape.Gradient(Sum(Log1pexp(c)), c);
        Assert.Equal(got[1].ToFloatArray(), g!.Value.ToFloatArray());
    }

    [Fact]
    public void Defined_applied_and_transposed_inside_a_recording_tape()
    {
        var v = new Variable(Tensor.From(new[] { 0.5, -1.0 }));
        using var tape = new GradientTape(persistent: true);
        var cube = Ad.CustomJvp((Expr x) => x * x * x, (x, t) => 3.0 * x * x * t, "cube");
        var y = Sum(cube(v));
        Assert.Equal(new[] { 0.75, 3.0 }, tape.Gradient(y, v)!.Value.ToDoubleArray());
        Assert.Equal(new[] { 0.75, 3.0 }, tape.Gradient(y, v)!.Value.ToDoubleArray());
    }

    [Fact]
    public void Prints_with_the_users_name()
    {
        Assert.Equal("log1pexp(x)", Log1pexp(Var("x", 2)).ToString());
        Assert.Equal("custom_jvp(x)", Ad.CustomJvp((Expr z) => z, (z, t) => t)(Var("x", 2)).ToString());
    }
}
