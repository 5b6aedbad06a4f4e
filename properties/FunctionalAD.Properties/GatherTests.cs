using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>ArgMax/ArgMin, Gather, GatherNd, ScatterNdAdd and Embedding against values worked out by hand.</summary>
public class GatherTests
{
    private static Expr Ints(int[] v, params int[] dims) => Const(Tensor.From(v, new Shape(dims)));
    private static Expr Floats(float[] v, params int[] dims) => Const(Tensor.From(v, new Shape(dims)));

    [Fact]
    public void ArgMax_and_ArgMin_pick_the_first_on_ties_along_any_axis()
    {
        var x = Floats(new[] { 1f, 5f, 5f, 0f, -2f, 7f }, 2, 3);
        Assert.Equal(new[] { 1, 2 }, ArgMax(x).Eval().ToArray<int>());
        Assert.Equal(new[] { 0, 0, 1 }, ArgMax(x, 0).Eval().ToArray<int>());
        Assert.Equal(new[] { 0, 1 }, ArgMin(x, -1).Eval().ToArray<int>());
        Assert.Equal(new[] { 1, 1, 0 }, ArgMin(x, 0).Eval().ToArray<int>());
        Assert.Equal(new Shape(2), ArgMax(x).Shape);
        Assert.Equal(DType.Int32, ArgMax(x).DType);
    }

    [Fact]
    public void ArgMax_takes_the_first_NaN_and_works_on_int32()
    {
        var x = Floats(new[] { 1f, float.NaN, 3f, float.NaN }, 4);
        Assert.Equal(new[] { 1 }, Reshape(ArgMax(x), 1).Eval().ToArray<int>());
        Assert.Equal(new[] { 2 }, Reshape(ArgMin(Ints(new[] { 4, 3, -1, -1 }, 4)), 1).Eval().ToArray<int>());
    }

    [Fact]
    public void ArgMax_refuses_bad_axes_and_empty_axes()
    {
        var x = Floats(new[] { 1f, 2f }, 1, 2);
        Assert.Contains("axis 2", Assert.Throws<AxisException>(() => ArgMax(x, 2)).Message);
        Assert.Contains("empty", Assert.Throws<ShapeException>(() => ArgMax(Const(Tensor.Zeros(new Shape(2, 0))), 1)).Message);
    }

