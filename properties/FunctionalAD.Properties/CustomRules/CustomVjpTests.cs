using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties.CustomRules;

/// <summary>Ad.CustomVjp and Ex.CustomGradient: the rule replaces the body's derivative in every reverse-mode entry point.</summary>
public class CustomVjpTests
{
    private static double Sig(double x) => 1 / (1 + Math.Exp(-x));

    // A forward that is exact for large x (where exp overflows) but whose own derivative is NaN there: the
    // untaken branch of Where still sends 0 · ∞ back.
    private static Expr Body(Expr x) => Where(Greater(x, 30f), x, Log(1f + Exp(x)));

    private static readonly Func<Expr, Expr> Log1pexp = Ad.CustomVjp(Body, (x, y, g) => g * Sigmoid(x), "log1pexp");

    [Fact]
    public void Log1pexp_at_100_has_gradient_one_and_second_derivative_zero_where_the_plain_body_gives_nan()
    {
        var x = Var("x");
        var at = (x, Tensor.Scalar(100f));
        Assert.True(double.IsNaN(Ad.Grad(Body)(x).Eval(at).ToScalar()));
        Assert.Equal(100.0, Log1pexp(x).Eval(at).ToScalar(), 4);
        Assert.Equal(1.0, Ad.Grad(Log1pexp)(x).Eval(at).ToScalar());
        var second = Ad.Grad(Ad.Grad(Log1pexp))(x).Eval(at).ToScalar();
        Assert.True(second is >= 0 and < 1e-30, $"second derivative {second}");
    }

    [Theory]
    [InlineData(-2.0)]
    [InlineData(0.3)]
    [InlineData(4.0)]
    public void Log1pexp_derivatives_are_the_closed_forms(double at)
    {
        var x = Const(at);
        Assert.Equal(Math.Log(1 + Math.Exp(at)), Log1pexp(x).Eval().ToScalar(), 12);
        Assert.Equal(Sig(at), Ad.Grad(Log1pexp)(x).Eval().ToScalar(), 12);
        Assert.Equal(Sig(at) * (1 - Sig(at)), Ad.Hessian(Log1pexp)(x).Eval().ToScalar(), 12);
    }

    [Fact]
    public void The_rule_not_the_body_is_differentiated_at_every_order()
    {
        // Body sin, rule "times two": the derivative is 2 and every higher derivative 0, whatever sin would say.
        var f = Ad.CustomVjp((Expr x) => Sin(x), (x, y, g) => 2.0 * g, "twice");
        var x = Const(0.7);
        Assert.Equal(Math.Sin(0.7), f(x).Eval().ToScalar(), 14);
        Assert.Equal(2.0, Ad.Grad(f)(x).Eval().ToScalar());
        Assert.Equal(0.0, Ad.Grad(Ad.Grad(f))(x).Eval().ToScalar());
    }

    [Fact]
    public void A_rule_that_uses_the_output_differentiates_through_the_function_again()
    {
        // exp with rule ḡ·y: every derivative is exp(x), reached through y's own rule.
        var exp = Ad.CustomVjp((Expr x) => Exp(x), (x, y, g) => g * y, "myexp");
        var x = Const(0.4);
        var third = Ad.Grad(Ad.Grad(Ad.Grad(exp)))(x);
        Assert.Equal(Math.Exp(0.4), third.Eval().ToScalar(), 12);
    }

    [Fact]
    public void Prints_with_the_users_name_and_a_default_name_without_one()
    {
        var x = Var("x", 3);
        Assert.Equal("log1pexp(x)", Log1pexp(x).ToString());
        var anon = Ad.CustomVjp((Expr z) => z * 2f, (z, y, g) => g * 2f);
        Assert.Equal("custom_vjp(x)", anon(x).ToString());
        Assert.Equal("sum(log1pexp(x))", Sum(Log1pexp(x)).ToString());
    }

    [Fact]
    public void Applying_twice_to_the_same_argument_gives_one_node()
    {
        var x = Var("x", 2);
        Assert.Same(Log1pexp(x), Log1pexp(x));
    }

