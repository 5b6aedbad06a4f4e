using FunctionalAD;
using FunctionalAD.Properties.Support;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>Matrix products against a naive triple loop, sweeping the inner and the row length over 0..257, every transpose.</summary>
public class GemmKernelTests
{
    public static TheoryData<bool, bool, DType> Cases
    {
        get
        {
            var d = new TheoryData<bool, bool, DType>();
            foreach (var ta in new[] { false, true })
                foreach (var tb in new[] { false, true })
                    foreach (var t in new[] { DType.Float32, DType.Float64 }) d.Add(ta, tb, t);
            return d;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatMul_equals_a_naive_loop_for_every_inner_and_row_length(bool ta, bool tb, DType dtype)
    {
        for (int len = 0; len <= 257; len++)
        {
            Check(2, 3, len, ta, tb, dtype, len);   // the inner length: dot products and AXPY counts
            Check(2, len, 3, ta, tb, dtype, len);   // the row length: vectorised AXPY over a row of B
        }
    }

    private static void Check(int m, int n, int k, bool ta, bool tb, DType dtype, int seed)
    {
        var sa = ta ? new Shape(k, m) : new Shape(m, k);
        var sb = tb ? new Shape(n, k) : new Shape(k, n);
        // Quarter steps put exact zeros in A, which the kernel skips.
        var a = Numerics.FromDoubles(Numerics.Mixed<double>(sa.Size, seed, -2, 2), sa, dtype);
        var b = Numerics.FromDoubles(Numerics.Mixed<double>(sb.Size, seed + 500, -2, 2), sb, dtype);
        var c = Tensor.Uninitialized(new Shape(m, n), dtype);
        new MatMulOp(ta, tb).Forward(new[] { a, b }, c);
        double eps = dtype == DType.Float32 ? 6e-8 : 1.2e-16;
        double[] av = a.ToArray<double>(), bv = b.ToArray<double>(), cv = c.ToArray<double>();
        double A(int i, int p) => ta ? av[p * m + i] : av[i * k + p];
        double B(int p, int j) => tb ? bv[j * k + p] : bv[p * n + j];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0, mag = 0;
                for (int p = 0; p < k; p++)
                {
                    double t = A(i, p) * B(p, j);
                    s += t;
                    mag += Math.Abs(t);
                }
                double got = cv[i * n + j];
                Assert.True(Math.Abs(got - s) <= (k + 2) * eps * mag,
                    $"({m}×{k})·({k}×{n}) ta={ta} tb={tb} at [{i}, {j}]: {got:R}, expected {s:R}");
            }
    }
}
