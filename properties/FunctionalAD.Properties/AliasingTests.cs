using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// Tensors never change: the one API that writes into caller-given tensors, a compiled function's Run(span, span),
/// refuses outputs whose storage a constant, an input or another output uses (docs/errors.md).
/// </summary>
public class AliasingTests
{
    private static (CompiledFunction F, Tensor C, Var X) ScaledByConstant()
    {
        var c = Tensor.From(new[] { 2.0, 4.0 });
        var x = (Var)Var64("x");
        return (Ad.Compile(new[] { Const(c) * x }, x), c, x);
    }

    [Fact]
    public void Run_refuses_to_write_into_a_constant_or_a_view_of_it()
    {
        var (f, c, _) = ScaledByConstant();
        var x = Tensor.Scalar(50.0);
        var e = Assert.Throws<FunctionalADException>(() => f.Run(new[] { x }, new[] { c }));
        Assert.Contains("constant", e.Message);
        Assert.Throws<FunctionalADException>(() => f.Run(new[] { x }, new[] { c.Reshape(new Shape(2)) }));
        Assert.Equal(new[] { 2.0, 4.0 }, c.ToArray<double>());
        Assert.Equal(new[] { 100.0, 200.0 }, f.Run(x)[0].ToArray<double>());
    }

    [Fact]
    public void An_output_made_a_constant_after_earlier_runs_is_refused_from_then_on()
    {
        var (f, _, _) = ScaledByConstant();
        var x = Tensor.Scalar(50.0);
        var o = f.CreateOutputs();
        for (int i = 0; i < 3; i++) f.Run(new[] { x }, o);
        // A reshaped view frozen: the same storage, another tensor object.
        var frozen = Const(o[0].Reshape(new Shape(1, 2)));
        Assert.Contains("constant", Assert.Throws<FunctionalADException>(() => f.Run(new[] { x }, o)).Message);
        Assert.Equal(new[] { 100.0, 200.0 }, frozen.Eval().ToArray<double>());
    }

    [Fact]
    public void Run_refuses_an_output_shared_with_an_input_or_another_output()
    {
        var x = (Var)Var64("x", 2);
        var f = Ad.Compile(new[] { Sin(x), Cos(x) }, x);
        var v = Tensor.From(new[] { 0.5, 1.5 });
        var o = f.CreateOutputs();
        Assert.Contains("input 'x'", Assert.Throws<FunctionalADException>(() => f.Run(new[] { v }, new[] { v, o[1] })).Message);
        Assert.Contains("outputs 0 and 1", Assert.Throws<FunctionalADException>(() => f.Run(new[] { v }, new[] { o[0], o[0].Reshape(new Shape(2)) })).Message);
        Assert.Equal(new[] { 0.5, 1.5 }, v.ToArray<double>());
        f.Run(new[] { v }, o);
        Assert.Equal(Math.Sin(1.5), o[0].ToArray<double>()[1], 15);
    }

    [Fact]
    public void Reshape_shares_storage_and_both_views_stay_unchanged()
    {
        var t = Tensor.From(new[] { 1.0, 2, 3, 4 });
        var m = t.Reshape(new Shape(2, 2));
        var copy = t.ToArray<double>();
        copy[0] = 99;
        Assert.Equal(1.0, t[0]);
        Assert.Equal(1.0, m[0, 0]);
        Assert.Equal(4.0, m[1, 1]);
    }
}
