using Xunit;

namespace FunctionalAD.OnnxTests;

/// <summary>
/// The cases the primitive table keeps away from (its values are distinct and finite, so derivatives are defined):
/// ties, NaN, signed zeros and infinities, where the exported graphs must still give exactly what our kernels give.
/// </summary>
public class EdgeCaseOnnxTests
{
    private static readonly double NaN = double.NaN, Inf = double.PositiveInfinity;

    /// <summary>Rows with repeated maxima and minima, NaNs (first, middle, several), infinities and both zeros.</summary>
    private static readonly double[][] Awkward =
    [
        [1, 3, 3, 0, 3, 0],
        [NaN, 1, NaN, 2, 2, -1],
        [-Inf, -Inf, -Inf, -Inf, -Inf, -Inf],
        [0, -0.0, 0, -0.0, 0, -0.0],
        [2, 1, NaN, 5, 5, Inf],
        [Inf, 1, Inf, NaN, -1, -Inf],
        [-0.0, 0, -1, -1, 7, 7],
    ];

    private static Tensor AwkwardTensor(DType dtype) => dtype == DType.Int32
        ? Tensor.From(Awkward.Select(r => r.Select(v => double.IsFinite(v) ? (int)v : double.IsNaN(v) ? 9 : Math.Sign(v) * 100).ToArray()).ToArray())
        : Tensor.From(Awkward).Cast(dtype);

    /// <summary>Ad.Eval and ONNX Runtime on one expression of one variable.</summary>
    private static (Tensor Expected, Tensor Actual) Both(Func<Expr, Expr> f, Tensor value)
    {
        var x = (Var)Ex.Var("x", value.Shape, value.DType);
        var y = f(x);
        var expected = Ad.Eval([y], Env.Of((x, value)))[0];
        var actual = OrtRunner.Run(Onnx.ToBytes([y], [x]), [("x", value)])[0];
        return (expected, actual);
    }

    private static void Same(Func<Expr, Expr> f, Tensor value, string what)
    {
        var (e, a) = Both(f, value);
        Assert.Equal(e.Shape, a.Shape);
        Assert.Equal(e.DType, a.DType);
        Assert.True(e.ToArray<double>().SequenceEqual(a.ToArray<double>()),
            $"{what}: ONNX Runtime [{string.Join(", ", a.ToArray<double>())}], Ad.Eval [{string.Join(", ", e.ToArray<double>())}]");
    }

    public static TheoryData<DType> DTypes => new(DType.Float32, DType.Float64, DType.Int32);

