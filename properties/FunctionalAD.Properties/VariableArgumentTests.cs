using Xunit;
using FunctionalAD;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// Var(...) is typed Expr, so every API that needs a variable takes an Expr and checks it when called: a
/// non-variable fails at once with a message naming the call and the argument, and nothing is half-done.
/// </summary>
public class VariableArgumentTests
{
    private static readonly Expr X = Var("x", 3);
    private static readonly Expr NotAVar = X * 2f;
    private static readonly Tensor Three = Tensor.From(new[] { 1f, 2f, 3f });

    public static TheoryData<string, string, Action> Calls() => new()
    {
        { "Ad.Grad", "wrt", () => Ad.Grad(Sum(X), NotAVar) },
        { "Ad.Grad", "wrt[1]", () => Ad.Grad(Sum(X), X, NotAVar) },
        { "Ad.ValueAndGrad", "wrt", () => Ad.ValueAndGrad(Sum(X), NotAVar) },
        { "Ad.Jvp", "x", () => Ad.Jvp(Sin(X), NotAVar, Const(Three)) },
        { "Ad.Compile", "inputs[0]", () => Ad.Compile(new[] { Sum(X) }, NotAVar, X) },
        { "Env.Bind", "v", () => Env.Of((X, Three), (NotAVar, Three)) },
        { "Env.Bind", "v", () => Env.Empty.Bind(Const(Three), Three) },
        { "Env.Bind", "v", () => Sum(X).Eval((NotAVar, Three)) },
        { "Env", "v", () => _ = Env.Of((X, Three))[NotAVar] },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void A_non_variable_where_a_variable_is_needed_is_named_with_its_argument(string where, string param, Action call)
    {
        var e = Assert.ThrowsAny<FunctionalADException>(call);
        Assert.Contains($"{where}: {param} is not a variable: build it with Var(...)", e.Message);
    }

    [Fact]
    public void A_null_variable_is_an_ArgumentNullException_naming_the_argument()
    {
        var e = Assert.Throws<ArgumentNullException>(() => Ad.Grad(Sum(X), new Expr[] { null! }));
        Assert.Equal("wrt", e.ParamName);
    }

    [Fact]
    public void Variables_typed_Expr_work_everywhere_a_Var_did()
    {
        var w = Var("w", 3);
        var y = Sum(w * X);
        var env = Env.Of((w, Three), (X, Tensor.From(new[] { 4f, 5f, 6f })));
        Assert.Equal(new[] { 4.0, 5.0, 6.0 }, Ad.Grad(y, w)[0].Eval(env).ToDoubleArray());
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, env[w].ToDoubleArray());
        Assert.True(env.Find(w).IsSome);
        Assert.True(env.Find(NotAVar).IsNone);
        Assert.Equal(32.0, Ad.Compile(new[] { y }, w, X).Run(Three, Tensor.From(new[] { 4f, 5f, 6f }))[0].ToScalar());
        Assert.Equal(4.0 + 10 + 18, Ad.Jvp(y, w, Const(Tensor.From(new[] { 1f, 2f, 3f }))).Eval(env).ToScalar());
        Assert.IsType<Var>(w);
    }

    [Fact]
    public void A_constant_rebinds_to_any_expression_as_in_the_tutorial()
    {
        var y = Const(1, 2, 0);
        y = Cast(OneHot(y, 3), DType.Float32);
        Assert.Equal(new[] { 0.0, 1, 0, 0, 0, 1, 1, 0, 0 }, y.Eval().ToDoubleArray());
    }

    [Fact]
    public void A_Variable_goes_where_a_variable_is_needed_through_its_conversion_to_Expr()
    {
        var w = new Variable(Tensor.From(new[] { 1f, 2f }), "vat_w");
        var y = Sum(w * w);
        Assert.Equal(new[] { 2.0, 4.0 }, Ad.Grad(y, w)[0].Eval().ToDoubleArray());
        Assert.Equal(new[] { 6.0, 8.0 }, Ad.Grad(y, w)[0].Eval((w, Tensor.From(new[] { 3f, 4f }))).ToDoubleArray());
        Assert.Equal(25.0, Ad.Compile(new[] { y }, w).Run(Tensor.From(new[] { 3f, 4f }))[0].ToScalar());
    }
}