    [Fact]
    public void Multi_input_rule_gives_each_input_its_cotangent_and_a_hessian()
    {
        var mul = Ad.CustomVjp((Expr[] v) => v[0] * v[1], (v, y, g) => new[] { g * v[1], g * v[0] }, "mul");
        var a = Var64("a", 2);
        var b = Var64("b", 2);
        var loss = Sum(mul(new Expr[] { a, b }) * mul(new Expr[] { a, b }));
        var env = Env.Of((a, Tensor.From(new[] { 1.0, 2.0 })), (b, Tensor.From(new[] { 3.0, -1.0 })));
        var g = Ad.Eval(Ad.Grad(loss, a, b), env);
        Assert.Equal(new[] { 2 * 1.0 * 9, 2 * 2.0 * 1 }, g[0].ToDoubleArray());
        Assert.Equal(new[] { 2 * 3.0 * 1, 2 * -1.0 * 4 }, g[1].ToDoubleArray());
        // ∂²/∂a² Σ a²b² = diag(2b²).
        var h = Ad.Eval(Ad.Hessian(loss, a), env).ToDoubleArray();
        Assert.Equal(new[] { 18.0, 0, 0, 2.0 }, h);
        Assert.Equal("mul(a, b)", mul(new Expr[] { a, b }).ToString());
    }

    [Fact]
    public void A_null_cotangent_means_none_and_integer_inputs_get_none()
    {
        var pick = Ad.CustomVjp((Expr[] v) => v[0] * Cast(v[1], DType.Float32), (v, y, g) => new Expr?[] { g * Cast(v[1], DType.Float32), null }, "pick");
        var x = Var("x", 2);
        var k = Const(2, 3);
        var gx = Ad.Grad(Sum(pick(new Expr[] { x, k })), x)[0];
        Assert.Equal(new[] { 2f, 3f }, gx.Eval((x, Tensor.From(new[] { 1f, 1f }))).ToFloatArray());
    }

    [Fact]
    public void Jvp_through_a_custom_vjp_function_is_a_clear_error_naming_it()
    {
        var x = Var("x", 2);
        var e = Assert.Throws<DerivativeException>(() => Ad.Jvp(Sum(Log1pexp(x)), x, Ones(x.Shape)));
        Assert.Contains("log1pexp", e.Message);
        Assert.Contains("forward-mode", e.Message);
        Assert.Contains("Ad.CustomJvp", e.Message);
    }

    [Fact]
    public void A_rule_with_the_wrong_shape_fails_when_the_function_is_applied_naming_it()
    {
        var bad = Ad.CustomVjp((Expr x) => Sum(x), (x, y, g) => g, "badsum");   // g is a scalar, x is not
        var e = Assert.Throws<ShapeException>(() => bad(Var("x", 3)));
        Assert.Contains("badsum", e.Message);
        Assert.Contains("(3,)", e.Message);
        var fine = Ad.CustomVjp((Expr x) => Sum(x), (x, y, g) => BroadcastTo(g, x.Shape), "goodsum");
        Assert.Equal(new[] { 1f, 1f, 1f }, Ad.Grad(fine(Var("x", 3)), Var("x", 3))[0].Eval((Var("x", 3), Tensor.Ones(3))).ToFloatArray());
    }

    [Fact]
    public void A_rule_with_the_wrong_dtype_or_count_fails_when_applied()
    {
        var wrongType = Ad.CustomVjp((Expr x) => x * 2f, (x, y, g) => Cast(g, DType.Float64), "wrongtype");
        Assert.Contains("wrongtype", Assert.Throws<DTypeException>(() => wrongType(Var("x", 2))).Message);
        var wrongCount = Ad.CustomVjp((Expr[] v) => v[0] + v[1], (v, y, g) => new[] { g }, "wrongcount");
        var e = Assert.Throws<FunctionalADException>(() => wrongCount(new Expr[] { Var("a", 2), Var("b", 2) }));
        Assert.Contains("wrongcount", e.Message);
        Assert.Contains("1 cotangent(s) for 2 argument(s)", e.Message);
    }

    [Fact]
    public void A_forward_that_uses_an_outside_variable_is_refused()
    {
        var w = Var("w", 2);
        var f = Ad.CustomVjp((Expr x) => x * w, (x, y, g) => g * w, "scale");
        var e = Assert.Throws<FunctionalADException>(() => f(Var("x", 2)));
        Assert.Contains("'w'", e.Message);
        Assert.Contains("argument", e.Message);
    }