    [Fact]
    public void Gather_along_a_middle_axis_puts_the_index_axes_there()
    {
        // x[i, j, k] = 100 i + 10 j + k, shape (2, 3, 2); gather axis 1 with indices [[2, 0]] (shape (1, 2)).
        var v = new float[12];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 2; k++) v[i * 6 + j * 2 + k] = 100 * i + 10 * j + k;
        var y = Gather(Floats(v, 2, 3, 2), Ints(new[] { 2, 0 }, 1, 2), axis: 1);
        Assert.Equal(new Shape(2, 1, 2, 2), y.Shape);
        Assert.Equal(new float[] { 20, 21, 0, 1, 120, 121, 100, 101 }, y.Eval().ToFloatArray());
    }

    [Fact]
    public void Gather_with_batch_dims_matches_rows_one_to_one()
    {
        // tf.gather([[1,2,3],[4,5,6]], [[2,0],[1,1]], axis=1, batch_dims=1) = [[3,1],[5,5]]
        var y = Gather(Floats(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3), Ints(new[] { 2, 0, 1, 1 }, 2, 2), axis: 1, batchDims: 1);
        Assert.Equal(new float[] { 3, 1, 5, 5 }, y.Eval().ToFloatArray());
        Assert.Equal(new Shape(2, 2), y.Shape);
    }

    [Fact]
    public void Gradient_of_a_gather_adds_up_repeated_rows()
    {
        var table = Var("t", 3, 2);
        var loss = Sum(Embedding(table, Ints(new[] { 2, 0, 2 }, 3)) * Floats(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2));
        var g = Ad.Grad(loss, table)[0];
        var env = Env.Of((table, Tensor.Zeros(new Shape(3, 2))));
        Assert.Equal(new float[] { 3, 4, 0, 0, 1 + 5, 2 + 6 }, Ad.Eval(g, env).ToFloatArray());
    }

    [Fact]
    public void Second_derivative_through_gather_nd_and_scatter()
    {
        var x = Var("x", new Shape(3), DType.Float64);
        var y = GatherNd(x, Ints(new[] { 1, 1, 2 }, 3, 1));
        var loss = Sum(y * y * y);                       // x1³ twice and x2³
        var hvp = Ad.Grad(Sum(Ad.Grad(loss, x)[0] * Const(new[] { 1.0, 1.0, 1.0 })), x)[0];
        var env = Env.Of((x, Tensor.From(new[] { 5.0, 2.0, 3.0 })));
        Assert.Equal(new[] { 0, 2 * 6 * 2.0, 6 * 3.0 }, Ad.Eval(hvp, env).ToDoubleArray());
    }

    [Fact]
    public void ScatterNdAdd_adds_blocks_and_repeats()
    {
        var y = ScatterNdAdd(Floats(new float[] { 1, 1, 1, 1 }, 2, 2), Ints(new[] { 1, 1 }, 2, 1), Floats(new float[] { 1, 2, 10, 20 }, 2, 2));
        Assert.Equal(new float[] { 1, 1, 12, 23 }, y.Eval().ToFloatArray());
    }

    [Fact]
    public void GatherNd_with_batch_dims()
    {
        // tf.gather_nd([[[1,2],[3,4]],[[5,6],[7,8]]], [[1],[0]], batch_dims=1) = [[3,4],[5,6]]
        var y = GatherNd(Floats(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 2, 2, 2), Ints(new[] { 1, 0 }, 2, 1), batchDims: 1);
        Assert.Equal(new Shape(2, 2), y.Shape);
        Assert.Equal(new float[] { 3, 4, 5, 6 }, y.Eval().ToFloatArray());
    }

    [Fact]
    public void Out_of_range_indices_fail_at_evaluation_naming_index_and_position()
    {
        var x = Floats(new float[] { 1, 2, 3 }, 3);
        var e = Assert.ThrowsAny<FunctionalADException>(() => Gather(x, Ints(new[] { 0, 3 }, 2)).Eval());
        Assert.Contains("index 3", e.Message);
        Assert.Contains("[1, 0]", e.Message);
        var i = Var("i", new Shape(1, 1), DType.Int32);
        var f = Ad.Compile(new[] { ScatterNdAdd(x, i, Floats(new float[] { 1 }, 1)) }, i);
        Assert.Equal(new float[] { 1, 2, 4 }, f.Run(new[] { Tensor.From(new[] { 2 }, new Shape(1, 1)) })[0].ToFloatArray());
        var bad = Assert.ThrowsAny<FunctionalADException>(() => f.Run(new[] { Tensor.From(new[] { -1 }, new Shape(1, 1)) }));
        Assert.Contains("index -1 at [0, 0]", bad.Message);
    }

    [Fact]
    public void Bad_shapes_and_dtypes_fail_at_build()
    {
        var x = Floats(new float[] { 1, 2, 3 }, 3);
        Assert.Throws<DTypeException>(() => Gather(x, Floats(new float[] { 0 }, 1)));
        Assert.Throws<ShapeException>(() => GatherNd(x, Ints(new[] { 0, 0 }, 1, 2)));
        Assert.Throws<ShapeException>(() => ScatterNdAdd(x, Ints(new[] { 0 }, 1, 1), Floats(new float[] { 1, 2 }, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gather(x, Ints(new[] { 0 }, 1), batchDims: 2));
    }

    [Fact]
    public void Compiled_gather_steps_are_not_interpreted()
    {
        var x = Var("x", 3, 2);
        var y = Sum(Gather(x, Ints(new[] { 2, 0 }, 2)));
        var f = Ad.Compile(new[] { y, Ad.Grad(y, x)[0], Cast(ArgMax(x, 0), DType.Float32) }, x);
        Assert.Empty(f.InterpretedSteps);
        var r = f.Run(new[] { Tensor.From(new float[] { 1, 2, 3, 4, 5, 6 }, new Shape(3, 2)) });
        Assert.Equal(new float[] { 14 }, r[0].ToFloatArray());
        Assert.Equal(new float[] { 1, 1, 0, 0, 1, 1 }, r[1].ToFloatArray());
        Assert.Equal(new float[] { 2, 2 }, r[2].ToFloatArray());
    }

    [Fact]
    public void TopK_gives_the_largest_first_ties_in_order_and_scatters_its_gradient()
    {
        var x = Var("x", 2, 4);
        var (values, indices) = TopK(x, 2);
        var at = Tensor.From(new float[] { 1, 9, 3, 9, 4, -1, 7, 0 }, new Shape(2, 4));
        var env = Env.Of((x, at));
        Assert.Equal(new float[] { 9, 9, 7, 4 }, Ad.Eval(values, env).ToFloatArray());
        Assert.Equal(new[] { 1, 3, 2, 0 }, Ad.Eval(indices, env).ToArray<int>());
        var g = Ad.Grad(Sum(values * Const(new float[] { 1, 10 })), x)[0];
        Assert.Equal(new float[] { 0, 1, 0, 10, 10, 0, 1, 0 }, Ad.Eval(g, env).ToFloatArray());
        Assert.Contains("k = 5", Assert.Throws<ShapeException>(() => TopK(x, 5)).Message);
    }
}
