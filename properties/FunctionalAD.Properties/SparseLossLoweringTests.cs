using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// <c>Losses.SparseCategoricalCrossentropy(fromLogits: true)</c> is written as lse(z) − z[label] so it compiles
/// into the same single fused pass as a hand-built loss: its values, gradients and edge cases, and the plan.
/// </summary>
public class SparseLossLoweringTests
{
    private static void Close(double[] want, double[] got, double tol)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - got[i]) <= tol * Math.Max(1, Math.Abs(want[i])), $"element {i}: want {want[i]:R}, got {got[i]:R}");
    }

    /// <summary>−log softmax(z)[label] and softmax(z) − onehot, worked out in double.</summary>
    private static (double[] Loss, double[] Grad) Reference(double[] z, int[] labels, int classes)
    {
        var loss = new double[labels.Length];
        var grad = new double[z.Length];
        for (int r = 0; r < labels.Length; r++)
        {
            var row = z.Skip(r * classes).Take(classes).ToArray();
            double m = row.Max(), s = row.Sum(v => Math.Exp(v - m));
            loss[r] = Math.Log(s) + m - row[labels[r]];
            for (int c = 0; c < classes; c++) grad[r * classes + c] = Math.Exp(row[c] - m) / s - (c == labels[r] ? 1 : 0);
        }
        return (loss, grad);
    }

    [Theory]
    [InlineData(DType.Float32, 3, 2e-6)]
    [InlineData(DType.Float32, 10, 2e-6)]
    [InlineData(DType.Float64, 10, 1e-13)]
    [InlineData(DType.Float64, 257, 1e-13)]
    public void Loss_and_gradient_match_the_reference_in_eval_and_compiled_form(DType dtype, int classes, double tol)
    {
        const int rows = 37;
        var random = new Random(classes);
        // Offsets of ±1000 make an unshifted exp overflow: the loss must shift by the row maximum.
        var z = Enumerable.Range(0, rows * classes).Select(i => random.NextDouble() * 8 - 4 + (i / classes % 3 - 1) * 1000.0).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        if (dtype == DType.Float32) z = z.Select(v => (double)(float)v).ToArray();
        var (wantLoss, wantGrad) = Reference(z, labels, classes);

        var zv = (Var)Var("z", new Shape(rows, classes), dtype);
        var yv = (Var)Var("y", new Shape(rows), DType.Int32);
        var loss = Losses.SparseCategoricalCrossentropy(yv, zv, fromLogits: true);
        var grad = Ad.GradOf(Sum(loss), [zv])[0];
        var at = Env.Of((zv, Tensor.From(z, new Shape(rows, classes)).Cast(dtype)), (yv, Tensor.From(labels)));
        Close(wantLoss, loss.Eval(at).ToArray<double>(), tol);
        Close(wantGrad, grad.Eval(at).ToArray<double>(), tol);

        var f = Ad.Compile([loss, grad], yv, zv);
        var got = f.Run(Tensor.From(labels), Tensor.From(z, new Shape(rows, classes)).Cast(dtype));
        Close(wantLoss, got[0].ToArray<double>(), tol);
        Close(wantGrad, got[1].ToArray<double>(), tol);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void A_minus_infinity_logit_outside_the_label_gives_a_finite_loss_and_a_zero_gradient(DType dtype)
    {
        var zv = (Var)Var("z", new Shape(1, 3), dtype);
        var loss = Losses.SparseCategoricalCrossentropy(Const(1), zv, fromLogits: true);
        var at = Env.Of((zv, Tensor.From(new[] { double.NegativeInfinity, 0, Math.Log(3) }, new Shape(1, 3)).Cast(dtype)));
        double tol = dtype == DType.Float32 ? 1e-6 : 1e-12;
        // p = (0, 1/4, 3/4): the loss is −log(1/4), the gradient p − onehot = (0, −3/4, 3/4).
        Close([Math.Log(4)], loss.Eval(at).ToArray<double>(), tol);
        Close([0, -0.75, 0.75], Ad.Grad(Sum(loss), zv)[0].Eval(at).ToArray<double>(), tol);
        var f = Ad.Compile([loss, Ad.Grad(Sum(loss), zv)[0]], zv);
        var got = f.Run(at[zv]);
        Close([Math.Log(4)], got[0].ToArray<double>(), tol);
        Close([0, -0.75, 0.75], got[1].ToArray<double>(), tol);
    }

    [Fact]
    public void The_compiled_training_step_is_one_fused_pass_over_the_logits_with_no_cross_entropy_step()
    {
        var x = (Var)Var("x", new Shape(256, 784));
        var y = (Var)Var("y", new Shape(256), DType.Int32);
        var w = (Var)Var("w", new Shape(784, 10));
        var b = (Var)Var("b", new Shape(10));
        var loss = Mean(Losses.SparseCategoricalCrossentropy(y, MatMul(x, w) + b, fromLogits: true));
        var plan = Ad.Compile([loss, .. Ad.GradOf(loss, [w, b])], x, y, w, b).Describe();
        Assert.DoesNotContain("softmax cross-entropy", plan);
        Assert.Single(plan.Split('\n'), line => line.Contains("fused rows 256x10"));
    }
}
