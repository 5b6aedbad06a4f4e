using System.Numerics;
using FunctionalAD;
using FunctionalAD.Properties.Support;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>
/// Reductions against a naive float64 loop for every length 0..257 of the reduced (or kept) axis, in both
/// layouts the kernel distinguishes: reducing along contiguous rows, and accumulating rows into the output.
/// </summary>
public class ReductionKernelTests
{
    public enum Kind { Sum, Max, Norm, LogSumExp }

    public static TheoryData<Kind, DType> Cases
    {
        get
        {
            var d = new TheoryData<Kind, DType>();
            foreach (var k in Enum.GetValues<Kind>())
                foreach (var t in new[] { DType.Float32, DType.Float64 }) d.Add(k, t);
            return d;
        }
    }

    // Layouts for a length n: the reduced axis contiguous, strided, both, and split around a kept axis.
    private static IEnumerable<(int[] Dims, int[] Axes)> Layouts(int n)
    {
        yield return (new[] { n }, new[] { 0 });
        yield return (new[] { 3, n }, new[] { 1 });
        yield return (new[] { n, 3 }, new[] { 0 });
        yield return (new[] { 3, n }, new[] { 0 });
        yield return (new[] { 2, n, 2 }, new[] { 0, 2 });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reduction_equals_a_naive_loop_at_every_length(Kind kind, DType dtype)
    {
        double eps = dtype == DType.Float32 ? 6e-8 : 1.2e-16;
        for (int n = 0; n <= 257; n++)
            foreach (var (dims, axes) in Layouts(n))
            {
                var shape = new Shape(dims);
                var x = Numerics.FromDoubles(Numerics.Mixed<double>(shape.Size, n * 31 + dims.Length, -4, 4), shape, dtype);
                Reduction op = kind switch
                {
                    Kind.Sum => new SumOp(axes, false),
                    Kind.Max => new MaxOp(axes, false),
                    Kind.Norm => new NormOp(axes, false),
                    _ => new LogSumExpOp(axes, false),
                };
                // The kernel itself, without building and lowering an expression around it.
                var result = Tensor.Uninitialized(Reduce.DroppedShape(shape, axes), dtype);
                op.Forward(new[] { x }, result);
                var actual = result.ToArray<double>();
                var (expected, count, magnitude) = Naive(kind, x, axes);
                for (int i = 0; i < expected.Length; i++)
                {
                    // Any summation order is within (count + 1)·eps·Σ|terms|; max is exact.
                    double tol = kind == Kind.Max ? 0 : (count + 8) * eps * (magnitude[i] + Math.Abs(expected[i]) + 1);
                    bool same = actual[i] == expected[i] || Math.Abs(actual[i] - expected[i]) <= tol;
                    Assert.True(same, $"{kind} of {shape} over [{string.Join(", ", axes)}] at {i}: {actual[i]:R}, expected {expected[i]:R}");
                }
            }
    }

    private static (double[] Values, int Count, double[] Magnitude) Naive(Kind kind, Tensor x, int[] axes)
    {
        var dims = x.Shape.ToArray();
        var outDims = dims.Where((_, i) => !axes.Contains(i)).ToArray();
        int outSize = outDims.Aggregate(1, (p, d) => p * d);
        var groups = Enumerable.Range(0, outSize).Select(_ => new List<double>()).ToArray();
        var v = x.ToArray<double>();
        var idx = new int[dims.Length];
        var kept = Enumerable.Range(0, dims.Length).Select(a => !axes.Contains(a)).ToArray();
        for (int flat = 0; flat < v.Length; flat++)
        {
            int rem = flat;
            for (int a = dims.Length - 1; a >= 0; a--) { idx[a] = rem % dims[a]; rem /= dims[a]; }
            int o = 0;
            for (int a = 0; a < dims.Length; a++) if (kept[a]) o = o * dims[a] + idx[a];
            groups[o].Add(v[flat]);
        }
        int count = axes.Aggregate(1, (p, a) => p * dims[a]);
        double[] values = groups.Select(g =>
        {
            double max = g.Count == 0 ? double.NegativeInfinity : g.Max();
            return kind switch
            {
                Kind.Sum => g.Sum(),
                Kind.Max => max,
                Kind.Norm => Math.Sqrt(g.Sum(t => t * t)),
                _ => g.Count == 0 ? double.NegativeInfinity : max + Math.Log(g.Sum(t => Math.Exp(t - max))),
            };
        }).ToArray();
        double[] magnitude = groups.Select(g => kind == Kind.Norm ? g.Sum(t => t * t) : g.Sum(Math.Abs)).ToArray();
        return (values, count, magnitude);
    }
}
