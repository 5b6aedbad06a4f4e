using System.Numerics;
using FunctionalAD;

namespace FunctionalAD.Properties.Support;

/// <summary>Float64 helpers for derivative checks: tensors from seeds, inner products, central differences, closeness.</summary>
public static class Numerics
{
    /// <summary>Uniform values in [lo, hi) of the given shape and dtype, from a seed (System.Random with a seed is stable).</summary>
    public static Tensor Uniform(Shape shape, int seed, double lo = -1, double hi = 1, DType dtype = DType.Float64)
    {
        var r = new Random(seed);
        var v = new double[shape.Size];
        for (int i = 0; i < v.Length; i++) v[i] = lo + (hi - lo) * r.NextDouble();
        return FromDoubles(v, shape, dtype);
    }

    /// <summary>
    /// Values in [lo, hi), a third of them on quarter steps: those collide often, so max/min/compare see ties,
    /// pow sees integer exponents and matmul sees exact zeros.
    /// </summary>
    public static T[] Mixed<T>(int n, int seed, double lo, double hi) where T : INumberBase<T>
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            double v = lo + (hi - lo) * r.NextDouble();
            return T.CreateTruncating(r.Next(3) == 0 ? Math.Round(v * 4) / 4 : v);
        }).ToArray();
    }

    /// <summary>A tensor of the given dtype holding <paramref name="v"/> (rounded for float32, truncated for int32).</summary>
    public static Tensor FromDoubles(double[] v, Shape shape, DType dtype) => dtype switch
    {
        DType.Float64 => Tensor.From(v, shape),
        DType.Float32 => Tensor.From(v.Select(x => (float)x).ToArray(), shape),
        _ => Tensor.From(v.Select(x => (int)x).ToArray(), shape),
    };

    /// <summary>Σ aᵢ bᵢ over flat elements.</summary>
    public static double Dot(double[] a, double[] b)
    {
        if (a.Length != b.Length) throw new InvalidOperationException($"Dot: lengths {a.Length} and {b.Length}");
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>The values of <paramref name="plan"/>'s outputs at <paramref name="values"/> as flat doubles.</summary>
    public static double[][] Run(Plan plan, Expr[] vars, Tensor[] values) =>
        plan.Run(Bind(vars, values)).Select(t => t.ToArray<double>()).ToArray();

    /// <summary>An Env binding each variable to its value.</summary>
    public static Env Bind(Expr[] vars, Tensor[] values) =>
        Env.Of(vars.Zip(values, (v, t) => (v, t)).ToArray());

    /// <summary>
    /// ∂⟨u, f(x)⟩/∂x by central differences with step h, for every element of every float64 input: the reference
    /// a VJP with cotangent u must match. Returns one flat gradient per input.
    /// </summary>
    public static double[][] VjpByDifferences(Plan plan, Expr[] vars, Tensor[] values, double[] u, double h)
    {
        var grads = new double[vars.Length][];
        for (int i = 0; i < vars.Length; i++)
        {
            var x = values[i].ToArray<double>();
            grads[i] = new double[x.Length];
            for (int j = 0; j < x.Length; j++)
            {
                double up = Dot(u, RunPerturbed(plan, vars, values, i, j, x, +h));
                double down = Dot(u, RunPerturbed(plan, vars, values, i, j, x, -h));
                grads[i][j] = (up - down) / (2 * h);
            }
        }
        return grads;
    }

    private static double[] RunPerturbed(Plan plan, Expr[] vars, Tensor[] values, int i, int j, double[] x, double h)
    {
        var moved = (double[])x.Clone();
        moved[j] += h;
        var vs = (Tensor[])values.Clone();
        vs[i] = Tensor.From(moved, values[i].Shape);
        return Run(plan, vars, vs)[0];
    }

    /// <summary>(f(x + h v) - f(x - h v)) / 2h for a tangent v per input: the reference a JVP must match.</summary>
    public static double[] JvpByDifferences(Plan plan, Expr[] vars, Tensor[] values, double[][] v, double h)
    {
        Tensor[] Shift(double s) => values.Select((t, i) =>
            Tensor.From(t.ToArray<double>().Select((x, j) => x + s * v[i][j]).ToArray(), t.Shape)).ToArray();
        var up = Run(plan, vars, Shift(+h))[0];
        var down = Run(plan, vars, Shift(-h))[0];
        return up.Select((a, k) => (a - down[k]) / (2 * h)).ToArray();
    }

    /// <summary>True when |a - b| ≤ tol·(1 + |b|) element by element.</summary>
    public static bool Close(double a, double b, double tol) =>
        Math.Abs(a - b) <= tol * (1 + Math.Abs(b)) || (double.IsNaN(a) && double.IsNaN(b));

    /// <summary>Throws with both arrays and the first differing index when they are not close.</summary>
    public static void RequireClose(double[] actual, double[] expected, double tol, string what)
    {
        if (actual.Length != expected.Length)
            throw new PropertyFailure($"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < actual.Length; i++)
            if (!Close(actual[i], expected[i], tol))
                throw new PropertyFailure(
                    $"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R} (tolerance {tol:G2})\n" +
                    $"  actual:   [{Show(actual)}]\n  expected: [{Show(expected)}]");
    }

    /// <summary>Throws unless every element is exactly zero.</summary>
    public static void RequireZero(double[] actual, string what)
    {
        for (int i = 0; i < actual.Length; i++)
            if (actual[i] != 0)
                throw new PropertyFailure($"{what}: element {i} is {actual[i]:R}, expected exactly 0\n  actual: [{Show(actual)}]");
    }

    /// <summary>A short readable list of numbers.</summary>
    public static string Show(IEnumerable<double> v) =>
        string.Join(", ", v.Take(24).Select(x => x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))) +
        (v.Count() > 24 ? ", ..." : "");
}

/// <summary>A property did not hold; the message says what was expected and what came instead.</summary>
public sealed class PropertyFailure(string message) : Exception(message);
