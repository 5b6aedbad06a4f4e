using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// Each loss against Keras's documented semantics, with expected values computed here in plain double
/// arithmetic from the formulas (not from the library): per-sample values, clipping, renormalisation,
/// label smoothing, logits, sample weights and reductions.
/// </summary>
public class LossesKerasTests
{
    private const double Eps = 1e-7;

    private static Expr M(double[] v, int rows, int cols) => Const(Tensor.From(v, new Shape(rows, cols)));
    private static double[] Row(double[] v, int r, int cols) => v.Skip(r * cols).Take(cols).ToArray();
    private static double Clip(double x, double lo, double hi) => Math.Min(Math.Max(x, lo), hi);

    private static void Close(double[] expected, Tensor actual, int digits = 10)
    {
        var a = actual.ToDoubleArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++) Assert.Equal(expected[i], a[i], digits);
    }

    private static readonly double[] T = { 0, 1, 0, 1, 0, 0, 0.5, 0.5, 0 };
    private static readonly double[] P = { 0.2, 0.7, 0.1, 0.05, 0.9, 0.05, 0.3, 0.3, 0.4 };

    [Fact]
    public void MeanSquaredError_is_the_mean_over_the_last_axis()
    {
        var expected = Enumerable.Range(0, 3).Select(r => Row(T, r, 3).Zip(Row(P, r, 3), (t, p) => (p - t) * (p - t)).Average()).ToArray();
        Close(expected, Losses.MeanSquaredError(M(T, 3, 3), M(P, 3, 3)).Eval());
        Close(expected, Losses.MSE(M(T, 3, 3), M(P, 3, 3)).Eval());
    }

    [Fact]
    public void MeanAbsoluteError_is_the_mean_absolute_difference_over_the_last_axis()
    {
        var expected = Enumerable.Range(0, 3).Select(r => Row(T, r, 3).Zip(Row(P, r, 3), (t, p) => Math.Abs(p - t)).Average()).ToArray();
        Close(expected, Losses.MeanAbsoluteError(M(T, 3, 3), M(P, 3, 3)).Eval());
    }

    private static double Cce(double[] t, double[] p)
    {
        double s = p.Sum();
        return -t.Zip(p, (ti, pi) => ti * Math.Log(Clip(pi / s, Eps, 1 - Eps))).Sum();
    }

    [Fact]
    public void CategoricalCrossentropy_from_probabilities_renormalises_then_clips()
    {
        var p = new[] { 0.2, 0.2, 0.2, 0.0, 1.0, 0.0 };
        var t = new[] { 0.0, 1.0, 0.0, 1.0, 0.0, 0.0 };
        var expected = new[] { Cce(Row(t, 0, 3), Row(p, 0, 3)), Cce(Row(t, 1, 3), Row(p, 1, 3)) };
        Assert.Equal(Math.Log(3), expected[0], 12);
        Assert.Equal(-Math.Log(Eps), expected[1], 12);
        Close(expected, Losses.CategoricalCrossentropy(M(t, 2, 3), M(p, 2, 3)).Eval());
    }

    [Fact]
    public void CategoricalCrossentropy_label_smoothing_mixes_in_a_uniform_target()
    {
        const double s = 0.2;
        var expected = Enumerable.Range(0, 3).Select(r => Cce(Row(T, r, 3).Select(t => t * (1 - s) + s / 3).ToArray(), Row(P, r, 3))).ToArray();
        Close(expected, Losses.CategoricalCrossentropy(M(T, 3, 3), M(P, 3, 3), labelSmoothing: s).Eval());
    }

    private static double[] Logits => new[] { 2.0, -1.0, 0.5, 0.0, 3.0, -2.0, 1.0, 1.0, 1.0 };

    private static double CceLogits(double[] t, double[] z)
    {
        double m = z.Max();
        double lse = m + Math.Log(z.Sum(v => Math.Exp(v - m)));
        return -t.Zip(z, (ti, zi) => ti * (zi - lse)).Sum();
    }

    [Fact]
    public void CategoricalCrossentropy_from_logits_is_minus_labels_times_log_softmax()
    {
        var expected = Enumerable.Range(0, 3).Select(r => CceLogits(Row(T, r, 3), Row(Logits, r, 3))).ToArray();
        Close(expected, Losses.CategoricalCrossentropy(M(T, 3, 3), M(Logits, 3, 3), fromLogits: true).Eval());
        const double s = 0.1;
        var smoothed = Enumerable.Range(0, 3).Select(r => CceLogits(Row(T, r, 3).Select(t => t * (1 - s) + s / 3).ToArray(), Row(Logits, r, 3))).ToArray();
        Close(smoothed, Losses.CategoricalCrossentropy(M(T, 3, 3), M(Logits, 3, 3), fromLogits: true, labelSmoothing: s).Eval());
    }

    [Fact]
    public void CategoricalCrossentropy_along_axis_zero_reduces_the_columns()
    {
        var expected = Enumerable.Range(0, 3).Select(c =>
            CceLogits(new[] { T[c], T[3 + c], T[6 + c] }, new[] { Logits[c], Logits[3 + c], Logits[6 + c] })).ToArray();
        Close(expected, Losses.CategoricalCrossentropy(M(T, 3, 3), M(Logits, 3, 3), fromLogits: true, axis: 0).Eval());
    }

    [Fact]
    public void SparseCategoricalCrossentropy_takes_class_indices()
    {
        var labels = new[] { 1, 0, 2 };
        var fromLogits = labels.Select((l, r) => CceLogits(Enumerable.Range(0, 3).Select(k => k == l ? 1.0 : 0.0).ToArray(), Row(Logits, r, 3))).ToArray();
        Close(fromLogits, Losses.SparseCategoricalCrossentropy(Const(labels), M(Logits, 3, 3), fromLogits: true).Eval());
        Close(fromLogits, Losses.SparseCategoricalCrossentropy(Const(Tensor.From(labels, new Shape(3, 1))), M(Logits, 3, 3), fromLogits: true).Eval());
        // From probabilities Keras clips, takes the log, and renormalises through a log-softmax.
        var fromProbs = labels.Select((l, r) =>
        {
            var c = Row(P, r, 3).Select(p => Clip(p, Eps, 1 - Eps)).ToArray();
            return -Math.Log(c[l] / c.Sum());
        }).ToArray();
        Close(fromProbs, Losses.SparseCategoricalCrossentropy(Const(labels), M(P, 3, 3)).Eval());
    }

    private static double Bce(double t, double p)
    {
        p = Clip(p, Eps, 1 - Eps);
        return -(t * Math.Log(p) + (1 - t) * Math.Log(1 - p));
    }

    private static double BceLogits(double t, double z) => Math.Max(z, 0) - z * t + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    [Fact]
    public void BinaryCrossentropy_is_the_mean_over_the_last_axis_with_clipping()
    {
        var t = new[] { 1.0, 0.0, 1.0, 0.0, 1.0, 0.0 };
        var p = new[] { 0.9, 0.1, 0.0, 1.0, 0.6, 0.3 };
        var expected = Enumerable.Range(0, 2).Select(r => Row(t, r, 3).Zip(Row(p, r, 3), Bce).Average()).ToArray();
        Close(expected, Losses.BinaryCrossentropy(M(t, 2, 3), M(p, 2, 3)).Eval(), 6);
        const double s = 0.2;
        var smoothed = Enumerable.Range(0, 2).Select(r => Row(t, r, 3).Select(x => x * (1 - s) + 0.5 * s).Zip(Row(p, r, 3), Bce).Average()).ToArray();
        Close(smoothed, Losses.BinaryCrossentropy(M(t, 2, 3), M(p, 2, 3), labelSmoothing: s).Eval(), 6);
    }

    [Fact]
    public void BinaryCrossentropy_from_logits_is_stable_and_its_gradient_is_sigmoid_minus_label()
    {
        var t = new[] { 1.0, 0.0, 1.0, 0.0 };
        var z = new[] { 2.5, -0.5, -800.0, 800.0 };
        var zVar = Var64("z", 2, 2);
        var loss = Losses.BinaryCrossentropy(M(t, 2, 2), zVar, fromLogits: true);
        var env = Env.Of((zVar, Tensor.From(z, new Shape(2, 2))));
        var expected = Enumerable.Range(0, 2).Select(r => Row(t, r, 2).Zip(Row(z, r, 2), BceLogits).Average()).ToArray();
        Close(expected, loss.Eval(env));
        var g = Ad.Grad(Sum(loss), zVar)[0].Eval(env).ToDoubleArray();
        for (int i = 0; i < 4; i++) Assert.Equal((1 / (1 + Math.Exp(-z[i])) - t[i]) / 2, g[i], 10);
    }

    [Fact]
    public void Huber_is_quadratic_inside_delta_and_linear_outside()
    {
        const double delta = 1.5;
        var t = new[] { 0.0, 0.0, 1.0, 2.0 };
        var p = new[] { 0.5, -3.0, 1.0, 7.0 };
        double H(double a, double b)
        {
            double e = Math.Abs(b - a);
            return e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
        }
        var expected = Enumerable.Range(0, 2).Select(r => Row(t, r, 2).Zip(Row(p, r, 2), H).Average()).ToArray();
        Close(expected, Losses.Huber(M(t, 2, 2), M(p, 2, 2), delta).Eval());
    }

    [Fact]
    public void KLDivergence_clips_both_sides_to_epsilon_and_one()
    {
        var t = new[] { 0.5, 0.5, 0.0, 1.0, 0.0, 0.0 };
        var p = new[] { 0.25, 0.5, 0.25, 0.8, 0.2, 0.0 };
        double K(double a, double b)
        {
            a = Clip(a, Eps, 1);
            b = Clip(b, Eps, 1);
            return a * Math.Log(a / b);
        }
        var expected = Enumerable.Range(0, 2).Select(r => Row(t, r, 3).Zip(Row(p, r, 3), K).Sum()).ToArray();
        Close(expected, Losses.KLDivergence(M(t, 2, 3), M(p, 2, 3)).Eval());
    }

    [Fact]
    public void Reductions_and_sample_weights_follow_keras()
    {
        var perSample = Enumerable.Range(0, 3).Select(r => Row(T, r, 3).Zip(Row(P, r, 3), (a, b) => (b - a) * (b - a)).Average()).ToArray();
        var w = new[] { 2.0, 0.0, 0.5 };
        var weighted = perSample.Zip(w, (l, x) => l * x).ToArray();
        Expr yt = M(T, 3, 3), yp = M(P, 3, 3);
        Close(weighted, Losses.MeanSquaredError(yt, yp, LossReduction.None, Const(w)).Eval());
        Assert.Equal(weighted.Sum(), Losses.MeanSquaredError(yt, yp, LossReduction.Sum, Const(w)).Eval().ToScalar(), 12);
        // sum_over_batch_size divides by the number of losses, not by the sum of the weights.
        Assert.Equal(weighted.Sum() / 3, Losses.MeanSquaredError(yt, yp, LossReduction.SumOverBatchSize, Const(w)).Eval().ToScalar(), 12);
        Assert.Equal(perSample.Average(), Losses.MeanSquaredError(yt, yp, LossReduction.SumOverBatchSize).Eval().ToScalar(), 12);
        var column = Const(Tensor.From(w, new Shape(3, 1)));
        Assert.Equal(weighted.Sum(), Losses.MeanSquaredError(yt, yp, LossReduction.Sum, column).Eval().ToScalar(), 12);
        Assert.Equal(perSample.Sum() * 3, Losses.MeanSquaredError(yt, yp, LossReduction.Sum, 3.0).Eval().ToScalar(), 12);
    }

    [Fact]
    public void Weights_that_do_not_broadcast_are_rejected_when_built()
    {
        var e = Assert.Throws<ShapeException>(() => Losses.MeanSquaredError(M(T, 3, 3), M(P, 3, 3), LossReduction.Sum, Const(1.0, 2.0)));
        Assert.Contains("sampleWeight", e.Message);
    }

    [Fact]
    public void Every_loss_rejects_mismatched_shapes_when_built_saying_they_must_match()
    {
        Expr a = Const(Tensor.Zeros(2, 3)), b = Const(Tensor.Zeros(2, 4));
        var builders = new Func<Expr>[]
        {
            () => Losses.MeanSquaredError(a, b), () => Losses.MeanAbsoluteError(a, b),
            () => Losses.CategoricalCrossentropy(a, b), () => Losses.CategoricalCrossentropy(a, b, fromLogits: true),
            () => Losses.BinaryCrossentropy(a, b), () => Losses.Huber(a, b), () => Losses.KLDivergence(a, b),
        };
        foreach (var build in builders)
            Assert.Contains("must have the same shape", Assert.Throws<ShapeException>(build).Message);
        Assert.Contains("same shape", Assert.Throws<ShapeException>(() => Losses.SparseCategoricalCrossentropy(Const(1, 2, 3), b)).Message);
    }

    [Fact]
    public void Integer_targets_are_cast_to_the_prediction_dtype_as_keras_does()
    {
        var loss = Losses.CategoricalCrossentropy(Const(0, 1, 0, 0), Const(0.25f, 0.25f, 0.25f, 0.25f)).Eval();
        Assert.Equal(DType.Float32, loss.DType);
        Assert.Equal(Math.Log(4), loss.ToScalar(), 6);
    }

    [Fact]
    public void Bad_parameters_say_what_is_allowed()
    {
        Assert.Contains("labelSmoothing", Assert.Throws<FunctionalADException>(() => Losses.CategoricalCrossentropy(M(T, 3, 3), M(P, 3, 3), labelSmoothing: 1.5)).Message);
        Assert.Contains("delta", Assert.Throws<FunctionalADException>(() => Losses.Huber(M(T, 3, 3), M(P, 3, 3), delta: 0)).Message);
    }
}
