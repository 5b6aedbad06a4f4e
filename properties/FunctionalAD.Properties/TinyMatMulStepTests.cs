using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// Compiled products too small to pack (W1's 2×3×4) run the matrix step's own direct loops; they must give the bits
/// <see cref="Gemm.Multiply{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>
/// gives (the interpreter's kernel), for every transpose combination, batches, both float types and signed zeros.
/// </summary>
public class TinyMatMulStepTests
{
    public static TheoryData<int, int, int, int> Shapes()
    {
        var d = new TheoryData<int, int, int, int>();
        foreach (var (m, n, k) in new[] { (2, 3, 4), (1, 1, 1), (4, 3, 2), (5, 7, 3), (16, 16, 16), (1, 9, 6) })
            for (int trans = 0; trans < 4; trans++) d.Add(m, n, k, trans);
        return d;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Direct_products_equal_the_gemm_kernel_bit_for_bit(int m, int n, int k, int trans)
    {
        bool ta = (trans & 1) != 0, tb = (trans & 2) != 0;
        foreach (var dt in new[] { DType.Float32, DType.Float64 })
        {
            var a = (Var)Var("a", ta ? new Shape(3, k, m) : new Shape(3, m, k), dt);
            var b = (Var)Var("b", tb ? new Shape(n, k) : new Shape(k, n), dt);
            var f = Ad.Compile(new[] { MatMul(a, b, transposeA: ta, transposeB: tb) }, a, b);
            Assert.Contains("direct", f.Describe());
            Assert.DoesNotContain("transpose", f.Describe());
            var av = Tensor.RandomNormal(a.Shape, seed: m * 7 + k).Cast(dt);
            var bv = Tensor.RandomNormal(b.Shape, seed: n * 5 + k).Cast(dt);
            var ad = av.Cast(DType.Float64).ToArray<double>();
            ad[0] = -0.0;
            av = Tensor.From(ad, a.Shape).Cast(dt);
            var got = f.Run(av, bv)[0].Cast(DType.Float64).ToArray<double>();
            var want = new double[3 * m * n];
            if (dt == DType.Float32)
            {
                float[] x = av.ToArray<float>(), y = bv.ToArray<float>(), c = new float[m * n];
                for (int t = 0; t < 3; t++)
                {
                    Gemm.Multiply<float>(ta, tb, m, n, k, x.AsSpan(t * m * k, m * k), ta ? m : k, y, tb ? k : n, c, n);
                    for (int i = 0; i < c.Length; i++) want[t * m * n + i] = c[i];
                }
            }
            else
            {
                double[] x = av.ToArray<double>(), y = bv.ToArray<double>(), c = new double[m * n];
                for (int t = 0; t < 3; t++)
                {
                    Gemm.Multiply<double>(ta, tb, m, n, k, x.AsSpan(t * m * k, m * k), ta ? m : k, y, tb ? k : n, c, n);
                    c.CopyTo(want, t * m * n);
                }
            }
            for (int i = 0; i < want.Length; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(want[i]) == BitConverter.DoubleToInt64Bits(got[i]), $"{dt} element {i}: gemm {want[i]:R}, compiled {got[i]:R}\n{f.Describe()}");
        }
    }
}
