using FunctionalAD;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>float32 exp and log go through float64 and round once (docs/numerics.md): within half an ulp, so exp(0) = 1.</summary>
public class ExpLogAccuracyTests
{
    private static double WorstUlps(UnaryElementwise op, Func<double, double> reference, uint from, uint to, uint step)
    {
        var xs = new List<float>();
        for (ulong u = from; u < to; u += step) xs.Add(BitConverter.UInt32BitsToSingle((uint)u));
        var x = xs.ToArray();
        var d = new float[x.Length];
        op.Operator.Map<float>(x, d);
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double want = reference(x[i]);
            float w = (float)want;
            if (!float.IsFinite(w) || w == 0) { Assert.Equal(w, d[i]); continue; }
            float a = MathF.Abs(w);
            worst = Math.Max(worst, Math.Abs(d[i] - want) / (MathF.BitIncrement(a) - a));
        }
        return worst;
    }

    [Fact]
    public void Exp_and_log_are_within_half_an_ulp_over_a_dense_sweep()
    {
        // Exp over every 997th float in [-104, 89] (both signs), log over every 997th positive float.
        Assert.True(WorstUlps(ExpOp.Instance, Math.Exp, 0, 0x42B20000u, 997) <= 0.51);
        Assert.True(WorstUlps(ExpOp.Instance, Math.Exp, 0x80000000u, 0xC2D00000u, 997) <= 0.51);
        Assert.True(WorstUlps(LogOp.Instance, Math.Log, 1, 0x7F800000u, 997) <= 0.51);
        var one = new float[1];
        ExpOp.Instance.Operator.Map<float>(new[] { 0f }, one);
        Assert.Equal(1f, one[0]);
    }
}
