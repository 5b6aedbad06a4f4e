using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// The element-wise operators that every backend shares: softplus accurate across the float range, and the
/// interpreter, the tiled fused step and the register-fused loop giving the same bits for every element-wise
/// primitive (they run one operator struct).
/// </summary>
public class ElementwiseOperatorTests
{
    // softplus(x) = log(1 + e^x): for |x| <= 20 in decimal arithmetic (28 digits: e^x by its series after halving,
    // log1p by its series); beyond, where decimal's fixed point runs out of digits, log1p(y) = y - y²/2 + y³/3 in
    // float64 from y = e^x, whose truncation is below 1e-26 relative.
    internal static double SoftplusReference(double x)
    {
        if (x > 0) return x + SoftplusReference(-x);
        if (x < -20)
        {
            double e = Math.Exp(x);
            return e - e * e / 2 + e * e * e / 3;
        }
        // Here x <= 0, so y = e^x <= 1 and log(1 + y) = 2 atanh(y / (2 + y)) converges fast.
        decimal y = ExpDecimal((decimal)x);
        decimal z = y / (2 + y), z2 = z * z, term = z, sum = 0;
        for (int k = 1; k < 200 && term != 0; k += 2)
        {
            sum += term / k;
            term *= z2;
        }
        return (double)(2 * sum);
    }

    private static decimal ExpDecimal(decimal x)
    {
        // e^x = (e^(x / 2^k))^(2^k), with the small power by its Taylor series.
        int k = 0;
        while (Math.Abs(x) > 0.01m) { x /= 2; k++; }
        decimal term = 1, sum = 1;
        for (int n = 1; n < 30; n++) { term *= x / n; sum += term; }
        for (int i = 0; i < k; i++) sum *= sum;
        return sum;
    }

    [Theory]
    [InlineData(-100.0)]
    [InlineData(-50.0)]
    [InlineData(-30.0)]
    [InlineData(-20.0)]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(20.0)]
    [InlineData(50.0)]
    [InlineData(100.0)]
    public void Softplus_is_accurate_across_the_range_in_both_float_types(double x)
    {
        double want = SoftplusReference(x);
        var n = 37; // not a multiple of a vector, so the padded remainder is covered too
        var d = Enumerable.Repeat(x, n).ToArray();
        var yd = new double[n];
        SoftplusOp.Instance.Map<double>(d, yd);
        var f = Enumerable.Repeat((float)x, n).ToArray();
        var yf = new float[n];
        SoftplusOp.Instance.Map<float>(f, yf);
        for (int i = 0; i < n; i++)
        {
            // The reference's own exp may be half an ulp off: 3 ulp in float64, 2 in float32.
            Assert.True(Math.Abs(yd[i] - want) <= 3 * Ulp(want), $"float64 softplus({x}) = {yd[i]:R}, want {want:R}");
            float wf = (float)want;
            Assert.True(Math.Abs(yf[i] - wf) <= 2 * Ulp(wf), $"float32 softplus({x}) = {yf[i]:R}, want {wf:R}");
        }
    }

    private static double Ulp(double v) => Math.BitIncrement(Math.Abs(v)) - Math.Abs(v);
    private static float Ulp(float v) => MathF.BitIncrement(Math.Abs(v)) - Math.Abs(v);

    [Fact]
    public void Softplus_keeps_tiny_values_instead_of_rounding_them_to_zero()
    {
        var y = Softplus(Const(Tensor.From(new[] { -20f, -30f, -100f }))).Eval(Env.Empty).ToFloatArray();
        Assert.Equal(2.0611537e-9f, y[0], 1e-15f);
        Assert.True(y[1] > 0 && y[2] > 0, "softplus of -30 and -100 are positive in float32, not 0");
        var d = Softplus(Const(Tensor.From(new[] { -30.0 }))).Eval(Env.Empty).ToDoubleArray();
        // e^-30 minus its square over 2, which is 350 ulp of it: a log(1 + y) computed as log(1 + y) gets neither term.
        Assert.True(Math.Abs(d[0] - SoftplusReference(-30)) <= 3 * Ulp(d[0]), $"{d[0]:R}");
    }

    [Fact]
    public void Sum_and_max_drivers_equal_scalar_code_for_every_length()
    {
        var r = new System.Random(11);
        for (int n = 0; n <= 257; n++)
        {
            var x = Enumerable.Range(0, n).Select(_ => r.NextDouble() * 8 - 4).ToArray();
            var xf = x.Select(v => (float)v).ToArray();
            double exact = x.Sum();
            Assert.True(Math.Abs(Elementwise.Sum<double>(x) - exact) <= 1e-13 * (1 + x.Sum(Math.Abs)), $"float64 sum, length {n}");
            Assert.True(Math.Abs(Elementwise.Sum<float>(xf) - xf.Sum(v => (double)v)) <= 1e-5 * (1 + x.Sum(Math.Abs)), $"float32 sum, length {n}");
            Assert.Equal(n == 0 ? double.NegativeInfinity : x.Max(), Elementwise.Max<double>(x));
            Assert.Equal(n == 0 ? float.NegativeInfinity : xf.Max(), Elementwise.Max<float>(xf));
            if (n == 0) continue;
            // NaN anywhere wins, as TensorPrimitives.Max and the IEEE maximum have it.
            var withNaN = (double[])x.Clone();
            withNaN[r.Next(n)] = double.NaN;
            Assert.True(double.IsNaN(Elementwise.Max<double>(withNaN)), $"NaN lost by max, length {n}");
            Assert.True(double.IsNaN(Elementwise.Sum<double>(withNaN)), $"NaN lost by sum, length {n}");
        }
    }
}
