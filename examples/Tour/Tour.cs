using System.Globalization;
using FunctionalAD;
using static FunctionalAD.Ex;

namespace FunctionalAD.Examples;

/// <summary>A short walk through the core: expressions, derivatives as expressions, evaluation, higher order.</summary>
public static class Tour
{
    /// <summary>Prints each step of the tour to <paramref name="out"/>.</summary>
    public static void Run(TextWriter @out)
    {
        // 1. A derivative is an expression: it prints as math and evaluates like any other.
        var x = Var("x");
        var f = Sin(x) * x;
        var df = Ad.Grad(f, x)[0];
        @out.WriteLine($"f(x)   = {f}");
        @out.WriteLine($"f'(x)  = {df}");
        var at2 = Env.Of((x, Tensor.Scalar(2f)));
        @out.WriteLine($"f'(2)  = {df.Eval(at2)}");

        // 2. The tutorial's model: logits = x @ w + b, mean softmax cross-entropy against one-hot labels.
        var w = Var("w", 4, 3);
        var b = Var("b", 3);
        var xs = Const(Tensor.RandomNormal(new Shape(2, 4), seed: 1));
        var labels = Const(Tensor.From(new[] { 2, 0 }));
        var logits = MatMul(xs, w) + b;
        var loss = Mean(-Sum(OneHot(labels, 3) * LogSoftmax(logits), axis: 1));
        Expr[] grads = Ad.Grad(loss, w, b);
        @out.WriteLine($"loss      = {loss}");
        @out.WriteLine($"dloss/db  = {grads[1]}");
        var env = Env.Of((w, Tensor.RandomNormal(new Shape(4, 3), seed: 2)), (b, Tensor.Zeros(3)));
        var values = Ad.Eval(new[] { loss, grads[0], grads[1] }, env);
        @out.WriteLine($"loss value = {values[0]}");
        @out.WriteLine($"dloss/dw   = {values[1]}");
        @out.WriteLine($"dloss/db   = {values[2]}");

        // 3. JAX style: functions to functions, composed to any order.
        Func<Expr, Expr> g = z => Sum(Tanh(z));
        var dg = Ad.Grad(g);
        var ddg = Ad.Grad(z => Sum(dg(z)));
        var v = Var("v", 3);
        var at = Env.Of((v, Tensor.From(new[] { -1f, 0f, 1f })));
        @out.WriteLine($"grad  sum(tanh v) = {dg(v)} = {dg(v).Eval(at)}");
        @out.WriteLine($"grad² sum(tanh v) = {ddg(v)} = {ddg(v).Eval(at)}");

        // 4. Forward mode and the Hessian.
        var jvp = Ad.Jvp(Sum(v * v * v), v, OnesLike(v));
        @out.WriteLine($"jvp of sum(v³) along 1 = {jvp} = {jvp.Eval(at)}");
        var h = Ad.Hessian(0.5f * Sum(v * v), v);
        @out.WriteLine($"hessian of ½|v|² = {h.Eval(at)}");

        // 5. Compile once, run many times: the loss and both gradients become one fused loop over the 1000 elements
        //    (register-fused under the JIT, tiled under native AOT; the same values either way).
        var p = Var("p", 1000);
        var q = Var("q", 1000);
        var energy = Sum(Tanh(p * q + 0.5f));
        Expr[] dE = Ad.Grad(energy, p, q);
        var step = Ad.Compile(new[] { energy, dE[0], dE[1] }, p, q);
        var outs = step.Run(
            Tensor.From(Enumerable.Range(0, 1000).Select(i => MathF.Sin(i)).ToArray()),
            Tensor.From(Enumerable.Range(0, 1000).Select(i => MathF.Cos(0.5f * i)).ToArray()));
        string Show(Tensor t, int count) =>
            string.Join(" ", t.ToFloatArray().Take(count).Select(e => e.ToString("G7", CultureInfo.InvariantCulture)));
        @out.WriteLine($"compiled steps = {step.StepCount}");
        @out.WriteLine($"E = sum(tanh(p * q + 0.5)) = {Show(outs[0], 1)}");
        @out.WriteLine($"dE/dp[0..3] = {Show(outs[1], 4)}");
        @out.WriteLine($"dE/dq[0..3] = {Show(outs[2], 4)}");
    }
}
