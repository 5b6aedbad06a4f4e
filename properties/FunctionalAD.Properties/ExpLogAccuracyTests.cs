using System.Runtime.Intrinsics;
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

    [Fact]
    public void Exp_and_log_take_IEEE_special_values_to_the_runtime_results()
    {
        float[] x = [0f, -0f, 1f, -1f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon,
            float.MaxValue, -float.MaxValue, 88.72f, 88.73f, -103.97f, -104f, 1e-30f, -1e-30f];
        var e = new float[x.Length];
        var l = new float[x.Length];
        ExpOp.Instance.Operator.Map<float>(x, e);
        LogOp.Instance.Operator.Map<float>(x, l);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(MathF.Exp(x[i]), e[i]);
            Assert.Equal(MathF.Log(x[i]), l[i]);
        }
    }

    [Fact]
    public void Scalar_Vector256_and_Vector512_forms_give_the_same_bits()
    {
        // One definition in three forms (WideMath): the span driver's padded remainder and one-register tiles rely on it.
        var random = new Random(7);
        for (int trial = 0; trial < 20000; trial++)
        {
            var v = new float[16];
            for (int i = 0; i < v.Length; i++)
                v[i] = BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
            var e512 = ExpOperator.Invoke(Vector512.Create(v));
            var l512 = LogOperator.Invoke(Vector512.Create(v));
            var e256 = ExpOperator.Invoke(Vector256.Create(v));
            var l256 = LogOperator.Invoke(Vector256.Create(v));
            for (int i = 0; i < v.Length; i++)
            {
                Same(ExpOperator.Invoke(v[i]), e512[i]);
                Same(LogOperator.Invoke(v[i]), l512[i]);
                if (i < 8)
                {
                    Same(e512[i], e256[i]);
                    Same(l512[i], l256[i]);
                }
            }
        }
    }

    /// <summary>The same bits, or both NaN (a NaN's payload is the conversion's business, not the function's).</summary>
    private static void Same(float expected, float actual)
    {
        if (float.IsNaN(expected)) Assert.True(float.IsNaN(actual));
        else Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
    }
}
