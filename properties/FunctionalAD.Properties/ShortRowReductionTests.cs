using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// Reductions over short rows (class axes of 3 or 10) take a loop of their own; these check it against a
/// float64 reference and against the compiled form bit for bit, along the last axis and across a strided one.
/// </summary>
public class ShortRowReductionTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var d = new TheoryData<int, int, int>();
        foreach (var n in new[] { 1, 2, 3, 5, 10, 15, 16, 17, 33 })
            foreach (var rows in new[] { 1, 7 })
                foreach (var axis in new[] { 0, 1 })
                    d.Add(rows, n, axis);
        return d;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Sum_max_and_logsumexp_match_a_reference_and_the_compiled_form(int rows, int n, int axis)
    {
        var random = new Random(rows * 100 + n);
        var data = Enumerable.Range(0, rows * n).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray();
        var x = (Var)Var("x", new Shape(rows, n));
        Expr[] exprs = [Sum(x, axis), Max(x, axis), LogSumExp(x, axis)];
        var at = Tensor.From(data, new Shape(rows, n));
        var eval = exprs.Select(e => e.Eval(Env.Of((x, at))).ToArray<float>()).ToArray();
        var compiled = Ad.Compile(exprs, x).Run(at).Select(t => t.ToArray<float>()).ToArray();
        int outer = axis == 1 ? rows : n, inner = axis == 1 ? n : rows;
        for (int o = 0; o < outer; o++)
        {
            var line = Enumerable.Range(0, inner).Select(i => (double)data[axis == 1 ? o * n + i : i * n + o]).ToArray();
            double m = line.Max();
            double[] want = [line.Sum(), m, m + Math.Log(line.Sum(v => Math.Exp(v - m)))];
            for (int k = 0; k < 3; k++)
            {
                Assert.True(Math.Abs(want[k] - eval[k][o]) <= 1e-5 * Math.Max(1, Math.Abs(want[k])), $"reduction {k}, row {o}: want {want[k]}, got {eval[k][o]}");
                Assert.Equal(BitConverter.SingleToInt32Bits(eval[k][o]), BitConverter.SingleToInt32Bits(compiled[k][o]));
            }
        }
    }

    [Fact]
    public void Short_rows_keep_nan_and_infinities()
    {
        var x = Tensor.From(new[] { 1f, float.NaN, 2f, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, 3f, float.PositiveInfinity, 0f }, new Shape(3, 3));
        var v = (Var)Var("x", new Shape(3, 3));
        var max = Max(v, 1).Eval(Env.Of((v, x))).ToArray<float>();
        var sum = Sum(v, 1).Eval(Env.Of((v, x))).ToArray<float>();
        var lse = LogSumExp(v, 1).Eval(Env.Of((v, x))).ToArray<float>();
        Assert.True(float.IsNaN(max[0]) && float.IsNaN(sum[0]) && float.IsNaN(lse[0]));
        Assert.Equal(float.NegativeInfinity, max[1]);
        Assert.Equal(float.NegativeInfinity, sum[1]);
        Assert.Equal(float.NegativeInfinity, lse[1]);
        Assert.Equal(float.PositiveInfinity, max[2]);
        Assert.Equal(float.PositiveInfinity, sum[2]);
        Assert.Equal(float.PositiveInfinity, lse[2]);
    }
}