    [Fact]
    public void Null_functions_and_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => Ad.CustomVjp((Func<Expr, Expr>)null!, (x, y, g) => g));
        Assert.Throws<ArgumentNullException>(() => Ad.CustomVjp((Expr x) => x, null!));
        Assert.Throws<ArgumentNullException>(() => Log1pexp(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ad.CustomVjp((Expr x) => x, (x, y, g) => g, " "));
        var nullBody = Ad.CustomVjp((Expr x) => null!, (x, y, g) => g, "nobody");
        Assert.Contains("nobody", Assert.Throws<FunctionalADException>(() => nullBody(Var("x", 2))).Message);
    }

    [Fact]
    public void Compiled_values_and_gradients_equal_the_evaluated_ones()
    {
        var x = Var("x", 4);
        var loss = Sum(Log1pexp(x * 3f));
        var grad = Ad.Grad(loss, x)[0];
        var xs = Tensor.From(new[] { -50f, 0.5f, 2f, 100f });
        var compiled = Ad.Compile(new[] { loss, grad }, x);
        var got = compiled.Run(xs);
        var want = Ad.Eval(new[] { loss, grad }, Env.Of((x, xs)));
        Assert.Equal(want[0].ToScalar(), got[0].ToScalar(), 3);
        Assert.Equal(want[1].ToFloatArray(), got[1].ToFloatArray());
        Assert.Equal(3f, got[1].ToFloatArray()[3]);
    }

    [Fact]
    public void Compiled_the_function_is_the_same_program_as_its_body()
    {
        var x = Var("x", 3);
        var custom = Ad.Compile(new[] { Sum(Log1pexp(x)) }, x);
        var body = Ad.Compile(new[] { Sum(Body(x)) }, x);
        Assert.Equal(body.Describe(), custom.Describe());
    }

    [Fact]
    public void Works_on_a_gradient_tape_with_a_variable()
    {
        var v = new Variable(100f);
        using var tape = new GradientTape();
        var y = Log1pexp(v);
        Assert.Equal(1.0, tape.Gradient(y, v)!.Value.ToScalar());
    }

    [Fact]
    public void Works_on_a_gradient_tape()
    {
        var x = Const(100f);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = Log1pexp(x);
        var g = tape.Gradient(y, x);
        Assert.Equal(1.0, g!.Value.ToScalar());
    }

    [Fact]
    public void Custom_gradient_clips_the_gradient_but_not_the_value()
    {
        var x = Var("x", 3);
        var clipped = CustomGradient(x, v => (v, g => Minimum(Maximum(g, -1f), 1f)), "clip_grad");
        Assert.Equal("clip_grad(x)", clipped.ToString());
        var loss = Sum(clipped * Const(5f, -0.5f, -3f));
        var xs = Tensor.From(new[] { 1f, 2f, 3f });
        Assert.Equal(5 - 1 - 9, loss.Eval((x, xs)).ToScalar(), 5);
        Assert.Equal(new[] { 1f, -0.5f, -1f }, Ad.Grad(loss, x)[0].Eval((x, xs)).ToFloatArray());
    }

    [Fact]
    public void Straight_through_estimator_passes_the_gradient_of_a_step_function()
    {
        var x = Var("x", 3);
        var ste = Ad.CustomGradient((Expr v) => (Sign(v), g => g), "ste_sign");
        var loss = Sum(ste(x) * Const(2f, 3f, 4f));
        var xs = Tensor.From(new[] { -0.5f, 0.2f, 3f });
        Assert.Equal(-2 + 3 + 4, loss.Eval((x, xs)).ToScalar(), 5);
        Assert.Equal(new[] { 2f, 3f, 4f }, Ad.Grad(loss, x)[0].Eval((x, xs)).ToFloatArray());
        Assert.Equal(new[] { 0f, 0f, 0f }, Ad.Grad(Sum(Sign(x) * Const(2f, 3f, 4f)), x)[0].Eval((x, xs)).ToFloatArray());
    }

    [Fact]
    public void Custom_gradient_with_several_inputs_may_use_what_the_value_was_computed_from()
    {
        var a = Var64("a", 2);
        var b = Var64("b", 2);
        var y = CustomGradient(new Expr[] { a, b }, v =>
        {
            var e = Exp(v[0] - v[1]);
            return (e, g => new[] { g * e, -(g * e) });
        }, "expdiff");
        var env = Env.Of((a, Tensor.From(new[] { 1.0, 0.0 })), (b, Tensor.From(new[] { 0.5, 1.0 })));
        var g = Ad.Eval(Ad.Grad(Sum(y), a, b), env);
        Assert.Equal(new[] { Math.Exp(0.5), Math.Exp(-1) }, g[0].ToDoubleArray());
        Assert.Equal(new[] { -Math.Exp(0.5), -Math.Exp(-1) }, g[1].ToDoubleArray());
    }
}
