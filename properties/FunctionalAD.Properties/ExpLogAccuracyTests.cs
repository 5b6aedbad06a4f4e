using FunctionalAD;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>float32 exp and log go through float64 and round once (docs/numerics.md): within half an ulp, so exp(0) = 1.</summary>
public class ExpLogAccuracyTests
{
    [Fact]
    public void Exp_and_log_are_within_half_an_ulp_over_a_dense_sweep()
    {
        // Exp over every 997th float in [-104, 89] (both signs), log over every 997th positive float.
        Assert.True(UlpSweep.Worst(ExpOp.Instance, Math.Exp, 0, 0x42B20000u, 997).Worst <= 0.51);
        Assert.True(UlpSweep.Worst(ExpOp.Instance, Math.Exp, 0x80000000u, 0xC2D00000u, 997).Worst <= 0.51);
        Assert.True(UlpSweep.Worst(LogOp.Instance, Math.Log, 1, 0x7F800000u, 997).Worst <= 0.51);
        var one = new float[1];
        ExpOp.Instance.Operator.Map<float>(new[] { 0f }, one);
        Assert.Equal(1f, one[0]);
    }
}
