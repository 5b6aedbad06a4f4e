using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// The numbers printed in the TensorFlow 2 GradientTape tutorial our users learned from, reproduced here.
/// Expected values are the tutorial's (to its printed precision) or are derived from the formulas in doubles.
/// </summary>
public class TutorialTests
{
    [Fact]
    public void Section_1_3_gradient_of_x_times_w_is_x()
    {
        var w = Const(1f);
        var x = Const(2f);
        using var tape = new GradientTape();
        tape.Watch([w]);
        var y = x * w;
        var grad1 = tape.Gradient(y, [w]);
        Assert.Equal(2.0, grad1[0]!.Value.ToScalar());
        Assert.Equal(DType.Float32, grad1[0]!.DType);
        Assert.Equal(Shape.Scalar, grad1[0]!.Shape);
    }

    [Fact]
    public void Section_1_3_with_a_variable_needs_no_watch()
    {
        var w = new Variable(Const(1f));
        var x = Const(2f);
        using var tape = new GradientTape();
        var y = x * w;
        Assert.Equal(2.0, tape.Gradient(y, [w])[0]!.Value.ToScalar());
    }

    [Fact]
    public void Section_3_1_the_three_mse_formulas_agree()
    {
        var y = Cast(OneHot(Const(1, 2, 3, 0, 2), depth: 4), DType.Float32);
        var @out = Const(Tensor.RandomNormal(new Shape(5, 4), seed: 42));
        var loss1 = Mean(Square(y - @out)).Eval().ToScalar();
        var loss2 = (Square(Norm(y - @out)) / (5 * 4)).Eval().ToScalar();
        var loss3 = Mean(Losses.MSE(y, @out)).Eval().ToScalar();
        Assert.Equal(loss1, loss2, 5);
        Assert.Equal(loss1, loss3, 5);
        // And all three equal the definition, computed here in doubles.
        var yv = y.Eval().ToDoubleArray();
        var ov = @out.Eval().ToDoubleArray();
        Assert.Equal(yv.Zip(ov, (a, b) => (a - b) * (a - b)).Average(), loss1, 5);
    }

    [Theory]
    [InlineData(new[] { 0.25, 0.25, 0.25, 0.25 }, 1.386)]
    [InlineData(new[] { 0.1, 0.1, 0.7, 0.1 }, 2.303)]
    [InlineData(new[] { 0.1, 0.7, 0.1, 0.1 }, 0.357)]
    public void Section_3_3_categorical_crossentropy_values(double[] prediction, double tutorial)
    {
        var loss = Losses.CategoricalCrossentropy(Const(0, 1, 0, 0), Const(prediction.Select(p => (float)p).ToArray())).Eval().ToScalar();
        Assert.Equal(tutorial, loss, 3);
    }

    [Fact]
    public void Section_3_3_binary_crossentropy_of_a_right_prediction()
    {
        var loss = Losses.BinaryCrossentropy(Const(1, 0), Const(0.9f, 0.1f)).Eval().ToScalar();
        Assert.Equal(0.105, loss, 3);
    }

    [Fact]
    public void Section_3_3_categorical_crossentropy_of_a_wrong_binary_prediction()
    {
        var loss = Losses.CategoricalCrossentropy(Const(1, 0), Const(0.1f, 0.9f)).Eval().ToScalar();
        Assert.Equal(2.303, loss, 3);
    }

    [Fact]
    public void Section_3_3_logits_of_a_784_feature_example_give_a_finite_loss()
    {
        var x = Const(Tensor.RandomNormal(new Shape(1, 784), seed: 1));
        var w = Const(Tensor.RandomNormal(new Shape(784, 2), seed: 2));
        var b = Const(Tensor.Zeros(2));
        var logits = MatMul(x, w) + b;
        var loss = Losses.CategoricalCrossentropy(Const(Tensor.From(new[] { 0f, 1f }, new Shape(1, 2))), logits, fromLogits: true).Eval();
        Assert.Equal(new Shape(1), loss.Shape);
        Assert.True(loss.IsFinite());
    }

