using FunctionalAD;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>
/// float32 sigmoid and softplus run their formula in float64 and round once (docs/numerics.md): checked on a
/// dense sweep against float64 references, including sigmoid's subnormal results and softplus's tiny ones.
/// </summary>
public class SigmoidSoftplusAccuracyTests
{
    private static double Log1pExpMinusAbs(double v)
    {
        double t = Math.Exp(-Math.Abs(v));
        // log(1 + t) loses t's low bits once t is far below 1; t − t²/2 is exact to float64 there.
        return Math.Max(v, 0) + (t < 1e-8 ? t - t * t / 2 : Math.Log(1 + t));
    }

    [Theory]
    [InlineData(0u, 0x7F800000u)]
    [InlineData(0x80000000u, 0xFF800000u)]
    public void Sigmoid_is_within_half_an_ulp_down_to_the_subnormals(uint from, uint to)
    {
        var (worst, at) = UlpSweep.Worst(SigmoidOp.Instance, v => 1 / (1 + Math.Exp(-v)), from, to, 991);
        Assert.True(worst <= 0.51, $"{worst:F3} ulp at {at:R}");
        var d = new float[2];
        SigmoidOp.Instance.Operator.Map<float>(new[] { -88.8f, -100f }, d);
        Assert.Equal((float)(1 / (1 + Math.Exp((double)88.8f))), d[0]);
        Assert.True(d[1] > 0 && float.IsSubnormal(d[1]), $"sigmoid(-100) = {d[1]:R}");
    }

    [Theory]
    [InlineData(0u, 0x7F800000u)]
    [InlineData(0x80000000u, 0xFF800000u)]
    public void Softplus_is_within_an_ulp_and_keeps_tiny_values(uint from, uint to)
    {
        var (worst, at) = UlpSweep.Worst(SoftplusOp.Instance, Log1pExpMinusAbs, from, to, 991);
        Assert.True(worst <= 1, $"{worst:F3} ulp at {at:R}");
    }
}
