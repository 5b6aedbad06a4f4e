using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// <c>Losses.SparseCategoricalCrossentropy</c> builds one composite node (<see cref="SparseLabelLossOp"/>) where the
/// written-out loss has a dozen: every path an expression takes (interpreter, compiled engine, Ad.Compile, reverse
/// and forward derivatives of any order, the tape, printing) must give what the written-out body gives, bit for bit.
/// </summary>
public class SparseLossCompositeTests
{
    /// <summary>The same expressions with every composite replaced by its body (what printing shows).</summary>
    private static Expr[] Inlined(params Expr[] e) => InlineCustom.Composites(e);

    /// <summary>The loss as the library wrote it out before it was a composite node: the reference for every path.</summary>
    private static Expr WrittenOut(Expr yTrue, Expr yPred, bool fromLogits)
    {
        var rows = yPred.Shape.Leading(yPred.Rank - 1);
        var labels = yTrue.Rank == rows.Rank + 1 ? Reshape(yTrue, rows) : yTrue;
        int classes = yPred.Shape[-1];
        var oneHot = OneHot(CheckLabels(Cast(labels, DType.Int32), classes), classes, yPred.DType);
        var logits = fromLogits ? yPred : Log(LossInputs.Clip(yPred, LossInputs.Epsilon, 1 - LossInputs.Epsilon));
        var lowest = Literal(logits.DType == DType.Float32 ? float.MinValue : double.MinValue, logits.DType);
        var shifted = logits - StopGradient(Maximum(Max(logits, -1, keepDims: true), lowest));
        var picked = Where(Greater(oneHot, Literal(0, oneHot.DType)), shifted, Literal(0, shifted.DType));
        return LogSumExp(shifted, -1) - Sum(picked, -1);
    }

    private static void SameBits(Tensor want, Tensor got, string what)
    {
        Assert.Equal(want.Shape, got.Shape);
        Assert.Equal(want.DType, got.DType);
        var w = want.ToArray<double>();
        var g = got.ToArray<double>();
        for (int i = 0; i < w.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(w[i]) == BitConverter.DoubleToInt64Bits(g[i]), $"{what}, element {i}: written out {w[i]:R}, composite {g[i]:R}");
    }

    private static void Close(Tensor want, Tensor got, string what)
    {
        var w = want.ToArray<double>();
        var g = got.ToArray<double>();
        for (int i = 0; i < w.Length; i++)
            Assert.True(Math.Abs(w[i] - g[i]) <= 1e-6 * Math.Max(1, Math.Abs(w[i])), $"{what}, element {i}: written out {w[i]:R}, composite {g[i]:R}");
    }

    private static (Var X, Var W, Var B, Env At, Expr Labels) Model(DType dtype, bool trailingOne, int seed)
    {
        var x = (Var)Var("x", new Shape(6, 4), dtype);
        var w = (Var)Var("w", new Shape(4, 3), dtype);
        var b = (Var)Var("b", new Shape(3), dtype);
        var labels = new[] { 2, 0, 1, 1, 0, 2 };
        var y = trailingOne ? Const(Tensor.From(labels, new Shape(6, 1))) : Const(Tensor.From(labels));
        var at = Env.Of((x, Tensor.RandomNormal(new Shape(6, 4), seed: seed).Cast(dtype)),
            (w, Tensor.RandomNormal(new Shape(4, 3), seed: seed + 1).Cast(dtype)), (b, Tensor.RandomNormal(new Shape(3), seed: seed + 2).Cast(dtype)));
        return (x, w, b, at, y);
    }

    private static Expr Logits(Var x, Var w, Var b, bool fromLogits) => fromLogits ? MatMul(x, w) + b : Softmax(MatMul(x, w) + b);

    [Theory]
    [InlineData(DType.Float32, true, false)]
    [InlineData(DType.Float32, false, true)]
    [InlineData(DType.Float64, true, true)]
    [InlineData(DType.Float64, false, false)]
    public void Values_and_derivatives_of_every_order_equal_the_written_out_loss_bit_for_bit(DType dtype, bool fromLogits, bool trailingOne)
    {
        var (x, w, b, at, y) = Model(dtype, trailingOne, 7);
        var tangent = Const(Tensor.RandomNormal(w.Shape, seed: 3).Cast(dtype));
        Expr[] All(Expr per)
        {
            var loss = Mean(per);
            return [per, loss, .. Ad.Grad(loss, w, b), Ad.Jvp(loss, w, tangent), Ad.Hessian(loss, b)];
        }
        var ours = All(Losses.SparseCategoricalCrossentropy(y, Logits(x, w, b, fromLogits), fromLogits));
        var written = All(WrittenOut(y, Logits(x, w, b, fromLogits), fromLogits));
        Assert.Contains(Graph.Reachable(ours[..2]), n => n is Apply { Op: SparseLabelLossOp });
        Assert.DoesNotContain(Graph.Reachable(written), n => n is Apply { Op: SparseLabelLossOp });
        string[] names = ["per-sample loss", "loss", "dw", "db", "jvp", "hessian"];
        // The first uses run interpreted, the later ones compiled: both must agree with the written-out program.
        for (int run = 0; run < 4; run++)
        {
            var want = Ad.Eval(written, at);
            var got = Ad.Eval(ours, at);
            for (int i = 0; i < ours.Length; i++) SameBits(want[i], got[i], $"{names[i]} (run {run})");
        }
        var compiled = Ad.Compile(ours, x, w, b).Run(at[x], at[w], at[b]);
        var compiledWritten = Ad.Compile(written, x, w, b).Run(at[x], at[w], at[b]);
        for (int i = 0; i < ours.Length; i++) SameBits(compiledWritten[i], compiled[i], $"{names[i]} (Ad.Compile)");
    }