    [Fact]
    public void Section_3_2_mse_gradient_through_softmax_matches_the_formula()
    {
        var x = Const(Tensor.RandomNormal(new Shape(2, 4), seed: 3));
        var w = Const(Tensor.RandomNormal(new Shape(4, 3), seed: 4));
        var b = Const(Tensor.Zeros(3));
        var y = Const(2, 0);
        GradientList grads;
        using (var tape = new GradientTape())
        {
            tape.Watch([w, b]);
            var prob = Softmax(MatMul(x, w) + b, axis: 1);
            var loss = Mean(Losses.MSE(OneHot(y, depth: 3), prob));
            grads = tape.Gradient(loss, [w, b]);
        }
        Assert.Equal(new Shape(4, 3), grads[0]!.Shape);
        Assert.Equal(new Shape(3), grads[1]!.Shape);
        // d loss / d z for softmax p and one-hot t: (1/B) Σ_k (2/C)(p_k - t_k) p_k (δ_jk - p_j), by hand in doubles.
        var xv = x.Eval().ToDoubleArray();
        var wv = w.Eval().ToDoubleArray();
        var dz = new double[2, 3];
        for (int r = 0; r < 2; r++)
        {
            var z = Enumerable.Range(0, 3).Select(j => Enumerable.Range(0, 4).Sum(k => xv[r * 4 + k] * wv[k * 3 + j])).ToArray();
            double m = z.Max();
            var p = z.Select(v => Math.Exp(v - m)).ToArray();
            double s = p.Sum();
            p = p.Select(v => v / s).ToArray();
            var t = Enumerable.Range(0, 3).Select(j => j == (r == 0 ? 2 : 0) ? 1.0 : 0.0).ToArray();
            for (int j = 0; j < 3; j++)
                dz[r, j] = Enumerable.Range(0, 3).Sum(k => 2.0 / 3 * (p[k] - t[k]) * p[k] * ((j == k ? 1 : 0) - p[j])) / 2;
        }
        var gb = grads[1]!.Value.ToDoubleArray();
        var gw = grads[0]!.Value.ToDoubleArray();
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(dz[0, j] + dz[1, j], gb[j], 5);
            for (int k = 0; k < 4; k++) Assert.Equal(xv[k] * dz[0, j] + xv[4 + k] * dz[1, j], gw[k * 3 + j], 5);
        }
    }

    [Fact]
    public void Section_3_4_cross_entropy_gradient_from_logits_sums_to_zero_over_the_bias()
    {
        var x = Const(Tensor.RandomNormal(new Shape(2, 4), seed: 5));
        var w = Const(Tensor.RandomNormal(new Shape(4, 3), seed: 6));
        var b = Const(Tensor.Zeros(3));
        var y = Const(2, 0);
        GradientList grads;
        using (var tape = new GradientTape())
        {
            tape.Watch([w, b]);
            var logits = MatMul(x, w) + b;
            var loss = Mean(Losses.CategoricalCrossentropy(OneHot(y, depth: 3), logits, fromLogits: true));
            grads = tape.Gradient(loss, [w, b]);
        }
        Assert.Equal(new Shape(4, 3), grads[0]!.Shape);
        var gb = grads[1]!.Value.ToDoubleArray();
        Assert.Equal(0.0, gb.Sum(), 6);
        // Each row's softmax minus its one-hot sums to zero, so the columns of dW sum to zero too.
        var gw = grads[0]!.Value.ToDoubleArray();
        for (int k = 0; k < 4; k++) Assert.Equal(0.0, gw[k * 3] + gw[k * 3 + 1] + gw[k * 3 + 2], 5);
        // And db is the mean over the batch of softmax(z) - onehot(y).
        var sm = Softmax(MatMul(x, w) + b).Eval().ToDoubleArray();
        Assert.Equal((sm[0] + sm[3] - 1) / 2, gb[0], 6);
        Assert.Equal((sm[2] - 1 + sm[5]) / 2, gb[2], 6);
    }

    [Fact]
    public void Section_3_4_logits_of_1000_stay_finite_from_logits_where_softmax_then_log_overflows()
    {
        var z = Var("z", 1, 2);
        var labels = Const(Tensor.From(new[] { 0f, 1f }, new Shape(1, 2)));
        var env = Env.Of((z, Tensor.From(new[] { 1000f, 0f }, new Shape(1, 2))));

        // Softmax written out as exp(z) / Σ exp(z) overflows: exp(1000) is infinite in float32, so the loss is NaN.
        var naiveProb = Exp(z) / Sum(Exp(z), 1, keepDims: true);
        var naive = -Sum(labels * Log(naiveProb));
        Assert.False(naive.Eval(env).IsFinite());

        var loss = Sum(Losses.CategoricalCrossentropy(labels, z, fromLogits: true));
        var g = Ad.Grad(loss, z)[0];
        var values = Ad.Eval(new[] { loss, g }, env);
        Assert.Equal(1000.0, values[0].ToScalar(), 2);
        Assert.True(values[1].IsFinite());
        Assert.Equal(new[] { 1f, -1f }, values[1].ToFloatArray());
    }

    [Fact]
    public void Section_5_values_keep_what_they_read_and_the_printed_loss_is_the_one_before_the_step()
    {
        // What TensorFlow prints for the same program: y = 6.0, loss = 9.0, w = 0.6.
        var v = new Variable(3f, "v");
        var y = v * 2f;
        v.Assign(5f);
        Assert.Equal("tf.Tensor(6.0, shape=(), dtype=float32)", y.Eval().ToString());
        var w = new Variable(0f, "w");
        using var tape = new GradientTape();
        var loss = Square(w - 3f);
        new Sgd(learningRate: 0.1).Apply(tape.Gradient(loss, [w]), [w]);
        Assert.Equal("tf.Tensor(9.0, shape=(), dtype=float32)", loss.Eval().ToString());
        Assert.Equal("<tf.Variable 'w:0' shape=() dtype=float32, numpy=0.6>", w.ToString());
    }
}
