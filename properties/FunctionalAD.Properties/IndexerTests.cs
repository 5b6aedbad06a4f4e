using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>C# indexers and ranges on expressions against values picked out by hand from x[i, j, k] = 100i + 10j + k.</summary>
public class IndexerTests
{
    private static readonly Expr X = Const(Tensor.From(
        Enumerable.Range(0, 2 * 3 * 4).Select(f => (float)(100 * (f / 12) + 10 * (f / 4 % 3) + f % 4)).ToArray(), new Shape(2, 3, 4)));

    private static void Is(Expr e, int[] shape, params float[] values)
    {
        Assert.Equal(new Shape(shape), e.Shape);
        Assert.Equal(values, e.Eval().ToFloatArray());
    }

    [Fact]
    public void An_integer_drops_its_axis_and_counts_from_the_end_when_negative()
    {
        Is(X[1, 2], new[] { 4 }, 120, 121, 122, 123);
        Is(X[^1, ^1, ^1], Array.Empty<int>(), 123);
        Is(X[-1, 0, -2], Array.Empty<int>(), 102);
        Is(X[0][1], new[] { 4 }, 10, 11, 12, 13);
    }

    [Fact]
    public void A_range_keeps_its_axis_and_clamps_like_python()
    {
        Is(X[.., 1..3, 3], new[] { 2, 2 }, 13, 23, 113, 123);
        Is(X[1, ^2.., ..1], new[] { 2, 1 }, 110, 120);
        Is(X[0, 1, 2..100], new[] { 2 }, 12, 13);
        Is(X[0, 2..1, 0], new[] { 0 });
        Assert.Same(X, X[.., ..]);
    }

    [Fact]
    public void Gradient_of_an_index_pads_with_zeros()
    {
        var x = Var("x", 2, 3);
        var g = Ad.Grad(Sum(x[1, 1..] * Const(2f, 5f)), x)[0];
        Assert.Equal(new float[] { 0, 0, 0, 0, 2, 5 }, Ad.Eval(g, Env.Of((x, Tensor.Zeros(new Shape(2, 3))))).ToFloatArray());
    }

    [Fact]
    public void Bad_indices_fail_at_build_naming_the_axis_and_size()
    {
        var e = Assert.Throws<ShapeException>(() => X[0, 3]);
        Assert.Contains("axis 1 of size 3", e.Message);
        Assert.Contains("axis 2 of size 4", Assert.Throws<ShapeException>(() => X[0, 0, ^5]).Message);
        Assert.Contains("4 indices", Assert.Throws<ShapeException>(() => X[0, 0, 0, 0]).Message);
    }
}
