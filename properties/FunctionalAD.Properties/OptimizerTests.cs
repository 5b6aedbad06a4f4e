using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>SGD and Adam against updates computed by hand from Keras's rules, in both styles; initialisers' ranges and seeds.</summary>
public class OptimizerTests
{
    private static readonly double[] W0 = { 1.0, -2.0 };
    private static readonly double[] G1 = { 0.5, -1.0 };
    private static readonly double[] G2 = { -0.25, 2.0 };

    private static Tensor T(double[] v) => Tensor.From(v);

    private static double[] TwoSteps(Optimizer opt)
    {
        var state = opt.Init(new[] { T(W0) });
        var (p1, s1) = opt.Update(new[] { T(W0) }, new[] { T(G1) }, state);
        var (p2, s2) = opt.Update(p1, new[] { T(G2) }, s1);
        Assert.Equal(2, s2.Iterations);
        return p2[0].ToDoubleArray();
    }

    [Fact]
    public void Plain_sgd_steps_against_the_gradient()
    {
        const double lr = 0.1;
        var expected = W0.Select((w, i) => w - lr * G1[i] - lr * G2[i]).ToArray();
        Assert.Equal(expected, TwoSteps(new Sgd(lr)));
    }

    [Fact]
    public void Sgd_with_momentum_accumulates_a_velocity()
    {
        const double lr = 0.1, mu = 0.9;
        var expected = W0.Select((w, i) =>
        {
            double v = -lr * G1[i];
            w += v;
            v = mu * v - lr * G2[i];
            return w + v;
        }).ToArray();
        var actual = TwoSteps(new Sgd(lr, momentum: mu));
        for (int i = 0; i < 2; i++) Assert.Equal(expected[i], actual[i], 12);
    }

    [Fact]
    public void Nesterov_sgd_looks_ahead_along_the_new_velocity()
    {
        const double lr = 0.1, mu = 0.9;
        var expected = W0.Select((w, i) =>
        {
            double v = -lr * G1[i];
            w += mu * v - lr * G1[i];
            v = mu * v - lr * G2[i];
            return w + mu * v - lr * G2[i];
        }).ToArray();
        var actual = TwoSteps(new Sgd(lr, momentum: mu, nesterov: true));
        for (int i = 0; i < 2; i++) Assert.Equal(expected[i], actual[i], 12);
    }

