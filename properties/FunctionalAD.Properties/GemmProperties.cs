using FsCheck.Xunit;
using FunctionalAD;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>The blocked GEMM equals the textbook triple loop, for every transpose, stride, dtype and thread count.</summary>
public class GemmProperties
{
    /// <summary>
    /// A dimension from a random byte: mostly 1..37 (odd sizes, edges of the 8-row and vector-wide tiles), and
    /// now and then 130..165, past the row block (128) and, for k, the depth block when combined with padding.
    /// </summary>
    private static int Dim(byte x) => x < 232 ? 1 + x % 37 : 130 + (x - 232) * 3 / 2;

    private static double[] Naive(bool ta, bool tb, int m, int n, int k, double[] a, int lda, double[] b, int ldb)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * n + j] = s;
            }
        return c;
    }

    private static double[] Random(int n, int seed)
    {
        var r = new System.Random(seed);
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.NextDouble() * 2 - 1;
        return v;
    }

    /// <summary>Checks one product in both dtypes' terms; returns an explanation of the first mismatch, or null.</summary>
    private static string? Check<T>(bool ta, bool tb, int m, int n, int k, int padA, int padB, int padC, bool accumulate, int threads, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int rowsA = ta ? k : m, colsA = ta ? m : k, rowsB = tb ? n : k, colsB = tb ? k : n;
        int lda = colsA + padA, ldb = colsB + padB, ldc = n + padC;
        var ad = Random(rowsA * lda, seed);
        var bd = Random(rowsB * ldb, seed + 1);
        var cd = Random(m * ldc, seed + 2);
        var a = ad.Select(T.CreateTruncating).ToArray();
        var b = bd.Select(T.CreateTruncating).ToArray();
        var c = cd.Select(T.CreateTruncating).ToArray();
        // The reference uses the operands as rounded to T, so only the product's own rounding differs.
        var want = Naive(ta, tb, m, n, k, a.Select(double.CreateTruncating).ToArray(), lda, b.Select(double.CreateTruncating).ToArray(), ldb);
        Gemm.Multiply<T>(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate, threads);
        double eps = typeof(T) == typeof(float) ? 1.2e-7 : 2.3e-16;
        // Rounding grows like √k ulps of the terms; a wrong or missing term costs about ¼, far above this.
        double tol = 16 * eps * Math.Sqrt(k);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++)
            {
                double got = double.CreateTruncating(c[i * ldc + j]);
                double before = double.CreateTruncating(T.CreateTruncating(cd[i * ldc + j]));
                if (j >= n)
                {
                    if (got != before) return $"padding C[{i},{j}] changed from {before} to {got}";
                    continue;
                }
                double w = want[i * n + j] + (accumulate ? before : 0);
                if (Math.Abs(got - w) > tol * (Math.Sqrt(k) + Math.Abs(w) + (accumulate ? 1 : 0)))
                    return $"C[{i},{j}] = {got}, naive {w} ({typeof(T).Name} {(ta ? "T" : "N")}{(tb ? "T" : "N")} m={m} n={n} k={k} lda={lda} ldb={ldb} ldc={ldc} acc={accumulate} threads={threads})";
            }
        return null;
    }

    [Property(MaxTest = 150)]
    public void Equals_the_triple_loop(byte m0, byte n0, byte k0, bool transA, bool transB, bool accumulate, byte pads, bool float64, bool threaded, int seed)
    {
        int m = Dim(m0), n = Dim(n0), k = Dim(k0);
        int padA = pads & 3, padB = (pads >> 2) & 3, padC = (pads >> 4) & 3;
        int threads = threaded ? 3 : 1;
        var err = float64
            ? Check<double>(transA, transB, m, n, k, padA, padB, padC, accumulate, threads, seed)
            : Check<float>(transA, transB, m, n, k, padA, padB, padC, accumulate, threads, seed);
        Assert.Null(err);
    }

    [Property(MaxTest = 100)]
    public void Threads_do_not_change_the_result(byte m0, byte n0, byte k0, bool transA, bool transB, int seed)
    {
        // Large enough for the blocked path; each row block runs the same loop whichever thread takes it.
        int m = 40 + m0 % 90, n = 20 + n0 % 70, k = 30 + k0 % 60;
        var a = Random(m * k, seed).Select(x => (float)x).ToArray();
        var b = Random(k * n, seed + 1).Select(x => (float)x).ToArray();
        var one = new float[m * n];
        var many = new float[m * n];
        Gemm.Multiply<float>(transA, transB, m, n, k, a, transA ? m : k, b, transB ? k : n, one, n, false, 1);
        Gemm.Multiply<float>(transA, transB, m, n, k, a, transA ? m : k, b, transB ? k : n, many, n, false, 4);
        Assert.Equal(one, many);
    }

    [Fact]
    public void Large_shapes_cross_every_block_boundary()
    {
        // m past the row block, n past a column panel, k past the depth block (and the narrow path's slab).
        foreach (var (m, n, k, ta, tb) in new[] { (131, 47, 263, false, false), (9, 33, 2100, true, true), (140, 5, 2060, false, true), (70, 1100, 20, true, false) })
            Assert.Null(Check<float>(ta, tb, m, n, k, 1, 2, 3, accumulate: true, threads: 2, seed: m + n + k));
    }

    [Fact]
    public void Narrow_products_with_long_rows_take_the_dot_product_path()
    {
        // n ≤ 16 with contiguous rows of A of at least four vectors: each output is a row-by-column dot product.
        foreach (var (m, n, k) in new[] { (256, 10, 784), (5, 1, 64), (7, 3, 100), (3, 16, 65), (9, 11, 131) })
            foreach (var tb in new[] { false, true })
                foreach (var acc in new[] { false, true })
                {
                    Assert.Null(Check<float>(false, tb, m, n, k, 1, 2, 1, acc, threads: 1, seed: m * n + k));
                    Assert.Null(Check<double>(false, tb, m, n, k, 0, 1, 2, acc, threads: 1, seed: m + n * k));
                }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Skinny_products_of_every_narrow_width_equal_the_triple_loop(bool transA, bool transB)
    {
        // n = 1..17 covers every column group of the dot-product (rows of A) and outer-product (columns of A)
        // kernels and one past them; m crosses their row blocks (2 and 4 rows; 16 and 32 lanes, with the last
        // block moved back over rows already done); k is short, one vector, and not a multiple of the width.
        foreach (int n in Enumerable.Range(1, 17))
            foreach (var (m, k) in new[] { (1, 70), (5, 64), (31, 65), (32, 17), (33, 100), (47, 129), (100, 33), (130, 250) })
            {
                int seed = n * 1000 + m * 7 + k;
                bool acc = (seed & 1) == 0;
                Assert.Null(Check<float>(transA, transB, m, n, k, seed % 3, (seed >> 2) % 3, (seed >> 4) % 2, acc, threads: 1, seed));
                Assert.Null(Check<double>(transA, transB, m, n, k, (seed >> 1) % 3, seed % 2, (seed >> 3) % 2, !acc, threads: 1, seed + 1));
            }
        // Rows of A a whole number of cache lines long (no padding): the outer kernel first aligns its blocks.
        foreach (int n in new[] { 1, 10, 16 })
            foreach (int m in new[] { 32, 48, 96, 160, 784 })
            {
                Assert.Null(Check<float>(transA, transB, m, n, 37, 0, 0, 0, accumulate: m % 3 == 0, threads: 1, seed: m * n));
                Assert.Null(Check<double>(transA, transB, m, n, 37, 0, 0, 0, accumulate: m % 3 != 0, threads: 1, seed: m + n));
            }
        // Split over threads, each share a whole number of blocks.
        foreach (var (m, n, k) in new[] { (1000, 10, 784), (784, 10, 1000), (777, 13, 600) })
        {
            Assert.Null(Check<float>(transA, transB, m, n, k, 1, 0, 1, accumulate: false, threads: 2, seed: m + n));
            Assert.Null(Check<double>(transA, transB, m, n, k, 0, 1, 0, accumulate: true, threads: 3, seed: m + k));
        }
    }

    [Fact]
    public void Empty_dimensions()
    {
        var c = new float[] { 5, 5, 5, 5 };
        Gemm.Multiply<float>(false, false, 2, 2, 0, ReadOnlySpan<float>.Empty, 0, ReadOnlySpan<float>.Empty, 2, c, 2);
        Assert.Equal(new float[] { 0, 0, 0, 0 }, c);
        c = new float[] { 5, 5, 5, 5 };
        Gemm.Multiply<float>(false, false, 2, 2, 0, ReadOnlySpan<float>.Empty, 0, ReadOnlySpan<float>.Empty, 2, c, 2, accumulate: true);
        Assert.Equal(new float[] { 5, 5, 5, 5 }, c);
    }

    [Fact]
    public void Operands_too_short_for_their_strides_are_refused()
    {
        var a = new float[3 * 5];
        var b = new float[5 * 4];
        var c = new float[3 * 4];
        Gemm.Multiply<float>(false, false, 3, 4, 5, a, 5, b, 4, c, 4);
        Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(false, false, 3, 4, 5, a, 6, b, 4, c, 4));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(false, true, 3, 4, 5, a, 5, b.AsSpan(0, 19), 5, c, 4));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(false, false, 3, 4, 5, a, 5, b, 4, c, 5));
    }

    [Fact]
    public void MaxThreads_rejects_zero_and_keeps_its_value()
    {
        int before = Settings.MaxThreads;
        Assert.Throws<FunctionalADException>(() => Settings.MaxThreads = 0);
        Assert.Equal(before, Settings.MaxThreads);
    }
}