    [Theory]
    [MemberData(nameof(DTypes))]
    public void ArgMax_and_ArgMin_give_the_first_tie_and_the_first_NaN(DType dtype)
    {
        var x = AwkwardTensor(dtype);
        for (int axis = 0; axis < 2; axis++)
        {
            Same(v => Ex.ArgMax(v, axis), x, $"argmax axis {axis} {dtype}");
            Same(v => Ex.ArgMin(v, axis), x, $"argmin axis {axis} {dtype}");
        }
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void TopK_keeps_the_lower_position_first_on_ties_and_puts_NaN_first(DType dtype)
    {
        var x = AwkwardTensor(dtype);
        for (int k = 0; k <= 6; k++) Same(v => Ex.TopK(v, k).Indices, x, $"top_k {k} {dtype}");
        Same(v => Ex.TopK(v, 3).Values, x, $"top_k values {dtype}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ArgSort_is_stable_with_NaN_above_infinity_and_both_zeros_equal(bool descending)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var x = AwkwardTensor(dtype);
            Same(v => Ex.ArgSort(v, descending), x, $"argsort {dtype}");
            Same(v => Ex.Sort(v, descending), x, $"sort {dtype}");
        }
    }

    [Theory]
    [InlineData("VALID", 2, 2)]
    [InlineData("SAME", 3, 2)]
    [InlineData("SAME", 2, 1)]
    public void Max_pooling_and_its_gradients_take_the_first_maximum_of_each_window_and_NaN_wins(string padding, int k, int s)
    {
        // Values from {0, 1, 2}: most windows hold their maximum more than once; a few NaNs (which win, the first of
        // them taking the gradient), infinities and negative zeros among them.
        double[] special = [double.NaN, double.NegativeInfinity, -0.0, double.PositiveInfinity, double.NaN];
        var x = Tensor.From(Enumerable.Range(0, 2 * 5 * 6 * 2).Select(i => i % 13 == 5 ? special[i / 13 % special.Length] : (double)(i * 7 % 11 % 3)).ToArray(),
            new Shape(2, 5, 6, 2));
        var xv = (Var)Ex.Var("x", x.Shape, DType.Float64);
        var y = Ex.MaxPool2D(xv, k, s, padding);
        var g = (Var)Ex.Var("g", y.Shape, DType.Float64);
        var gValue = Tensor.RandomNormal(y.Shape, seed: 4).Cast(DType.Float64);
        var t = (Var)Ex.Var("t", x.Shape, DType.Float64);
        var tValue = Tensor.RandomNormal(x.Shape, seed: 5).Cast(DType.Float64);
        Expr[] outputs = [y, Ad.Vjp(y, g, xv)[0], Ad.Jvp(y, [xv], [t])];
        (string, Tensor)[] feeds = [("x", x), ("g", gValue), ("t", tValue)];
        var expected = Ad.Eval(outputs, Env.Of((xv, x), (g, gValue), (t, tValue)));
        var actual = OrtRunner.Run(Onnx.ToBytes(outputs, [xv, g, t]), feeds);
        for (int i = 0; i < outputs.Length; i++)
            Assert.True(expected[i].ToArray<double>().SequenceEqual(actual[i].ToArray<double>()), $"output {i} ({padding}, k {k}, s {s})");
    }

    [Fact]
    public void Atan2_is_exact_on_the_axes_at_signed_zeros_and_infinities()
    {
        // ONNX Runtime has Atan in float32 only, so the float32 graph runs here.
        float[] v = [0f, -0f, 1f, -1f, 2.5f, -1e-30f, float.PositiveInfinity, float.NegativeInfinity, float.NaN];
        var yv = Tensor.From(v, new Shape(v.Length, 1));
        var xv = Tensor.From(v, new Shape(1, v.Length));
        var y = (Var)Ex.Var("y", yv.Shape, DType.Float32);
        var x = (Var)Ex.Var("x", xv.Shape, DType.Float32);
        var z = Ex.Atan2(y, x);
        var expected = Ad.Eval([z], Env.Of((y, yv), (x, xv)))[0].ToArray<float>();
        var actual = OrtRunner.Run(Onnx.ToBytes([z], [y, x]), [("y", yv), ("x", xv)])[0].ToArray<float>();
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            string at = $"atan2({v[i / v.Length]}, {v[i % v.Length]}): ONNX Runtime {a}, Ad.Eval {e}";
            Assert.True(float.IsNaN(e) == float.IsNaN(a), at);
            if (float.IsNaN(e)) continue;
            Assert.True(float.IsNegative(e) == float.IsNegative(a), at);
            // Exact where the result is 0, ±π/2 or ±π; within two float32 steps of π elsewhere (atan(q) + π rounds twice).
            Assert.True(Math.Abs(e - a) <= 5e-7f * (1 + Math.Abs(e)), at);
        }
    }

    [Fact]
    public void A_label_outside_the_classes_is_not_checked_in_the_exported_graph_and_picks_no_logit()
    {
        // Ad.Eval refuses label 12 of 10 classes; ONNX has no operator that raises at run time, so the exported graph
        // one-hots it to a row of zeros: that example's loss is its row's shifted log-sum-exp with no logit
        // subtracted, log Σ exp(z - max z), where a valid label would subtract its own shifted logit.
        var logits = (Var)Ex.Var("logits", 2, 10);
        var labels = (Var)Ex.Var("labels", new Shape(2), DType.Int32);
        var loss = Losses.SparseCategoricalCrossentropy(labels, logits, fromLogits: true, reduction: LossReduction.Sum);
        var z = Tensor.RandomNormal(new Shape(2, 10), seed: 6);
        var model = Onnx.ToBytes([loss], [logits, labels]);
        var bad = Tensor.From([3, 12]);
        Assert.ThrowsAny<FunctionalADException>(() => Ad.Eval([loss], Env.Of((logits, z), (labels, bad))));
        var withBad = OrtRunner.Run(model, [("logits", z), ("labels", bad)])[0].ToScalar();
        var firstOnly = Ad.Eval([Losses.SparseCategoricalCrossentropy(Ex.Const(Tensor.From([3])), Ex.Slice(logits, [0, 0], [1, 10]), fromLogits: true,
            reduction: LossReduction.Sum)], Env.Of((logits, z)))[0].ToScalar();
        var row = Enumerable.Range(0, 10).Select(j => (double)z.ToArray<float>()[10 + j]).ToArray();
        var shiftedLse = Math.Log(row.Sum(v => Math.Exp(v - row.Max())));
        Assert.True(shiftedLse > 0, "a row's shifted log-sum-exp is positive");
        Assert.Equal(firstOnly + shiftedLse, withBad, 4);
    }
}