    [Fact]
    public void Adam_uses_keras_defaults_and_bias_corrected_step_size()
    {
        var adam = new Adam();
        Assert.Equal((0.001, 0.9, 0.999, 1e-7), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
        var expected = W0.Select((w, i) =>
        {
            double m = 0, v = 0;
            foreach (var (g, t) in new[] { (G1[i], 1), (G2[i], 2) })
            {
                m = 0.9 * m + 0.1 * g;
                v = 0.999 * v + 0.001 * g * g;
                double alpha = 0.001 * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t));
                w -= alpha * m / (Math.Sqrt(v) + 1e-7);
            }
            return w;
        }).ToArray();
        var actual = TwoSteps(adam);
        for (int i = 0; i < 2; i++) Assert.Equal(expected[i], actual[i], 12);
        // The first Adam step moves each weight by about the learning rate, whatever the gradient's size.
        var (first, _) = adam.Update(new[] { T(W0) }, new[] { T(G1) }, adam.Init(new[] { T(W0) }));
        Assert.Equal(W0[0] - 0.001, first[0].ToDoubleArray()[0], 6);
    }

    [Fact]
    public void Functional_update_leaves_its_inputs_alone()
    {
        var p = T(W0);
        var opt = new Sgd(0.5, momentum: 0.5);
        var s0 = opt.Init(new[] { p });
        opt.Update(new[] { p }, new[] { T(G1) }, s0);
        Assert.Equal(W0, p.ToDoubleArray());
        Assert.Equal(0, s0.Iterations);
        Assert.All(s0.Slots[0][0].ToDoubleArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Tape_style_apply_matches_the_functional_update()
    {
        var v = new Variable(T(W0), "v");
        var skipped = new Variable(T(W0), "skipped");
        var tapeAdam = new Adam(0.01);
        tapeAdam.Apply(new Tensor?[] { T(G1), null }, new[] { v, skipped });
        tapeAdam.Apply(new Tensor?[] { T(G2), null }, new[] { v, skipped });
        var functional = TwoSteps(new Adam(0.01));
        Assert.Equal(functional, v.Value.ToDoubleArray());
        Assert.Equal(W0, skipped.Value.ToDoubleArray());
        Assert.Equal(2, tapeAdam.Iterations);
    }

    [Fact]
    public void Tape_style_training_fits_a_line()
    {
        var xs = Const(Tensor.From(new[] { 0f, 1f, 2f, 3f }, new Shape(4, 1)));
        var ys = Const(Tensor.From(new[] { 1f, 3f, 5f, 7f }, new Shape(4, 1)));
        var w = new Variable(Tensor.Zeros(1, 1), "w");
        var b = new Variable(Tensor.Zeros(1), "b");
        var opt = new Sgd(0.05, momentum: 0.9);
        for (int step = 0; step < 300; step++)
        {
            using var tape = new GradientTape();
            var loss = Mean(Losses.MSE(ys, MatMul(xs, w) + b));
            opt.Apply(tape.Gradient(loss, [w, b]), new[] { w, b });
        }
        Assert.Equal(2.0, w.Value.ToScalar(), 2);
        Assert.Equal(1.0, b.Value.ToScalar(), 2);
    }

    [Fact]
    public void The_documented_tape_style_loop_lowers_the_loss()
    {
        var x = Const(Tensor.RandomNormal(new Shape(8, 4), seed: 9));
        var y = Const(0, 1, 2, 0, 1, 2, 0, 1);
        var w = new Variable(Initializers.GlorotUniform(new Shape(4, 3), seed: 1), "w");
        var b = new Variable(Tensor.Zeros(3), "b");
        Expr Loss() => Mean(Losses.CategoricalCrossentropy(OneHot(y, 3), MatMul(x, w) + b, fromLogits: true));
        double before = Loss().Eval().ToScalar();
        var opt = new Adam(learningRate: 0.01);
        for (int step = 0; step < 100; step++)
        {
            using var tape = new GradientTape();
            var loss = Loss();
            opt.Apply(tape.Gradient(loss, [w, b]), [w, b]);
        }
        Assert.True(Loss().Eval().ToScalar() < 0.8 * before, $"loss {before} -> {Loss().Eval().ToScalar()}");
    }

    [Fact]
    public void Gradients_that_do_not_fit_leave_every_variable_unchanged()
    {
        var a = new Variable(T(W0), "a");
        var b = new Variable(T(W0), "b");
        var opt = new Sgd(0.1);
        Assert.Throws<ShapeException>(() => opt.Apply(new[] { T(G1), Tensor.From(new[] { 1.0 }) }, new[] { a, b }));
        Assert.Equal(W0, a.Value.ToDoubleArray());
        Assert.Equal(0, opt.Iterations);
    }

    [Fact]
    public void Glorot_and_he_uniform_stay_within_their_limits_and_repeat_with_the_seed()
    {
        var shape = new Shape(64, 10);
        var g = Initializers.GlorotUniform(shape, seed: 7);
        double limit = Math.Sqrt(6.0 / (64 + 10));
        Assert.All(g.ToDoubleArray(), v => Assert.InRange(Math.Abs(v), 0, limit));
        Assert.True(g.ToDoubleArray().Max() > 0.9 * limit);
        Assert.Equal(g.ToFloatArray(), Initializers.GlorotUniform(shape, seed: 7).ToFloatArray());
        Assert.NotEqual(g.ToFloatArray(), Initializers.GlorotUniform(shape, seed: 8).ToFloatArray());
        var h = Initializers.HeUniform(shape, seed: 7);
        Assert.All(h.ToDoubleArray(), v => Assert.InRange(Math.Abs(v), 0, Math.Sqrt(6.0 / 64)));
    }

    [Fact]
    public void Glorot_and_he_normal_are_truncated_with_the_wanted_spread()
    {
        var shape = new Shape(200, 300);
        foreach (var (t, sigma) in new[]
        {
            (Initializers.GlorotNormal(shape, seed: 3), Math.Sqrt(2.0 / 500)),
            (Initializers.HeNormal(shape, seed: 3), Math.Sqrt(2.0 / 200)),
        })
        {
            var v = t.ToDoubleArray();
            double std = Math.Sqrt(v.Select(x => x * x).Average());
            Assert.InRange(std, 0.97 * sigma, 1.03 * sigma);
            double cut = 2 * sigma / 0.87962566103423978;
            Assert.All(v, x => Assert.InRange(Math.Abs(x), 0, cut * (1 + 1e-6)));
        }
    }

    [Fact]
    public void Fans_follow_keras_for_every_rank()
    {
        Assert.Equal((1.0, 1.0), Initializers.Fans(Shape.Scalar));
        Assert.Equal((5.0, 5.0), Initializers.Fans(new Shape(5)));
        Assert.Equal((3.0, 4.0), Initializers.Fans(new Shape(3, 4)));
        Assert.Equal((2 * 2 * 3.0, 2 * 2 * 8.0), Initializers.Fans(new Shape(2, 2, 3, 8)));
    }
}
