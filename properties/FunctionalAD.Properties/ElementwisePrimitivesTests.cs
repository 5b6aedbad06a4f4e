using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// The element-wise primitives, scans and combinators of issue 10 at their edges: erf against a 28-digit reference,
/// log1p/expm1 where 1 + x rounds to 1, log-sigmoid far out, the boundary conventions of clip and the α-ops, cumprod's
/// gradient through zeros, dropout's seeded mask, the statistics combinators, and all of them compiled.
/// </summary>
public class ElementwisePrimitivesTests
{
    // erf(x) = 2/√π Σ (-1)ⁿ x^(2n+1) / (n!(2n+1)) in decimal, from the exact binary value of x; up to |x| = 4.5 the
    // largest term is under 10⁹, so 28 digits leave more than float64 needs. Beyond, 1 - erfc(x) with erfc from its
    // asymptotic series e^-x²/(x√π) Σ (-1)ⁿ (2n-1)!!/(2x²)ⁿ, whose error there is far below float64's ulp of 1.
    internal static double ErfReference(double x)
    {
        if (double.IsNaN(x)) return x;
        if (Math.Abs(x) > 4.5)
        {
            double a = Math.Abs(x), t = 1, s = 1;
            for (int n = 1; n <= 12; n++) { t *= -(2 * n - 1) / (2 * a * a); s += t; }
            return Math.Sign(x) * (1 - Math.Exp(-a * a) / (a * Math.Sqrt(Math.PI)) * s);
        }
        // Below decimal's range the series is its first term; the next is x²/3 of it, far below an ulp.
        if (Math.Abs(x) < 1e-20) return 1.1283791670955126 * x;
        decimal d = Exact(x), x2 = d * d, term = d, sum = d;
        for (int n = 1; n < 500; n++)
        {
            term = -term * x2 / n;
            decimal t = term / (2 * n + 1);
            sum += t;
            if (Math.Abs(t) < 1e-27m) break;
        }
        return (double)(sum * 1.1283791670955125738961589031m);
    }

