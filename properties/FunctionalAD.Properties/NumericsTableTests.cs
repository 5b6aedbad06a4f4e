using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// One test per row of the kink-conventions and numerics table in docs/numerics.md: the derivative FunctionalAD
/// gives where the math has a kink, a tie or an infinity, and the accuracy of the losses at the edges.
/// Expected values are worked out by hand from the stated convention.
/// </summary>
public class NumericsTableTests
{
    private const double Inf = double.PositiveInfinity;

    private static double[] Grad(Func<Expr, Expr> f, params double[] at)
    {
        var x = (Var)Var64("x", at.Length);
        return Ad.Grad(f(x), x)[0].Eval(Env.Of((x, Tensor.From(at)))).ToArray<double>();
    }

    private static void Equal(double[] want, double[] got, double tol = 1e-12)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            Assert.True(want[i].Equals(got[i]) || Math.Abs(want[i] - got[i]) <= tol * Math.Max(1, Math.Abs(want[i])),
                $"element {i}: want {want[i]:R}, got {got[i]:R} (all: [{string.Join(", ", got)}])");
    }

    [Fact]
    public void Relu_abs_and_sign_have_derivative_0_at_0()
    {
        Equal(new[] { 0.0, 1.0, 0.0 }, Grad(x => Sum(Relu(x)), 0, 2, -2));
        Equal(new[] { 0.0, 1.0, -1.0 }, Grad(x => Sum(Abs(x)), 0, 2, -2));
        Equal(new[] { 0.0, 0.0, 0.0 }, Grad(x => Sum(Sign(x) * x.Shape.Size), 0, 2, -2));
    }

    [Fact]
    public void Maximum_and_minimum_split_a_tie_in_half_unlike_relu()
    {
        Equal(new[] { 0.5, 1.0, 0.0 }, Grad(x => Sum(Maximum(x, ZerosLike(x))), 0, 2, -2));
        Equal(new[] { 0.5, 0.0, 1.0 }, Grad(x => Sum(Minimum(x, ZerosLike(x))), 0, 2, -2));
    }

    [Fact]
    public void Max_and_min_over_axes_share_the_gradient_among_the_tied()
    {
        Equal(new[] { 1 / 3.0, 0, 1 / 3.0, 1 / 3.0 }, Grad(x => Max(x), 5, 1, 5, 5));
        Equal(new[] { 0.5, 0.5, 0, 0 }, Grad(x => Min(x), -1, -1, 0, 3));
    }

    [Fact]
    public void Norm_has_gradient_0_and_Hessian_I_at_0()
    {
        Equal(new[] { 0.0, 0.0 }, Grad(x => Norm(x), 0, 0));
        Equal(new[] { 0.6, 0.8 }, Grad(x => Norm(x), 3, 4));
        var x = (Var)Var64("x", 2);
        var h = Ad.Hessian(Norm(x), x).Eval(Env.Of((x, Tensor.From(new[] { 0.0, 0.0 })))).ToArray<double>();
        Equal(new[] { 1.0, 0, 0, 1 }, h);
    }

    [Fact]
    public void Pow_at_base_0_has_exponent_derivative_0_and_base_derivative_b_0_to_the_b_minus_1()
    {
        var a = (Var)Var64("a", 3);
        var b = (Var)Var64("b", 3);
        var env = Env.Of((a, Tensor.From(new[] { 0.0, 0.0, 0.0 })), (b, Tensor.From(new[] { 2.0, 1.0, 0.5 })));
        var g = Ad.Eval(Ad.Grad(Sum(Pow(a, b)), a, b), env);
        Equal(new[] { 0.0, 1.0, Inf }, g[0].ToArray<double>());
        Equal(new[] { 0.0, 0.0, 0.0 }, g[1].ToArray<double>());
        // Away from 0, ∂/∂b = log(a)·a^b as usual: at a = 2, b = 3 it is 8 ln 2.
        Equal(new[] { 8 * Math.Log(2) }, Ad.Eval(Ad.Grad(Sum(Pow(a, b)), b), Env.Of((a, Tensor.From(new[] { 2.0, 1, 1 })), (b, Tensor.From(new[] { 3.0, 0, 0 }))))[0].ToArray<double>()[..1]);
    }

    [Fact]
    public void Sqrt_and_log_have_their_true_infinite_derivative_at_0()
    {
        Equal(new[] { Inf }, Grad(x => Sum(Sqrt(x)), 0));
        Equal(new[] { Inf }, Grad(x => Sum(Log(x)), 0));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void LogSumExp_and_softmax_gradients_are_finite_on_rows_holding_minus_infinity(DType dtype)
    {
        var x = (Var)Var("x", new Shape(2, 3), dtype);
        var rows = Tensor.From(new[] { double.NegativeInfinity, 0, Math.Log(3), double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity }, new Shape(2, 3)).Cast(dtype);
        var env = Env.Of((x, rows));
        var w = Const(Tensor.From(new[] { 1.0, 2, 3, 1, 2, 3 }, new Shape(2, 3)).Cast(dtype));
        // Softmax of the row of -inf is NaN (the next test), and so is any gradient through it; its tests take row 0.
        var row = Slice(x, new[] { 0, 0 }, new[] { 1, 3 });
        var w0 = Slice(w, new[] { 0, 0 }, new[] { 1, 3 });
        var outputs = new[]
        {
            LogSumExp(x, 1),
            Ad.Grad(Sum(LogSumExp(x, 1)), x)[0],
            Ad.Grad(Sum(Softmax(row, 1) * w0), x)[0],
            Ad.Grad(Sum(LogSoftmax(row, 1) * w0), x)[0],
        };
        foreach (var got in new[] { Ad.Eval(outputs, env), Ad.Compile(outputs, x).Run(rows) })
        {
            double tol = dtype == DType.Float32 ? 1e-6 : 1e-12;
            // lse: log(1 + 3) = log 4 for the first row, -inf for the row of -inf.
            Equal(new[] { Math.Log(4), double.NegativeInfinity }, got[0].ToArray<double>(), tol);
            // ∂lse = softmax: (0, 1/4, 3/4), and 0 on the row of -inf.
            Equal(new[] { 0, 0.25, 0.75, 0, 0, 0 }, got[1].ToArray<double>(), tol);
            // ∂(w·softmax) = p ⊙ (w − w·p) with p = (0, 1/4, 3/4), w·p = 11/4: (0, -3/16, 3/16).
            Equal(new[] { 0, -3 / 16.0, 3 / 16.0, 0, 0, 0 }, got[2].ToArray<double>(), tol);
            // ∂(w·log_softmax) = w − (Σw)·p = (1, 2 − 6/4, 3 − 18/4) = (1, 0.5, -1.5); the -inf entry still gets its w.
            Equal(new[] { 1, 0.5, -1.5, 0, 0, 0 }, got[3].ToArray<double>(), tol);
        }
    }

    [Fact]
    public void Softmax_of_a_row_of_minus_infinity_is_NaN_as_in_TensorFlow()
    {
        var x = (Var)Var64("x", 2);
        var v = Softmax(x).Eval(Env.Of((x, Tensor.From(new[] { double.NegativeInfinity, double.NegativeInfinity })))).ToArray<double>();
        Assert.All(v, e => Assert.True(double.IsNaN(e)));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Softmax_cross_entropy_is_finite_with_minus_infinity_logits_where_the_label_is_0(DType dtype)
    {
        var z = (Var)Var("z", new Shape(1, 3), dtype);
        var labels = Const(Tensor.From(new[] { 0.0, 1, 0 }, new Shape(1, 3)).Cast(dtype));
        var at = Env.Of((z, Tensor.From(new[] { double.NegativeInfinity, 0, Math.Log(3) }, new Shape(1, 3)).Cast(dtype)));
        var loss = SoftmaxCrossEntropyWithLogits(labels, z);
        double tol = dtype == DType.Float32 ? 1e-6 : 1e-12;
        // p = (0, 1/4, 3/4): the loss is −log(1/4), the gradient p − y = (0, −3/4, 3/4).
        Equal(new[] { Math.Log(4) }, loss.Eval(at).ToArray<double>(), tol);
        Equal(new[] { 0, -0.75, 0.75 }, Ad.Grad(Sum(loss), z)[0].Eval(at).ToArray<double>(), tol);
    }

    [Theory]
    [InlineData(DType.Float32, 1e-6)]
    [InlineData(DType.Float64, 1e-12)]
    public void Binary_crossentropy_from_logits_is_accurate_at_the_edges(DType dtype, double tol)
    {
        double[] z = { 20, -20, 50, -50, 100, -100, 0, 3 };
        foreach (double y in new[] { 0.0, 1.0, 0.25 })
        {
            var logits = (Var)Var("z", new Shape(z.Length, 1), dtype);
            var labels = Const(Tensor.Full(new Shape(z.Length, 1), y, dtype));
            var loss = Losses.BinaryCrossentropy(labels, logits, fromLogits: true);
            var env = Env.Of((logits, Tensor.From(z, new Shape(z.Length, 1)).Cast(dtype)));
            var got = loss.Eval(env).ToArray<double>();
            var grad = Ad.Grad(Sum(loss), logits)[0].Eval(env).ToArray<double>();
            for (int i = 0; i < z.Length; i++)
            {
                // Reference in float64: softplus(z) − z·y with log1p, and σ(z) − y.
                double zi = dtype == DType.Float32 ? (float)z[i] : z[i];
                double t = Math.Exp(-Math.Abs(zi));
                double log1p = t < 1e-3 ? t - t * t / 2 + t * t * t / 3 - t * t * t * t / 4 : Math.Log(1 + t);
                double want = Math.Max(zi, 0) - zi * y + log1p;
                double sigma = 1 / (1 + Math.Exp(-zi));
                // float32's exp(-100) is subnormal, good to one subnormal step (1.4e-45) only.
                double floor = dtype == DType.Float32 ? 3e-45 : 1e-300;
                Assert.True(Math.Abs(got[i] - want) <= tol * Math.Abs(want) + floor, $"loss at y={y}, z={zi}: want {want:R}, got {got[i]:R}");
                Assert.True(Math.Abs(grad[i] - (sigma - y)) <= tol, $"gradient at y={y}, z={zi}: want {sigma - y:R}, got {grad[i]:R}");
            }
        }
    }

    [Fact]
    public void Probability_losses_clip_and_pass_the_derivative_only_inside_the_clip()
    {
        var p = (Var)Var64("p", 1, 3);
        var y = Const(Tensor.From(new[] { 1.0, 0, 1 }, new Shape(1, 3)));
        var at = Env.Of((p, Tensor.From(new[] { 0.0, 1.0, 0.5 }, new Shape(1, 3))));
        var g = Ad.Grad(Sum(Losses.BinaryCrossentropy(y, p)), p)[0].Eval(at).ToArray<double>();
        // Outside [1e-7, 1 − 1e-7] (p = 0 and p = 1) the clip is flat; inside, ∂/∂p of −log p / 3 is −1/(3p).
        Equal(new[] { 0, 0, -1 / 1.5 }, g);
    }

    [Fact]
    public void Piecewise_constant_operations_have_derivative_0()
    {
        Equal(new[] { 0.0, 0 }, Grad(x => Sum(Cast(Cast(x, DType.Int32), DType.Float64)), 1.5, -2.5));
        Equal(new[] { 0.0, 0 }, Grad(x => Sum(Greater(x, ZerosLike(x))), 1.5, -2.5));
        Equal(new[] { 0.0, 0 }, Grad(x => Sum(OneHot(Cast(x, DType.Int32), 3, DType.Float64)), 1.5, 0.5));
        Equal(new[] { 1.0, 0 }, Grad(x => Sum(Where(Greater(x, ZerosLike(x)), x, ZerosLike(x))), 1.5, -2.5));
    }

    [Fact]
    public void Float_to_int_conversion_truncates_and_saturates_everywhere()
    {
        double[] v = { 2.7, -2.7, double.NaN, 3e9, -3e9, double.PositiveInfinity, double.NegativeInfinity };
        int[] want = { 2, -2, 0, int.MaxValue, int.MinValue, int.MaxValue, int.MinValue };
        Assert.Equal(want, Tensor.From(v).Cast(DType.Int32).ToArray<int>());
        Assert.Equal(want, Tensor.From(v).ToArray<int>());
        Assert.Equal(want, Cast(Const(v), DType.Int32).Eval().ToArray<int>());
        var x = (Var)Var64("x", v.Length);
        Assert.Equal(want, Ad.Compile(new[] { Cast(x, DType.Int32) }, x).Run(Tensor.From(v))[0].ToArray<int>());
        for (int i = 0; i < v.Length; i++) Assert.Equal(want[i], Tensor.Full(Shape.Scalar, v[i], DType.Int32).ToArray<int>()[0]);
    }

    [Fact]
    public void Out_of_range_sparse_labels_raise_at_evaluation_naming_the_label_and_its_position()
    {
        var logits = Const(Tensor.From(new[] { 1.0, 2, 3, 1, 2, 3 }, new Shape(2, 3)));
        var loss = Losses.SparseCategoricalCrossentropy(Const(1, 7), logits, fromLogits: true);
        var e = Assert.Throws<FunctionalADException>(() => loss.Eval());
        Assert.Contains("label 7", e.Message);
        Assert.Contains("[1]", e.Message);
        var y = (Var)Var("y", new Shape(2), DType.Int32);
        var f = Ad.Compile(new[] { Losses.SparseCategoricalCrossentropy(y, logits, fromLogits: true) }, y);
        Assert.Contains("label -1", Assert.Throws<FunctionalADException>(() => f.Run(Tensor.From(new[] { -1, 0 }))).Message);
        Assert.Equal(2, f.Run(Tensor.From(new[] { 2, 0 }))[0].Size);
    }
}
