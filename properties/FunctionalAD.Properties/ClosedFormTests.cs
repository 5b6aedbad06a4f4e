using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using FunctionalAD.Properties.Support;
using static FunctionalAD.Properties.Support.Numerics;

namespace FunctionalAD.Properties;

/// <summary>Derivatives whose exact value is known in closed form, computed here in float64 without the library.</summary>
public class ClosedFormTests
{
    private static Arbitrary<(int N, int Seed)> SizeAndSeed(int lo, int hi) =>
        Arb.From(from n in Gen.Choose(lo, hi) from s in Gen.Choose(0, 1 << 30) select (n, s));

    private static double[] Softmax(double[] z)
    {
        double m = z.Max();
        var e = z.Select(v => Math.Exp(v - m)).ToArray();
        double s = e.Sum();
        return e.Select(v => v / s).ToArray();
    }

    [Property(MaxTest = 100)]
    public Property Hessian_of_a_quadratic_form_is_its_matrix() => Prop.ForAll(SizeAndSeed(1, 5), p =>
    {
        var (n, seed) = p;
        var b = Uniform(new Shape(n, n), seed, -2, 2).ToArray<double>();
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) a[i * n + j] = 0.5 * (b[i * n + j] + b[j * n + i]);
        var A = Ex.Const(Tensor.From(a, new Shape(n, n)));
        Expr Quadratic(Expr x) => 0.5 * Ex.Sum(Ex.MatMul(Ex.Reshape(x, 1, n), Ex.MatMul(A, Ex.Reshape(x, n, 1))));

        var x = Ex.Var64("x", n);
        var at = Env.Of((x, Uniform(new Shape(n), seed + 1)));
        RequireClose(Ad.Eval(Ad.Hessian(Quadratic(x), x), at).ToArray<double>(), a, 1e-12, "Hessian of ½xᵀAx (expression API)");
        RequireClose(Ad.Eval(Ad.Hessian(Quadratic)(x), at).ToArray<double>(), a, 1e-12, "Hessian of ½xᵀAx (function API)");
    });

    [Property(MaxTest = 100)]
    public Property Jacobian_of_softmax_is_diag_p_minus_p_p_transposed() => Prop.ForAll(
        Arb.From(from rows in Gen.Choose(1, 3) from n in Gen.Choose(1, 5) from seed in Gen.Choose(0, 1 << 30) select (rows, n, seed)),
        c =>
        {
            var (rows, n, seed) = c;
            var x = Ex.Var64("x", rows, n);
            var value = Uniform(new Shape(rows, n), seed, -3, 3);
            var jacobian = Ad.Eval(Ad.Jacobian(Ex.Softmax(x), x), Env.Of((x, value)));
            if (jacobian.Shape != new Shape(rows, n, rows, n)) throw new PropertyFailure($"Jacobian shape {jacobian.Shape}");
            var v = value.ToArray<double>();
            var expected = new double[rows * n * rows * n];
            for (int r = 0; r < rows; r++)
            {
                var p = Softmax(v[(r * n)..((r + 1) * n)]);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        expected[((r * n + i) * rows + r) * n + j] = (i == j ? p[i] : 0) - p[i] * p[j];
            }
            RequireClose(jacobian.ToArray<double>(), expected, 1e-12, "∂softmax(x)ᵢ/∂xⱼ");
        });

    [Property(MaxTest = 100)]
    public Property Gradient_of_softmax_cross_entropy_is_p_minus_y_over_batch() => Prop.ForAll(
        Arb.From(from batch in Gen.Choose(1, 4) from classes in Gen.Choose(2, 5) from scale in Gen.Elements(1.0, 5.0, 100.0)
                 from seed in Gen.Choose(0, 1 << 30) select (batch, classes, scale, seed)),
        c =>
        {
            var (batch, classes, scale, seed) = c;
            var logits = Ex.Var64("logits", batch, classes);
            var z = Uniform(new Shape(batch, classes), seed, -scale, scale);
            var labels = Enumerable.Range(0, batch).Select(i => new Random(seed + i).Next(classes)).ToArray();
            var y = Ex.OneHot(Ex.Const(labels), classes, DType.Float64);
            var loss = Ex.Mean(-Ex.Sum(y * Ex.LogSoftmax(logits), 1));
            var grad = Ad.Eval(Ad.Grad(loss, logits), Env.Of((logits, z)), checkFinite: true)[0].ToArray<double>();
            var zv = z.ToArray<double>();
            var expected = new double[batch * classes];
            for (int b = 0; b < batch; b++)
            {
                var p = Softmax(zv[(b * classes)..((b + 1) * classes)]);
                for (int k = 0; k < classes; k++) expected[b * classes + k] = (p[k] - (labels[b] == k ? 1 : 0)) / batch;
            }
            RequireClose(grad, expected, 1e-12, "∂CE/∂logits");
        });

    // Zeros mixed with values away from zero: the kinks must take their documented derivative, and nothing is NaN.
    private static Arbitrary<double[]> WithZeros() => Arb.From(
        from n in Gen.Choose(1, 6)
        from v in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(0.0)), (1, Values.Element(Domain.AwayFromZero))), n)
        select v);

    [Property(MaxTest = 100)]
    public Property Relu_and_abs_have_derivative_zero_at_zero() => Prop.ForAll(WithZeros(), v =>
    {
        var x = Ex.Var64("x", v.Length);
        var at = Env.Of((x, Tensor.From(v)));
        var relu = Ad.Eval(Ad.Grad(Ex.Sum(Ex.Relu(x)), x), at, checkFinite: true)[0].ToArray<double>();
        var abs = Ad.Eval(Ad.Grad(Ex.Sum(Ex.Abs(x)), x), at, checkFinite: true)[0].ToArray<double>();
        RequireClose(relu, v.Select(t => t > 0 ? 1.0 : 0.0).ToArray(), 0, "relu'(x)");
        RequireClose(abs, v.Select(t => (double)Math.Sign(t)).ToArray(), 0, "|x|'(x)");
        var second = Ad.Eval(Ad.Hessian(Ex.Sum(Ex.Relu(x) + Ex.Abs(x)), x), at, checkFinite: true).ToArray<double>();
        RequireZero(second, "second derivative of relu + abs");
    });

    [Property(MaxTest = 100)]
    public Property Norm_has_gradient_zero_and_a_finite_hessian_at_zero() => Prop.ForAll(
        Arb.From(from rows in Gen.Choose(1, 3) from n in Gen.Choose(1, 4) from zeroRow in Gen.Choose(0, 2)
                 from seed in Gen.Choose(0, 1 << 30) select (rows, n, zeroRow, seed)),
        c =>
        {
            var (rows, n, zeroRow, seed) = c;
            var x = Ex.Var64("x", rows, n);
            var v = Uniform(new Shape(rows, n), seed, -2, 2).ToArray<double>();
            if (zeroRow < rows) Array.Clear(v, zeroRow * n, n);
            var at = Env.Of((x, Tensor.From(v, new Shape(rows, n))));
            var grad = Ad.Eval(Ad.Grad(Ex.Sum(Ex.Norm(x, new[] { 1 })), x), at, checkFinite: true)[0].ToArray<double>();
            var expected = new double[rows * n];
            for (int r = 0; r < rows; r++)
            {
                double norm = Math.Sqrt(Enumerable.Range(0, n).Sum(j => v[r * n + j] * v[r * n + j]));
                for (int j = 0; j < n; j++) expected[r * n + j] = norm == 0 ? 0 : v[r * n + j] / norm;
            }
            RequireClose(grad, expected, 1e-12, "∂‖xᵣ‖/∂x");
            // Throws NonFiniteException naming the node if any value on the way is NaN or infinite.
            Ad.Eval(Ad.Hessian(Ex.Sum(Ex.Norm(x, new[] { 1 })), x), at, checkFinite: true);
            var whole = Ex.Var64("w", n);
            var zero = Env.Of((whole, Tensor.Zeros(new Shape(n), DType.Float64)));
            RequireZero(Ad.Eval(Ad.Grad(Ex.Norm(whole), whole), zero, checkFinite: true)[0].ToArray<double>(), "norm'(0)");
            Ad.Eval(Ad.Hessian(Ex.Norm(whole), whole), zero, checkFinite: true);
        });

    [Property(MaxTest = 100)]
    public Property Ties_of_max_and_min_share_the_gradient_equally() => Prop.ForAll(
        Arb.From(from rows in Gen.Choose(1, 3) from n in Gen.Choose(1, 6)
                 from levels in Gen.ArrayOf(Gen.Choose(0, 3), rows * n) select (rows, n, levels)),
        c =>
        {
            var (rows, n, levels) = c;
            // Few distinct levels, so rows often hold several copies of their maximum and minimum.
            var v = levels.Select(l => 0.5 * l).ToArray();
            var x = Ex.Var64("x", rows, n);
            var at = Env.Of((x, Tensor.From(v, new Shape(rows, n))));
            var gmax = Ad.Eval(Ad.Grad(Ex.Sum(Ex.Max(x, 1)), x), at)[0].ToArray<double>();
            var gmin = Ad.Eval(Ad.Grad(Ex.Sum(Ex.Min(x, 1)), x), at)[0].ToArray<double>();
            var emax = new double[v.Length];
            var emin = new double[v.Length];
            for (int r = 0; r < rows; r++)
            {
                var row = v[(r * n)..((r + 1) * n)];
                for (int j = 0; j < n; j++)
                {
                    emax[r * n + j] = row[j] == row.Max() ? 1.0 / row.Count(t => t == row.Max()) : 0;
                    emin[r * n + j] = row[j] == row.Min() ? 1.0 / row.Count(t => t == row.Min()) : 0;
                }
            }
            RequireClose(gmax, emax, 1e-15, "∂max/∂x with ties");
            RequireClose(gmin, emin, 1e-15, "∂min/∂x with ties");
        });

    [Property(MaxTest = 100)]
    public Property Maximum_and_minimum_of_equal_arguments_give_each_half() => Prop.ForAll(
        Arb.From(from shape in Shapes.Of(0, 2, 3) from v in Values.Of(shape) select v),
        v =>
        {
            var a = Ex.Var("a", v.Shape, DType.Float64);
            var b = Ex.Var("b", v.Shape, DType.Float64);
            var at = Env.Of((a, v), (b, v));
            var half = Enumerable.Repeat(0.5, v.Size).ToArray();
            foreach (var (name, f) in new (string, Func<Expr, Expr, Expr>)[] { ("maximum", Ex.Maximum), ("minimum", Ex.Minimum) })
            {
                var g = Ad.Eval(Ad.Grad(Ex.Sum(f(a, b)), a, b), at).Select(t => t.ToArray<double>()).ToArray();
                RequireClose(g[0], half, 0, $"∂{name}(a, b)/∂a at a = b");
                RequireClose(g[1], half, 0, $"∂{name}(a, b)/∂b at a = b");
                var same = Ad.Eval(Ad.Grad(Ex.Sum(f(a, a)), a), at)[0].ToArray<double>();
                RequireClose(same, Enumerable.Repeat(1.0, v.Size).ToArray(), 0, $"∂{name}(a, a)/∂a");
            }
        });
}