    private static decimal Exact(double x)
    {
        if (x == 0) return 0;
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(x));
        int e = (int)((bits >> 52) & 0x7FF);
        long m = (bits & 0xFFFFFFFFFFFFFL) | (1L << 52);
        decimal d = m;
        for (int k = 1075 - e; k > 0; k--) d /= 2;
        for (int k = 1075 - e; k < 0; k++) d *= 2;
        return Math.Sign(x) * d;
    }

    private static double Ulp(double v) => Math.BitIncrement(Math.Abs(v)) - Math.Abs(v);
    private static float Ulp(float v) => MathF.BitIncrement(Math.Abs(v)) - Math.Abs(v);

    /// <summary>Runs the primitive's span kernel over 37 copies of x (vector body and remainder) in both float types.</summary>
    private static (double[] D, float[] F) Map(UnaryElementwise op, double x)
    {
        const int n = 37;
        var yd = new double[n];
        op.Map<double>(Enumerable.Repeat(x, n).ToArray(), yd);
        var yf = new float[n];
        op.Map<float>(Enumerable.Repeat((float)x, n).ToArray(), yf);
        return (yd, yf);
    }

    [Fact]
    public void Erf_is_within_a_few_ulp_of_a_high_precision_reference()
    {
        var xs = new List<double> { 0, 1e-300, 1e-10, 1e-5, 0.1, 0.5, 0.84375, 1, 1.25, 2, 2.4999, 2.5, 3, 4, 5, 5.9999, 6, 10 };
        for (double x = 0.0137; x < 6; x += 0.0731) xs.Add(x);
        foreach (var x0 in xs)
            foreach (var x in new[] { x0, -x0 })
            {
                double want = ErfReference(x);
                var (d, f) = Map(ErfOp.Instance, x);
                Assert.True(Math.Abs(d[0] - want) <= Math.Max(8 * Ulp(want), 1e-15 * Math.Abs(want)) || (want == 0 && d[0] == 0),
                    $"float64 erf({x:R}) = {d[0]:R}, want {want:R}");
                Assert.True(d.All(v => v.Equals(d[0])), $"erf({x}): the vector lanes and the remainder disagree");
                float wf = (float)ErfReference((float)x);
                Assert.True(Math.Abs(f[0] - wf) <= Ulp(wf), $"float32 erf({(float)x:R}) = {f[0]:R}, want {wf:R}");
            }
        var (nan, _) = Map(ErfOp.Instance, double.NaN);
        Assert.True(double.IsNaN(nan[0]));
        Assert.Equal(1.0, Map(ErfOp.Instance, double.PositiveInfinity).D[0]);
        Assert.Equal(-1.0, Map(ErfOp.Instance, double.NegativeInfinity).D[0]);
    }

    [Fact]
    public void Float32_erf_is_within_one_ulp_on_a_dense_sweep()
    {
        // 20,001 points over [-4.5, 4.5], through the vector kernel and the scalar form alike.
        var xs = Enumerable.Range(-10000, 20001).Select(i => (float)(i * 4.5e-4)).ToArray();
        var ys = new float[xs.Length];
        ErfOp.Instance.Map<float>(xs, ys);
        for (int i = 0; i < xs.Length; i++)
        {
            float want = (float)ErfReference(xs[i]);
            Assert.True(Math.Abs(ys[i] - want) <= Ulp(want), $"float32 erf({xs[i]:R}) = {ys[i]:R}, want {want:R}");
            Assert.Equal(ys[i], ErfOperator.Invoke(xs[i]));
        }
    }

    [Theory]
    [InlineData(1e-10)]
    [InlineData(-1e-10)]
    [InlineData(3e-8)]
    [InlineData(1e-3)]
    [InlineData(0.5)]
    [InlineData(-0.5)]
    [InlineData(20.0)]
    public void Log1p_and_expm1_keep_digits_where_one_plus_x_rounds_to_one(double x)
    {
        // Series to the term where it stops mattering in float64.
        double l = 0, e = 0, p = 1;
        for (int k = 1; k < 60; k++)
        {
            p *= x;
            l += (k % 2 == 1 ? 1 : -1) * p / k;
        }
        double term = 1;
        for (int k = 1; k < 80; k++) { term *= x / k; e += term; }
        if (Math.Abs(x) < 0.75) Assert.True(Math.Abs(Map(Log1pOp.Instance, x).D[0] - l) <= 2 * Ulp(l), $"log1p({x}) = {Map(Log1pOp.Instance, x).D[0]:R}, want {l:R}");
        Assert.True(Math.Abs(Map(Expm1Op.Instance, x).D[0] - e) <= 4 * Ulp(e), $"expm1({x}) = {Map(Expm1Op.Instance, x).D[0]:R}, want {e:R}");
        Assert.True(Math.Abs(Map(Expm1Op.Instance, x).F[0] - (float)e) <= 2 * Ulp((float)e), $"float32 expm1({x}) = {Map(Expm1Op.Instance, x).F[0]:R}");
        if (Math.Abs(x) < 0.75) Assert.True(Math.Abs(Map(Log1pOp.Instance, x).F[0] - (float)l) <= 2 * Ulp((float)l), $"float32 log1p({x})");
    }

    [Fact]
    public void Log1p_and_expm1_special_values()
    {
        Assert.Equal(double.NegativeInfinity, Map(Log1pOp.Instance, -1).D[0]);
        Assert.True(double.IsNaN(Map(Log1pOp.Instance, -2).D[0]));
        Assert.Equal(double.PositiveInfinity, Map(Log1pOp.Instance, double.PositiveInfinity).D[0]);
        Assert.Equal(float.PositiveInfinity, Map(Log1pOp.Instance, double.PositiveInfinity).F[0]);
        Assert.Equal(-1.0, Map(Expm1Op.Instance, -800).D[0]);
        Assert.Equal(-1f, Map(Expm1Op.Instance, -200).F[0]);
        Assert.Equal(double.PositiveInfinity, Map(Expm1Op.Instance, 800).D[0]);
        Assert.Equal(float.PositiveInfinity, Map(Expm1Op.Instance, 100).F[0]);
        Assert.Equal(0.0, Map(Expm1Op.Instance, 0).D[0]);
    }

    [Theory]
    [InlineData(-100.0)]
    [InlineData(-50.0)]
    [InlineData(-20.0)]
    [InlineData(0.0)]
    [InlineData(20.0)]
    [InlineData(50.0)]
    [InlineData(100.0)]
    public void LogSigmoid_is_accurate_far_out_in_both_float_types(double x)
    {
        double want = -ElementwiseOperatorTests.SoftplusReference(-x);
        var (d, f) = Map(LogSigmoidOp.Instance, x);
        Assert.True(Math.Abs(d[0] - want) <= 3 * Ulp(want), $"float64 log_sigmoid({x}) = {d[0]:R}, want {want:R}");
        Assert.True(Math.Abs(f[0] - (float)want) <= 2 * Ulp((float)want), $"float32 log_sigmoid({x}) = {f[0]:R}, want {(float)want:R}");
        Assert.True(d[0] < 0, "log σ(x) is negative everywhere, even at 100 where it is -e^-100");
    }

    /// <summary>Ad.Grad of Σ f(x) against float64 central differences.</summary>
    private static void GradientMatches(Func<Expr, Expr> f, double[] xs, double tol = 1e-7)
    {
        var x = Var64("x", xs.Length);
        var g = Ad.Eval(new[] { Ad.Grad(Sum(f(x)), x)[0] }, Env.Of((x, Tensor.From(xs))))[0].ToDoubleArray();
        for (int i = 0; i < xs.Length; i++)
        {
            double F(double h)
            {
                var p = (double[])xs.Clone();
                p[i] += h;
                return Sum(f(Const(Tensor.From(p)))).Eval(Env.Empty).ToDoubleArray()[0];
            }
            double fd = (F(1e-6) - F(-1e-6)) / 2e-6;
            Assert.True(Math.Abs(g[i] - fd) <= tol * Math.Max(1, Math.Abs(fd)), $"d/dx[{i}] = {g[i]:R}, central difference {fd:R}");
        }
    }

    [Fact]
    public void Gelu_exact_and_approximate_match_their_definitions_and_gradients()
    {
        var xs = new[] { -4.0, -1.5, -0.3, 0, 0.7, 1, 2.5, 6 };
        var exact = Gelu(Const(Tensor.From(xs))).Eval(Env.Empty).ToDoubleArray();
        var approx = Gelu(Const(Tensor.From(xs)), approximate: true).Eval(Env.Empty).ToDoubleArray();
        for (int i = 0; i < xs.Length; i++)
        {
            double x = xs[i];
            double want = 0.5 * x * (1 + ErfReference(x / Math.Sqrt(2)));
            Assert.True(Math.Abs(exact[i] - want) <= 1e-15 * Math.Max(1, Math.Abs(want)), $"gelu({x}) = {exact[i]:R}, want {want:R}");
            double wantApprox = 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            Assert.True(Math.Abs(approx[i] - wantApprox) <= 1e-15 * Math.Max(1, Math.Abs(wantApprox)), $"gelu~({x}) = {approx[i]:R}, want {wantApprox:R}");
        }
        // Φ(1) = 0.841344746068542948585232545632: gelu(1) is it.
        Assert.Equal(0.8413447460685429, exact[5], 15);
        GradientMatches(x => Gelu(x), xs);
        GradientMatches(x => Gelu(x, approximate: true), xs);
        // The second derivative, through erf's rule: gelu''(x) = φ(x)(2 - x²).
        var v = Var64("v", 3);
        var h = Ad.Grad(Sum(Ad.Grad(Sum(Gelu(v)), v)[0]), v)[0];
        var hv = Ad.Eval(new[] { h }, Env.Of((v, Tensor.From(new[] { -1.0, 0.5, 2 }))))[0].ToDoubleArray();
        foreach (var (x, got) in new[] { -1.0, 0.5, 2 }.Zip(hv))
            Assert.Equal(Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI) * (2 - x * x), got, 12);
    }

    [Fact]
    public void New_unary_primitives_have_gradients_matching_central_differences_through_second_order()
    {
        var xs = new[] { -2.5, -0.7, 0.3, 1.9 };
        GradientMatches(Erf, xs);
        GradientMatches(Expm1, xs);
        GradientMatches(Softsign, xs);
        GradientMatches(LogSigmoid, xs);
        GradientMatches(x => Log1p(x), new[] { -0.9, 0, 0.4, 30 });
        foreach (var f in new Func<Expr, Expr>[] { Erf, Expm1, LogSigmoid, Softsign, x => Elu(x, 0.5), x => LeakyRelu(x, 0.1), x => Log1p(Abs(x)) })
            SecondDerivativeMatches(f, xs);
    }

    /// <summary>f'' from differentiating twice against central differences of f' (f element-wise, so one pass suffices).</summary>
    private static void SecondDerivativeMatches(Func<Expr, Expr> f, double[] xs)
    {
        var v = Var64("v", xs.Length);
        var g1 = Ad.Grad(Sum(f(v)), v)[0];
        var g2 = Ad.Grad(Sum(g1), v)[0];
        double[] At(Expr e, double h) => Ad.Eval(new[] { e }, Env.Of((v, Tensor.From(xs.Select(x => x + h).ToArray()))))[0].ToDoubleArray();
        var got = At(g2, 0);
        double[] up = At(g1, 1e-6), down = At(g1, -1e-6);
        for (int i = 0; i < xs.Length; i++)
        {
            double fd = (up[i] - down[i]) / 2e-6;
            Assert.True(Math.Abs(got[i] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{f(v)}'' at {xs[i]} = {got[i]:R}, central difference of the gradient {fd:R}");
        }
    }

    [Fact]
    public void Atan2_covers_the_four_quadrants_and_has_a_zero_gradient_at_the_origin()
    {
        var y = Var64("y", 5);
        var x = Var64("x", 5);
        double[] yv = { 1, 1, -1, -1, 0 }, xv = { 1, -1, -1, 1, 0 };
        var env = Env.Of((y, Tensor.From(yv)), (x, Tensor.From(xv)));
        var a = Atan2(y, x);
        var r = Ad.Eval(new[] { a }.Concat(Ad.Grad(Sum(a), y, x)).ToArray(), env);
        var angle = r[0].ToDoubleArray();
        for (int i = 0; i < 5; i++) Assert.Equal(Math.Atan2(yv[i], xv[i]), angle[i]);
        var gy = r[1].ToDoubleArray();
        var gx = r[2].ToDoubleArray();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(xv[i] / 2, gy[i], 15);
            Assert.Equal(-yv[i] / 2, gx[i], 15);
        }
        Assert.Equal(0.0, gy[4]);
        Assert.Equal(0.0, gx[4]);
    }

    [Fact]
    public void ClipByValue_passes_the_gradient_on_the_closed_interval_and_hands_the_rest_to_the_bounds()
    {
        var x = Var64("x", 6);
        var lo = Var64("lo");
        var hi = Var64("hi");
        var env = Env.Of((x, Tensor.From(new[] { -3.0, -1, -0.5, 0.5, 1, 3 })), (lo, Tensor.Scalar(-1.0)), (hi, Tensor.Scalar(1.0)));
        var y = ClipByValue(x, lo, hi);
        var r = Ad.Eval(new[] { y }.Concat(Ad.Grad(Sum(y * Const(new[] { 1.0, 2, 3, 4, 5, 6 })), x, lo, hi)).ToArray(), env);
        Assert.Equal(new[] { -1.0, -1, -0.5, 0.5, 1, 1 }, r[0].ToDoubleArray());
        // Boundaries included: x = lo and x = hi pass the gradient to x, as TensorFlow's clip_by_value does.
        Assert.Equal(new[] { 0.0, 2, 3, 4, 5, 0 }, r[1].ToDoubleArray());
        Assert.Equal(1.0, r[2].ToDoubleArray()[0]);
        Assert.Equal(6.0, r[3].ToDoubleArray()[0]);
        var nan = ClipByValue(Const(new[] { double.NaN }), -1, 1).Eval(Env.Empty).ToDoubleArray();
        Assert.True(double.IsNaN(nan[0]));
        Assert.Throws<ArgumentOutOfRangeException>("lo", () => ClipByValue(x, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>("hi", () => ClipByValue(x, 0, double.NaN));
        var e = Assert.Throws<ShapeException>(() => ClipByValue(x, Var64("l", 3), hi));
        Assert.Contains("clip_value_min", e.Message);
    }

    [Fact]
    public void Alpha_ops_keep_alpha_in_their_key_and_take_it_as_derivative_at_zero()
    {
        var x = Var("x", 3);
        Assert.Same(LeakyRelu(x, 0.3), LeakyRelu(x, 0.3));
        Assert.NotSame(LeakyRelu(x, 0.3), LeakyRelu(x, 0.2));
        Assert.NotSame(Elu(x, 0.3), Elu(x));
        Assert.Equal("leaky_relu(x, alpha=0.3)", LeakyRelu(x, 0.3).ToString());
        Assert.Equal("elu(x)", Elu(x).ToString());
        var v = Var64("v", 4);
        var env = Env.Of((v, Tensor.From(new[] { -2.0, 0, 1e-3, 3 })));
        var lr = Ad.Eval(new[] { LeakyRelu(v), Ad.Grad(Sum(LeakyRelu(v)), v)[0] }, env);
        Assert.Equal(new[] { -0.4, 0, 1e-3, 3 }, lr[0].ToDoubleArray());
        Assert.Equal(new[] { 0.2, 0.2, 1, 1 }, lr[1].ToDoubleArray());
        var el = Ad.Eval(new[] { Elu(v, 2), Ad.Grad(Sum(Elu(v, 2)), v)[0] }, env);
        Assert.Equal(2 * (Math.Exp(-2) - 1), el[0].ToDoubleArray()[0], 15);
        foreach (var (want, got) in new[] { 2 * Math.Exp(-2), 2, 1, 1 }.Zip(el[1].ToDoubleArray())) Assert.Equal(want, got, 14);
        // Far positive x: the exponential sees only x ≤ 0, so no inf leaks into value or gradient.
        var big = Ad.Eval(new[] { Ad.Grad(Sum(Elu(Var("b", 1))), Var("b", 1))[0] }, Env.Of((Var("b", 1), Tensor.From(new[] { 1000f }))))[0];
        Assert.Equal(1f, big.ToFloatArray()[0]);
        Assert.Throws<ArgumentOutOfRangeException>("alpha", () => LeakyRelu(x, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("alpha", () => Elu(x, double.PositiveInfinity));
    }

    [Fact]
    public void CumSum_and_CumProd_match_loops_in_every_mode()
    {
        double[] xs = { 2, -1, 3, 0.5 };
        foreach (var exclusive in new[] { false, true })
            foreach (var reverse in new[] { false, true })
            {
                var order = reverse ? new[] { 3, 2, 1, 0 } : new[] { 0, 1, 2, 3 };
                var s = new double[4];
                var p = new double[4];
                double accS = 0, accP = 1;
                foreach (var k in order)
                {
                    if (exclusive) { s[k] = accS; p[k] = accP; }
                    accS += xs[k];
                    accP *= xs[k];
                    if (!exclusive) { s[k] = accS; p[k] = accP; }
                }
                var x = Const(Tensor.From(xs));
                Assert.Equal(s, CumSum(x, 0, exclusive, reverse).Eval(Env.Empty).ToDoubleArray());
                Assert.Equal(p, CumProd(x, 0, exclusive, reverse).Eval(Env.Empty).ToDoubleArray());
            }
        // Along an inner axis of a matrix, negative axis.
        var m = Const(Tensor.From(new[] { 1.0, 2, 3, 4, 5, 6 }, new Shape(2, 3)));
        Assert.Equal(new[] { 1.0, 3, 6, 4, 9, 15 }, CumSum(m, -1).Eval(Env.Empty).ToDoubleArray());
        Assert.Equal(new[] { 1.0, 2, 3, 4, 10, 18 }, CumProd(m, 0).Eval(Env.Empty).ToDoubleArray());
        Assert.Throws<AxisException>(() => CumSum(Var("s"), 0));
        Assert.Throws<AxisException>(() => CumProd(m, 2));
    }

    [Fact]
    public void CumProd_gradient_is_exact_where_x_has_zeros()
    {
        double[] xs = { 2, 0, 3, 0, 5, -1.5 };
        double[] g = { 1, -2, 0.5, 3, 1, 2 };
        foreach (var exclusive in new[] { false, true })
            foreach (var reverse in new[] { false, true })
            {
                var x = Var64("x", xs.Length);
                var y = CumProd(x, 0, exclusive, reverse);
                var got = Ad.Eval(new[] { Ad.Grad(Sum(y * Const(g)), x)[0] }, Env.Of((x, Tensor.From(xs))))[0].ToDoubleArray();
                // ∂/∂x_k Σᵢ gᵢ Π_{j in window(i)} xⱼ, the product skipping x_k, by brute force.
                for (int k = 0; k < xs.Length; k++)
                {
                    double want = 0;
                    for (int i = 0; i < xs.Length; i++)
                    {
                        bool In(int j) => reverse ? (exclusive ? j > i : j >= i) : (exclusive ? j < i : j <= i);
                        if (!In(k)) continue;
                        double prod = 1;
                        for (int j = 0; j < xs.Length; j++) if (j != k && In(j)) prod *= xs[j];
                        want += g[i] * prod;
                    }
                    Assert.True(Math.Abs(got[k] - want) <= 1e-12 * Math.Max(1, Math.Abs(want)),
                        $"exclusive={exclusive} reverse={reverse}: d/dx[{k}] = {got[k]:R}, want {want:R}");
                }
            }
    }

    [Fact]
    public void Dropout_is_seeded_scaled_and_the_identity_when_not_training()
    {
        var x = Var("x", 100, 100);
        Assert.Same(x, Dropout(x, 0.5, seed: 1, training: false));
        Assert.Same(x, Dropout(x, 0, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>("rate", () => Dropout(x, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>("rate", () => Dropout(x, -0.1, 1));
        Assert.Throws<ArgumentOutOfRangeException>("rate", () => Dropout(x, double.NaN, 1));
        var m = DropoutMask(new Shape(100, 100), 0.3, seed: 42).ToFloatArray();
        Assert.Equal(m, DropoutMask(new Shape(100, 100), 0.3, seed: 42).ToFloatArray());
        Assert.NotEqual(m, DropoutMask(new Shape(100, 100), 0.3, seed: 43).ToFloatArray());
        Assert.All(m, v => Assert.True(v == 0 || v == (float)(1 / 0.7)));
        double kept = m.Count(v => v != 0) / 10000.0;
        Assert.InRange(kept, 0.7 - 0.02, 0.7 + 0.02); // 4.4 standard deviations of a binomial(10000, 0.7) fraction
        // The mask follows SplitMix64 seeded with 0, whose first outputs are published:
        // 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F.
        double[] u = { 0xE220A8397B1DCDAFUL >> 11, 0x6E789E6AA1B965F4UL >> 11, 0x06C45D188009454FUL >> 11 };
        for (int i = 0; i < 3; i++)
        {
            double ui = u[i] / (1UL << 53);
            Assert.NotEqual(0.0, DropoutMask(new Shape(3), ui, seed: 0, DType.Float64).ToDoubleArray()[i]);
            Assert.Equal(0.0, DropoutMask(new Shape(3), Math.BitIncrement(ui), seed: 0, DType.Float64).ToDoubleArray()[i]);
        }
        // y = x·m, so its gradient is the mask.
        var v = Var64("v", 50);
        var d = Dropout(v, 0.25, seed: 7);
        var grad = Ad.Eval(new[] { Ad.Grad(Sum(d), v)[0] }, Env.Of((v, Tensor.Full(new Shape(50), 1.0, DType.Float64))))[0];
        Assert.Equal(DropoutMask(new Shape(50), 0.25, 7, DType.Float64).ToDoubleArray(), grad.ToDoubleArray());
    }

    [Fact]
    public void Variance_moments_and_layer_normalization_match_direct_computation()
    {
        var data = new[] { 1.0, 2, 4, 8, -1, 0.5, 3, 7, 2, 2, 2, 9 };
        var x = Const(Tensor.From(data, new Shape(3, 4)));
        var rows = Enumerable.Range(0, 3).Select(r => data.Skip(4 * r).Take(4).ToArray()).ToArray();
        var wantMean = rows.Select(r => r.Average()).ToArray();
        var wantVar = rows.Select(r => r.Select(v => (v - r.Average()) * (v - r.Average())).Average()).ToArray();
        var (mean, variance) = Moments(x, new[] { 1 });
        Assert.Equal(new Shape(3), mean.Shape);
        Assert.Equal(wantMean, mean.Eval(Env.Empty).ToDoubleArray());
        var gotVar = variance.Eval(Env.Empty).ToDoubleArray();
        for (int i = 0; i < 3; i++) Assert.Equal(wantVar[i], gotVar[i], 13);
        Assert.Equal(new Shape(3, 1), Variance(x, new[] { -1 }, keepDims: true).Shape);
        Assert.Equal(new Shape(1, 1), Moments(x, new[] { 0, 1 }, keepDims: true).Mean.Shape);
        // Centring first: a constant offset of 1e8 leaves the variance of float64 data intact.
        var shifted = Variance(Const(Tensor.From(new[] { 1e8 + 1, 1e8 + 2, 1e8 + 3 }))).Eval(Env.Empty).ToDoubleArray()[0];
        Assert.Equal(2.0 / 3, shifted, 9);

        var gamma = Const(new[] { 1.0, 2, 0.5, -1 });
        var beta = Const(new[] { 0.0, 1, 0, 3 });
        var ln = LayerNormalization(x, gamma, beta).Eval(Env.Empty).ToDoubleArray();
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
            {
                double want = (rows[r][c] - wantMean[r]) / Math.Sqrt(wantVar[r] + 1e-3) * new[] { 1.0, 2, 0.5, -1 }[c] + new[] { 0.0, 1, 0, 3 }[c];
                Assert.Equal(want, ln[4 * r + c], 12);
            }
        // Along axis 0 with per-row parameters (3).
        var ln0 = LayerNormalization(x, Const(new[] { 1.0, 2, 3 }), null, axis: 0, epsilon: 0).Eval(Env.Empty).ToDoubleArray();
        var col = new[] { data[0], data[4], data[8] };
        double cm = col.Average(), cv = col.Select(v => (v - cm) * (v - cm)).Average();
        Assert.Equal(2 * (data[4] - cm) / Math.Sqrt(cv), ln0[4], 12);
        Assert.Throws<ShapeException>(() => LayerNormalization(x, Const(new[] { 1.0, 2 })));
        // Over both axes with a (3, 4) scale: every element normalized by the whole matrix' moments.
        var all = LayerNormalization(x, Const(Tensor.Full(new Shape(3, 4), 2.0, DType.Float64)), null, new[] { 0, 1 }, 0).Eval(Env.Empty).ToDoubleArray();
        double am = data.Average(), av = data.Select(v => (v - am) * (v - am)).Average();
        for (int i = 0; i < data.Length; i++) Assert.Equal(2 * (data[i] - am) / Math.Sqrt(av), all[i], 12);
        Assert.Throws<AxisException>(() => LayerNormalization(x, null, null, Array.Empty<int>()));
        Assert.Throws<ArgumentOutOfRangeException>("epsilon", () => LayerNormalization(x, epsilon: -1));
        Assert.Throws<AxisException>(() => LayerNormalization(x, axis: 2));
        GradientMatches(v => LayerNormalization(Reshape(v, 2, 3), Const(new[] { 1.0, -2, 0.5 }), Const(new[] { 0.1, 0.2, 0.3 })) * Const(new[] { 1.0, 2, 3 }),
            new[] { 0.3, -1, 2, 0.7, 0.1, -0.4 });
        GradientMatches(v => Variance(Reshape(v, 2, 3), new[] { 0 }) * Const(new[] { 1.0, 2, 3 }), new[] { 0.3, -1, 2, 0.7, 0.1, -0.4 });
    }

    [Fact]
    public void Sort_and_ArgSort_order_rows_stably_and_scatter_the_gradient_back()
    {
        var data = new[] { 3.0, -1, 2, -1, double.NaN, 0, 5, 4, 4, 1 };
        var x = Var64("x", 2, 5);
        var env = Env.Of((x, Tensor.From(data, new Shape(2, 5))));
        var r = Ad.Eval(new[] { ArgSort(x), ArgSort(x, descending: true) }, env);
        Assert.Equal(DType.Int32, r[0].DType);
        // Equal elements keep their order; NaN is last ascending, first descending.
        Assert.Equal(new[] { 1, 3, 2, 0, 4, 0, 4, 2, 3, 1 }, r[0].ToArray<int>());
        Assert.Equal(new[] { 4, 0, 2, 1, 3, 1, 2, 3, 4, 0 }, r[1].ToArray<int>());
        var sorted = Sort(x).Eval(env).ToDoubleArray();
        Assert.Equal(new[] { -1.0, -1, 2, 3 }, sorted.Take(4));
        Assert.True(double.IsNaN(sorted[4]));
        Assert.Equal(new[] { 5.0, 4, 4, 1, 0 }, Sort(x, descending: true).Eval(env).ToDoubleArray().Skip(5));
        // Σ w_j sort(x)_j: element i gets the weight of the place it went to.
        var w = Const(Tensor.From(new[] { 1.0, 2, 3, 4, 5, 10, 20, 30, 40, 50 }, new Shape(2, 5)));
        var g = Ad.Eval(new[] { Ad.Grad(Sum(Sort(x, descending: true) * w), x)[0] }, env)[0].ToDoubleArray();
        Assert.Equal(new[] { 2.0, 4, 3, 5, 1, 50, 10, 20, 30, 40 }, g);
        Assert.Throws<ShapeException>(() => Sort(Var("s")));
        Assert.Empty(Ad.Compile(new[] { ArgSort(x), Sort(x) }, x).InterpretedSteps);
        Assert.Throws<DTypeException>(() => ArgSort(Const(1, 2)));
    }

    [Fact]
    public void New_operations_print_as_text_and_latex_with_their_parameters()
    {
        var x = Var("x", 2, 3);
        var y = Var("y", 2, 3);
        var cases = new (Expr E, string Text, string Latex)[]
        {
            (Log1p(x), "log1p(x)", "\\operatorname{log1p}"),
            (Expm1(x), "expm1(x)", "\\operatorname{expm1}"),
            (Erf(x), "erf(x)", "\\operatorname{erf}"),
            (Softsign(x), "softsign(x)", "\\operatorname{softsign}"),
            (LogSigmoid(x), "log_sigmoid(x)", "\\operatorname{log\\_sigmoid}"),
            (Atan2(y, x), "atan2(y, x)", "\\operatorname{atan2}"),
            (LeakyRelu(x), "leaky_relu(x, alpha=0.2)", "alpha=0.2"),
            (Elu(x, 0.5), "elu(x, alpha=0.5)", "\\operatorname{elu}"),
            (CumSum(x, 1, exclusive: true, reverse: true), "cumsum(x, axis=1, exclusive, reverse)", "\\operatorname{cumsum}"),
            (ArgSort(x, descending: true), "argsort(x, descending)", "\\operatorname{argsort}"),
        };
        foreach (var (e, text, latex) in cases)
        {
            Assert.Equal(text, e.ToString());
            Assert.Contains(latex, e.ToLatex());
        }
        Assert.Contains("linear_scan(", CumProd(x, 1).ToString());
        Assert.Contains("permute_rows(x, argsort(x))", Sort(x).ToString());
    }

    [Fact]
    public void Every_new_operation_compiles_to_what_the_interpreter_gives()
    {
        var a = Var64("a", 3, 5);
        var b = Var64("b", 3, 5);
        var outs = new[]
        {
            Log1p(Abs(a)), Expm1(a), Erf(a), Gelu(a), Gelu(a, approximate: true), Atan2(a, b), ClipByValue(a, -0.5, 0.5),
            Softsign(a), Elu(a, 0.7), LeakyRelu(a), LogSigmoid(a), CumSum(a, 1), CumSum(a, 0, exclusive: true, reverse: true),
            CumProd(a, 1), CumProd(b, 0, exclusive: true), Dropout(a, 0.4, seed: 3), Variance(a, new[] { 1 }), LayerNormalization(a),
            LinearScan(b, a, 1, reverse: true), Sort(a), Sort(b, descending: true) * a,
        };
        var loss = outs.Select(o => Sum(o * o)).Aggregate((p, q) => p + q);
        var all = outs.Append(loss).Concat(Ad.Grad(loss, a, b)).ToArray();
        var f = Ad.Compile(all, a, b);
        Assert.Empty(f.InterpretedSteps);
        var values = new[] { Tensor.RandomNormal(new Shape(3, 5), seed: 1, dtype: DType.Float64), Tensor.RandomNormal(new Shape(3, 5), seed: 2, dtype: DType.Float64) };
        var want = Ad.Eval(all, Env.Of((a, values[0]), (b, values[1])));
        var got = f.Run(values);
        for (int i = 0; i < all.Length; i++)
            Assert.True(want[i].AllClose(got[i], 1e-12, 1e-12), $"output {i}: {all[i]}\nwant {want[i]}\ngot  {got[i]}");
    }
}
