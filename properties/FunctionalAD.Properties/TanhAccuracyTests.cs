using FunctionalAD;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>
/// The float32 tanh kernel (a clamped rational fit; docs/numerics.md gives 5.65 ulp as its largest error over
/// every float) against float64 tanh: that bound on a dense sweep, |tanh| ≤ 1 (so 1 − tanh² ≥ 0), oddness,
/// and the inputs that must come back exact.
/// </summary>
public class TanhAccuracyTests
{
    private static float[] Tanh(float[] x)
    {
        var d = new float[x.Length];
        TanhOp.Instance.Map<float>(x, d);
        return d;
    }

    private static double Ulps(float got, double want)
    {
        float w = (float)want, a = MathF.Abs(w);
        double ulp = a == 0 ? float.Epsilon : MathF.BitIncrement(a) - a;
        return Math.Abs(got - want) / ulp;
    }

    [Fact]
    public void Error_is_within_six_ulp_over_a_dense_sweep_of_positive_floats()
    {
        // Every 1021st float from 0 to +inf: about two million inputs covering every binade.
        var x = new List<float>();
        for (uint u = 0; u < 0x7F800000u; u += 1021) x.Add(BitConverter.UInt32BitsToSingle(u));
        var xs = x.ToArray();
        var t = Tanh(xs);
        double worst = 0;
        float at = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double e = Ulps(t[i], Math.Tanh(xs[i]));
            if (e > worst) (worst, at) = (e, xs[i]);
        }
        Assert.True(worst <= 6, $"max error {worst:F2} ulp at x = {at:R}");
    }

    [Fact]
    public void Every_float_near_the_clamp_stays_within_one_and_the_function_is_odd()
    {
        var xs = new List<float>();
        for (float v = 8f; v <= 9.2f; v = MathF.BitIncrement(v)) xs.Add(v);
        var pos = xs.ToArray();
        var neg = pos.Select(v => -v).ToArray();
        var tp = Tanh(pos);
        var tn = Tanh(neg);
        for (int i = 0; i < pos.Length; i++)
        {
            Assert.True(tp[i] <= 1f && tp[i] > 0.9999f, $"tanh({pos[i]:R}) = {tp[i]:R}");
            Assert.Equal(-tp[i], tn[i]);
        }
    }

    [Fact]
    public void Tiny_inputs_return_themselves_and_large_ones_exactly_one()
    {
        var x = new[] { float.Epsilon, -float.Epsilon, 1e-38f, 1e-20f, 1e-10f, 3e-5f, 9.1f, 9.5f, 50f, float.MaxValue, -9.1f, -float.MaxValue };
        var t = Tanh(x);
        for (int i = 0; i < 6; i++) Assert.Equal(x[i], t[i]);
        Assert.Equal(new[] { 1f, 1f, 1f, 1f, -1f, -1f }, t[6..]);
    }
}
