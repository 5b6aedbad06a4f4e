using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// The invariants the lean per-call paths rely on: nodes built inside a tape are shared within its scope only,
/// an evaluation reuses the abstraction of the same roots but always binds the current values, results never
/// share storage with a workspace or with earlier results, and steady calls allocate their results only.
/// </summary>
[Collection(PlanCacheCollection.Name)]
public class EngineOverheadTests
{
    private static Tensor Normal(int seed, params int[] dims) => Tensor.RandomNormal(new Shape(dims), seed: seed);

    [Fact]
    public void Inside_one_tape_equal_applications_are_one_node_and_different_parameters_are_not()
    {
        var x = new Variable(Normal(1, 3, 4), "x");
        using var tape = new GradientTape();
        var r = x.Read();
        var byRows = Sum(r, 1);
        var byColumns = Sum(r, 0);
        Assert.Same(byRows, Sum(r, 1));
        Assert.Same(byColumns, Sum(r, 0));
        Assert.NotSame(byRows, byColumns);
        Assert.Equal(new Shape(3), byRows.Shape);
        Assert.Equal(new Shape(4), byColumns.Shape);
        Assert.Same(Tanh(r) * r, Tanh(r) * r);
    }

    [Fact]
    public void A_new_tape_or_a_pause_builds_new_nodes_and_outside_tapes_nodes_are_shared_again()
    {
        var c = Const(Normal(2, 5));
        var outside = Exp(c);
        Assert.Same(outside, Exp(c));
        Expr first, paused;
        using (var tape = new GradientTape())
        {
            first = Exp(c);
            Assert.NotSame(outside, first);
            using (tape.StopRecording()) paused = Exp(c);
            Assert.NotSame(first, paused);
            Assert.NotSame(first, Exp(c));                     // resumed: a new execution again
        }
        using (new GradientTape()) Assert.NotSame(first, Exp(c));
        Assert.Same(outside, Exp(c));
    }

    [Fact]
    public void Gradients_through_nodes_shared_inside_a_tape_count_every_use()
    {
        var w = new Variable(Tensor.From(new[] { 1.5f, -2f }), "w");
        using var tape = new GradientTape();
        var r = w.Read();
        var loss = Sum(Square(r)) + Sum(Square(r));             // the same node twice
        var g = tape.Gradient(loss, w)!.Value.ToArray<float>();
        Assert.Equal(new[] { 6f, -8f }, g);                      // d/dw 2 Σ w² = 4w
    }

    [Fact]
    public void Evaluating_the_same_roots_again_binds_the_new_values()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        var x = Var("x", 4, 3);
        var w = Var("w", 3, 2);
        var loss = Sum(Tanh(MatMul(x, w)));
        var roots = new[] { loss }.Concat(Ad.Grad(loss, w)).ToArray();
        var f = Ad.Compile(roots, x, w);
        for (int step = 0; step < 4; step++)
        {
            var xv = Normal(10 + step, 4, 3);
            var wv = Normal(20 + step, 3, 2);
            var got = Ad.Eval(roots, Env.Of((x, xv), (w, wv)));
            var want = f.Run(xv, wv);
            for (int i = 0; i < roots.Length; i++) Assert.Equal(want[i].ToArray<float>(), got[i].ToArray<float>());
        }
        Assert.Equal(1, PlanCache.Statistics.Compilations);
    }

    [Fact]
    public void Evaluating_the_same_roots_follows_a_variables_assignments()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        var v = new Variable(Tensor.From(new[] { 1f, 2f }), "v");
        var y = Sum(v.Var * v.Var);
        Assert.Equal(5.0, y.Eval().ToScalar());
        v.Assign(Tensor.From(new[] { 3f, 4f }));
        Assert.Equal(25.0, y.Eval().ToScalar());
        Assert.Equal(25.0, Ad.Eval(new[] { y })[0].ToScalar());
    }

    [Fact]
    public void Results_never_share_storage_with_later_calls()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        var x = Var("x", 6);
        var y = Exp(x) * 2f;
        var first = Ad.Eval(y, Env.Of((x, Tensor.From(new[] { 0f, 1, 2, 3, 4, 5 }))));
        var kept = first.ToArray<float>();
        var second = Ad.Eval(y, Env.Of((x, Tensor.From(new[] { -1f, -1, -1, -1, -1, -1 }))));
        Assert.Equal(kept, first.ToArray<float>());
        Assert.NotEqual(kept, second.ToArray<float>());

        var f = Ad.Compile(new[] { y }, x);
        var a = f.Run(Tensor.From(new[] { 1f, 1, 1, 1, 1, 1 }))[0];
        var keptA = a.ToArray<float>();
        f.Run(Tensor.From(new[] { 2f, 2, 2, 2, 2, 2 }));
        Assert.Equal(keptA, a.ToArray<float>());
    }

    [Fact]
    public void An_output_frozen_after_earlier_runs_is_refused()
    {
        var x = Var("x", 3);
        var f = Ad.Compile(new[] { x * 2f }, x);
        var input = new[] { Tensor.From(new[] { 1f, 2f, 3f }) };
        var outputs = f.CreateOutputs();
        for (int i = 0; i < 3; i++) f.Run(input, outputs);         // accepted while nothing else uses it
        _ = Const(outputs[0]);                                     // now a constant of an expression
        Assert.Throws<FunctionalADException>(() => f.Run(input, outputs));
    }

    [Fact]
    public void A_steady_small_Eval_allocates_little_beyond_its_results()
    {
        using var scope = new CacheScope();
        var x = Var("x", 2, 4);
        var w = Var("w", 4, 3);
        var b = Var("b", 3);
        var loss = Mean(Losses.SparseCategoricalCrossentropy(Const(2, 0), MatMul(x, w) + b, fromLogits: true));
        var roots = new[] { loss }.Concat(Ad.Grad(loss, w, b)).ToArray();
        var env = Env.Of((x, Normal(1, 2, 4)), (w, Normal(2, 4, 3)), (b, Normal(3, 3)));
        for (int i = 0; i < 200; i++) Ad.Eval(roots, env);
        const int calls = 100;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) Ad.Eval(roots, env);
        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
        // Three small result tensors (about 100 bytes each with their shapes) and the arrays that hold inputs and
        // results; walking the graph again or formatting keys would cost kilobytes.
        Assert.InRange(perCall, 1, 1536);
    }

    [Fact]
    public void A_steady_small_tape_step_allocates_a_few_kilobytes()
    {
        using var scope = new CacheScope();
        var x = Normal(4, 2, 4);
        var labels = Tensor.From(new[] { 2, 0 });
        var w = new Variable(Normal(5, 4, 3), "w");
        var b = new Variable(Tensor.Zeros(3), "b");
        void Step()
        {
            using var tape = new GradientTape();
            var loss = Mean(Losses.SparseCategoricalCrossentropy(Const(labels), MatMul(Const(x), w) + b, fromLogits: true));
            _ = tape.Gradient(loss, [w, b]);
        }
        for (int i = 0; i < 200; i++) Step();
        const int steps = 100;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steps; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;
        // Building about two dozen nodes (the sparse loss lowers to a shifted log-sum-exp with a select), the
        // tape's tables and the abstraction: about 15 KB; string keys per node cost about twice that per node
        // (16 KB per step for half these nodes before they went).
        Assert.InRange(perStep, 1, 20 * 1024);
    }
}
