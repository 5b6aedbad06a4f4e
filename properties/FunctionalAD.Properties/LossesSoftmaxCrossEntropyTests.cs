using FsCheck.Xunit;
using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// The fused softmax cross-entropy primitive, checked the way the primitive table checks every primitive:
/// VJP and JVP against central finite differences in float64 on generated shapes, axes and values, plus the
/// gradient of its gradient. (It is this helper's stand-in for the primitive's row in that table.)
/// </summary>
public class LossesSoftmaxCrossEntropyTests
{
    private const double Step = 1e-5;

    private static (Expr Labels, Expr Logits, Env Env, int Axis) Case(int seed, byte a, byte b, byte c, byte rank, byte axis)
    {
        var dims = new[] { 1 + a % 3, 1 + b % 4, 1 + c % 3 }.Take(1 + rank % 3).ToArray();
        var shape = new Shape(dims);
        uint s = (uint)seed;
        var labels = Var("y", shape, DType.Float64);
        var logits = Var("z", shape, DType.Float64);
        // Labels need not sum to one: the rule must hold for any weights, as label smoothing and soft targets give.
        var y = Tensor.RandomUniform(shape, 0, 1, s, DType.Float64);
        var z = Tensor.RandomNormal(shape, 0, 2, s + 1u, DType.Float64);
        return (labels, logits, Env.Of((labels, y), (logits, z)), axis % dims.Length);
    }

    private static double[] Perturbed(Tensor t, int i, double h)
    {
        var v = t.ToDoubleArray();
        v[i] += h;
        return v;
    }

    private static double Dot(Tensor a, Tensor b) => a.ToDoubleArray().Zip(b.ToDoubleArray(), (x, y) => x * y).Sum();

    [Property(MaxTest = 40)]
    public void Vjp_matches_central_differences(int seed, byte a, byte b, byte c, byte rank, byte axis)
    {
        var (yv, zv, env, ax) = Case(seed, a, b, c, rank, axis);
        var ce = SoftmaxCrossEntropyWithLogits(yv, zv, ax);
        var u = Tensor.RandomNormal(ce.Shape, 0, 1, (uint)seed + 7u, DType.Float64);
        var grads = Ad.Eval(Ad.Vjp(ce, Const(u), yv, zv), env);
        foreach (var (v, g) in new[] { (yv, grads[0]), (zv, grads[1]) })
            for (int i = 0; i < v.Shape.Size; i++)
            {
                double Loss(double h) => Dot(u, ce.Eval(env.Bind(v, Tensor.From(Perturbed(env[v], i, h), v.Shape))));
                double fd = (Loss(Step) - Loss(-Step)) / (2 * Step);
                Assert.True(Math.Abs(fd - g.ToDoubleArray()[i]) <= 1e-6 * (1 + Math.Abs(fd)),
                    $"d/d{v}[{i}] axis {ax} shape {v.Shape}: finite difference {fd}, VJP {g.ToDoubleArray()[i]}");
            }
    }

    [Property(MaxTest = 40)]
    public void Jvp_matches_central_differences(int seed, byte a, byte b, byte c, byte rank, byte axis)
    {
        var (yv, zv, env, ax) = Case(seed, a, b, c, rank, axis);
        var ce = SoftmaxCrossEntropyWithLogits(yv, zv, ax);
        var ty = Tensor.RandomNormal(yv.Shape, 0, 1, (uint)seed + 3u, DType.Float64);
        var tz = Tensor.RandomNormal(zv.Shape, 0, 1, (uint)seed + 5u, DType.Float64);
        var jvp = Ad.Jvp(ce, new Expr[] { yv, zv }, new Expr[] { Const(ty), Const(tz) }).Eval(env).ToDoubleArray();
        Tensor Along(Expr v, Tensor t, double h) =>
            Tensor.From(env[v].ToDoubleArray().Zip(t.ToDoubleArray(), (x, d) => x + h * d).ToArray(), v.Shape);
        double[] At(double h) => ce.Eval(env.Bind(yv, Along(yv, ty, h)).Bind(zv, Along(zv, tz, h))).ToDoubleArray();
        var plus = At(Step);
        var minus = At(-Step);
        for (int i = 0; i < jvp.Length; i++)
        {
            double fd = (plus[i] - minus[i]) / (2 * Step);
            Assert.True(Math.Abs(fd - jvp[i]) <= 1e-6 * (1 + Math.Abs(fd)), $"element {i} axis {ax}: finite difference {fd}, JVP {jvp[i]}");
        }
    }

    [Property(MaxTest = 20)]
    public void Gradient_of_the_gradient_matches_central_differences_of_the_gradient(int seed, byte a, byte b, byte c, byte rank, byte axis)
    {
        var (yv, zv, env, ax) = Case(seed, a, b, c, rank, axis);
        var w = Const(Tensor.RandomNormal(SoftmaxCrossEntropyWithLogits(yv, zv, ax).Shape, 0, 1, (uint)seed + 11u, DType.Float64));
        var g = Ad.Grad(Sum(w * SoftmaxCrossEntropyWithLogits(yv, zv, ax)), zv)[0];
        var v = Const(Tensor.RandomNormal(zv.Shape, 0, 1, (uint)seed + 13u, DType.Float64));
        var hvp = Ad.Grad(Sum(v * g), zv)[0].Eval(env).ToDoubleArray();
        var sg = Sum(v * g);
        for (int i = 0; i < hvp.Length; i++)
        {
            double At(double h) => sg.Eval(env.Bind(zv, Tensor.From(Perturbed(env[zv], i, h), zv.Shape))).ToScalar();
            double fd = (At(Step) - At(-Step)) / (2 * Step);
            Assert.True(Math.Abs(fd - hvp[i]) <= 1e-6 * (1 + Math.Abs(fd)), $"element {i} axis {ax}: finite difference {fd}, second derivative {hvp[i]}");
        }
    }

    [Fact]
    public void Forward_equals_minus_labels_times_log_softmax_computed_in_doubles()
    {
        var y = new[] { 0.2, 0.0, 0.8, 1.0, 0.0, 0.0 };
        var z = new[] { 1.0, -2.0, 0.5, 3.0, 3.0, -1.0 };
        var ce = SoftmaxCrossEntropyWithLogits(Const(Tensor.From(y, new Shape(2, 3))), Const(Tensor.From(z, new Shape(2, 3)))).Eval().ToDoubleArray();
        for (int r = 0; r < 2; r++)
        {
            double lse = Math.Log(Enumerable.Range(0, 3).Sum(k => Math.Exp(z[r * 3 + k])));
            double expected = -Enumerable.Range(0, 3).Sum(k => y[r * 3 + k] * (z[r * 3 + k] - lse));
            Assert.Equal(expected, ce[r], 12);
        }
    }

    [Fact]
    public void Labels_and_logits_of_different_shapes_fail_when_built()
    {
        var e = Assert.Throws<ShapeException>(() => SoftmaxCrossEntropyWithLogits(Const(Tensor.Zeros(2, 3)), Const(Tensor.Zeros(2, 4))));
        Assert.Contains("same shape", e.Message);
    }

    [Fact]
    public void Huge_logits_give_a_finite_loss_in_float32()
    {
        var ce = SoftmaxCrossEntropyWithLogits(Const(0f, 1f), Const(1000f, 0f)).Eval().ToScalar();
        Assert.Equal(1000.0, ce, 3);
        var ce2 = SoftmaxCrossEntropyWithLogits(Const(0f, 1f), Const(-1000f, 1000f)).Eval().ToScalar();
        Assert.Equal(0.0, ce2, 6);
    }
}