    [Fact]
    public void The_compiled_plan_is_the_written_out_losses_plan()
    {
        var (x, w, b, _, y) = Model(DType.Float32, false, 1);
        var loss = Mean(Losses.SparseCategoricalCrossentropy(y, MatMul(x, w) + b, fromLogits: true));
        var lossWritten = Mean(WrittenOut(y, MatMul(x, w) + b, fromLogits: true));
        Expr[] ours = [loss, .. Ad.Grad(loss, w, b)];
        Expr[] written = [lossWritten, .. Ad.Grad(lossWritten, w, b)];
        Assert.Equal(Ad.Compile(written, x, w, b).Describe(), Ad.Compile(ours, x, w, b).Describe());
    }

    [Fact]
    public void The_tape_gives_the_written_out_losses_gradients_bit_for_bit_step_after_step()
    {
        var wv = new Variable(Tensor.RandomNormal(new Shape(4, 3), seed: 11), "w");
        var bv = new Variable(Tensor.RandomNormal(new Shape(3), seed: 12), "b");
        for (int step = 0; step < 6; step++)
        {
            var data = Const(Tensor.RandomNormal(new Shape(5, 4), seed: 20 + step));
            var labels = Const(Tensor.From(Enumerable.Range(0, 5).Select(i => (i + step) % 3).ToArray()));
            EagerTensor?[] Gradients(bool written)
            {
                using var tape = new GradientTape();
                var logits = MatMul(data, wv.Read()) + bv.Read();
                var loss = Mean(written ? WrittenOut(labels, logits, fromLogits: true) : Losses.SparseCategoricalCrossentropy(labels, logits, fromLogits: true));
                return tape.Gradient(loss, [wv, bv]).ToArray();
            }
            var want = Gradients(written: true);
            var got = Gradients(written: false);
            // In the first steps one of the two can run interpreted while the other runs compiled (float32 exp may
            // differ in the last bit). From the third step on, both run their compiled gradient plans.
            for (int i = 0; i < 2; i++)
            {
                if (step >= 3) SameBits(want[i]!.Value, got[i]!.Value, $"step {step}, gradient {i}");
                else Close(want[i]!.Value, got[i]!.Value, $"step {step}, gradient {i}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Nested_tapes_and_the_tapes_jacobian_go_through_the_body(bool written)
    {
        var w = new Variable(Tensor.RandomNormal(new Shape(4, 3), seed: 41).Cast(DType.Float64), "w");
        var data = Const(Tensor.RandomNormal(new Shape(5, 4), seed: 42).Cast(DType.Float64));
        var labels = Const(2, 0, 1, 1, 2);
        Expr Loss(Expr logits) => written ? WrittenOut(labels, logits, fromLogits: true) : Losses.SparseCategoricalCrossentropy(labels, logits, fromLogits: true);
        // Second order through two tapes: d/dw Σ (dL/dw)², with L the mean loss.
        using var outer = new GradientTape();
        Tensor inner;
        Expr innerGrad;
        using (var tape = new GradientTape())
        {
            var g = tape.Gradient(Mean(Loss(MatMul(data, w.Read()))), w)!;
            inner = g.Value;
            innerGrad = g.Expr;
        }
        var second = outer.Gradient(Sum(innerGrad * innerGrad), w)!.Value;
        using var jt = new GradientTape();
        var jacobian = jt.Jacobian(Loss(MatMul(data, w.Read())), w)!.Value;

        // The reference: the same derivatives of the written-out loss over a symbolic variable.
        var wv = (Var)Var("w", new Shape(4, 3), DType.Float64);
        var at = Env.Of((wv, w.Value));
        var per = WrittenOut(labels, MatMul(data, wv), fromLogits: true);
        var dw = Ad.Grad(Mean(per), wv)[0];
        Close(dw.Eval(at), inner, "inner gradient");
        Close(Ad.Grad(Sum(dw * dw), wv)[0].Eval(at), second, "gradient of the gradient");
        var rows = Enumerable.Range(0, 5).Select(i => Ad.Grad(per[i], wv)[0].Eval(at).ToArray<double>()).SelectMany(r => r).ToArray();
        Close(Tensor.From(rows, jacobian.Shape), jacobian, "jacobian");
    }

    [Fact]
    public void It_prints_draws_and_exports_as_the_written_out_loss()
    {
        var (x, w, b, _, y) = Model(DType.Float32, false, 1);
        var loss = Mean(Losses.SparseCategoricalCrossentropy(y, MatMul(x, w) + b, fromLogits: true));
        var written = Mean(WrittenOut(y, MatMul(x, w) + b, fromLogits: true));
        Assert.Equal(written.ToString(), loss.ToString());
        Assert.Equal(Inlined(loss)[0].ToString(), loss.ToString());
        Assert.Equal(written.ToLatex(), loss.ToLatex());
        Assert.Equal(written.ToDot(), loss.ToDot());
        Assert.Contains("logsumexp", loss.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_label_out_of_range_still_fails_when_evaluated_naming_it()
    {
        var z = (Var)Var("z", new Shape(2, 3));
        var loss = Losses.SparseCategoricalCrossentropy(Const(1, 3), z, fromLogits: true);
        var at = Env.Of((z, Tensor.RandomNormal(new Shape(2, 3), seed: 1)));
        for (int run = 0; run < 3; run++)
        {
            var e = Assert.ThrowsAny<FunctionalADException>(() => loss.Eval(at));
            Assert.Contains("label 3 at", e.Message);
        }
    }
}
