using FunctionalAD;

namespace FunctionalAD.Properties;

/// <summary>Worst error, in units in the last place of the float32 result, of an element-wise operator against a float64 reference.</summary>
internal static class UlpSweep
{
    /// <summary>
    /// Runs <paramref name="op"/>'s float32 kernel over every <paramref name="step"/>-th float whose bits lie in
    /// [<paramref name="from"/>, <paramref name="to"/>) and returns the worst error and where. Where the rounded
    /// reference is zero or not finite, anything but that exact value counts as an infinite error.
    /// </summary>
    public static (double Worst, float At) Worst(UnaryElementwise op, Func<double, double> reference, uint from, uint to, uint step)
    {
        var xs = new List<float>();
        for (ulong u = from; u < to; u += step) xs.Add(BitConverter.UInt32BitsToSingle((uint)u));
        var x = xs.ToArray();
        var d = new float[x.Length];
        op.Operator.Map<float>(x, d);
        double worst = 0;
        float at = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double want = reference(x[i]);
            float w = (float)want, a = MathF.Abs(w);
            double e = w == 0 || !float.IsFinite(w)
                ? (d[i] == w ? 0 : double.PositiveInfinity)
                : Math.Abs(d[i] - want) / (MathF.BitIncrement(a) - a);
            if (e > worst) (worst, at) = (e, x[i]);
        }
        return (worst, at);
    }
}
