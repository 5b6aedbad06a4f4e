using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using Xunit;
using static FunctionalAD.Ex;
using static FunctionalAD.Properties.Support.Numerics;

namespace FunctionalAD.Properties;

/// <summary>Tests that read or change the process-wide plan cache and its settings run alone, so counts are exact.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PlanCacheCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "plan cache";
}

/// <summary>Changes the cache settings for one test and puts them back, with an empty cache on both sides.</summary>
internal sealed class CacheScope : IDisposable
{
    private readonly int _capacity = Settings.PlanCacheCapacity, _after = Settings.CompileAfterUses;

    public CacheScope(int? capacity = null, int? compileAfterUses = null)
    {
        if (capacity is { } c) Settings.PlanCacheCapacity = c;
        if (compileAfterUses is { } a) Settings.CompileAfterUses = a;
        PlanCache.Clear();
    }

    public void Dispose()
    {
        Settings.PlanCacheCapacity = _capacity;
        Settings.CompileAfterUses = _after;
        PlanCache.Clear();
    }
}

/// <summary>The engine behind Eval: compiled plans cached by structure, with data as inputs, against the reference interpreter.</summary>
[Collection(PlanCacheCollection.Name)]
public class PlanCacheTests
{
    private static double[] D(Tensor t) => t.ToArray<double>();

    [Property(MaxTest = 100)]
    public Property Compiled_eval_equals_the_reference_interpreter_on_random_expressions() => Prop.ForAll(ExprCase.Arbitrary(), c =>
    {
        var env = Bind(c.Vars, c.Values);
        var roots = Ad.Grad(Sum(c.Expr), c.Vars).Append(c.Expr).ToArray();
        var reference = Evaluator.Eval(roots, env);
        using var scope = new CacheScope(compileAfterUses: 1);
        var compiled = Ad.Eval(roots, env);
        Assert.Equal(1, PlanCache.Statistics.Compilations);
        for (int i = 0; i < roots.Length; i++)
            RequireClose(D(compiled[i]), D(reference[i]), 1e-12, $"compiled {roots[i]}");
    });

    [Fact]
    public void New_data_and_new_constants_reuse_the_plan_of_the_same_structure()
    {
        using var scope = new CacheScope(compileAfterUses: 2);
        var w = Var("w", 3);
        for (int step = 0; step < 5; step++)
        {
            var batch = Const(Tensor.From(new[] { step, step + 1f, step + 2f }));
            var lr = Const((float)(0.1 * (step + 1)));
            var y = Sum(Tanh(batch * w) * lr);
            var env = Env.Of((w, Tensor.From(new[] { 0.5f, -1f, 2f })));
            Assert.Equal(D(Evaluator.Eval(new[] { y }, env)[0])[0], y.Eval(env).ToScalar(), 6);
        }
        var s = PlanCache.Statistics;
        Assert.Equal(1, s.Compilations);
        Assert.Equal(1, s.Count);
        Assert.Equal(3, s.Hits);          // steps 3, 4, 5
        Assert.Equal(2, s.Misses);        // the interpreted first use and the compiling second
        Assert.Equal(1, s.Interpreted);
    }

    [Fact]
    public void A_big_graph_compiles_at_its_first_use_and_a_small_one_at_its_second()
    {
        using var scope = new CacheScope(compileAfterUses: 2);
        var big = Sum(Tanh(Const(Tensor.RandomNormal(new Shape(300, 300), seed: 5)) * 0.5f));
        var want = Evaluator.Eval(new[] { big }, Env.Empty)[0].ToScalar();
        // A float32 sum of 90,000 terms: the compiled and interpreted reductions add in different orders.
        Assert.Equal(want, big.Eval().ToScalar(), Math.Abs(want) * 1e-5);
        Assert.Equal((1L, 0L), (PlanCache.Statistics.Compilations, PlanCache.Statistics.Interpreted));
        var small = Sum(Tanh(Const(1f, 2f) * 0.5f));
        small.Eval();
        Assert.Equal((1L, 1L), (PlanCache.Statistics.Compilations, PlanCache.Statistics.Interpreted));
        small.Eval();
        Assert.Equal(2, PlanCache.Statistics.Compilations);
    }

    [Fact]
    public void A_different_literal_or_shape_is_a_different_structure()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        var x = Const(1f, 2f);
        Assert.Equal(new[] { 2f, 4f }, (x * 2f).Eval().ToFloatArray());
        Assert.Equal(new[] { 3f, 6f }, (x * 3f).Eval().ToFloatArray());
        Assert.Equal(new[] { 2f, 4f, 6f }, (Const(1f, 2f, 3f) * 2f).Eval().ToFloatArray());
        Assert.Equal(new[] { 4f, 8f }, (Const(2f, 4f) * 2f).Eval().ToFloatArray());
        var s = PlanCache.Statistics;
        Assert.Equal(3, s.Compilations);
        Assert.Equal(1, s.Hits);
    }

    [Fact]
    public void The_cache_keeps_at_most_its_capacity_least_recently_used_first()
    {
        using var scope = new CacheScope(capacity: 3, compileAfterUses: 1);
        var x = Const(1.0, 2.0);
        var exprs = Enumerable.Range(1, 6).Select(k => x * (double)k).ToArray();
        foreach (var e in exprs) e.Eval();
        var s = PlanCache.Statistics;
        Assert.Equal(3, s.Count);
        Assert.Equal(3, s.Capacity);
        Assert.Equal(3, s.Evictions);
        exprs[5].Eval();                       // still cached
        Assert.Equal(1, PlanCache.Statistics.Hits);
        exprs[0].Eval();                       // evicted: compiled again
        Assert.Equal(7, PlanCache.Statistics.Compilations);
        Settings.PlanCacheCapacity = 1;
        Assert.Equal(1, PlanCache.Statistics.Count);
    }

    [Fact]
    public void Parallel_evaluations_agree_with_the_reference_and_compile_each_structure_once()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        var x = Var64("x", 64);
        var shapes = new[] { (Func<Expr, Expr>)(e => Sum(Tanh(e) * e)), e => Mean(Exp(-e * e)), e => Max(Sin(e) + e) };
        var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 240, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var f = shapes[i % shapes.Length];
            var value = Uniform(new Shape(64), i);
            var y = f(Const(value) * x);
            var env = Env.Of((x, Uniform(new Shape(64), 1000 + i)));
            double got = Ad.Eval(y, env).ToScalar(), want = Evaluator.Eval(new[] { y }, env)[0].ToScalar();
            if (!Close(got, want, 1e-12)) errors.Add($"{y}: {got:R} vs {want:R}");
        });
        Assert.Empty(errors);
        var s = PlanCache.Statistics;
        Assert.Equal(3, s.Compilations);
        Assert.Equal(0, s.CompileFailures);
        Assert.Equal(240 - 3, s.Hits + s.Misses - 3);
    }

    [Fact]
    public void Plan_Run_goes_through_the_cache_too()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        var x = Var64("x", 4);
        var plan = Ad.Lower(Sum(x * x), Mean(x));
        var first = plan.Run(Env.Of((x, Tensor.From(new[] { 1.0, 2.0, 3.0, 4.0 }))));
        var second = plan.Run(Env.Of((x, Tensor.From(new[] { 0.0, 0.0, 1.0, 1.0 }))));
        Assert.Equal(new[] { 30.0, 2.5 }, first.Select(t => t.ToScalar()));
        Assert.Equal(new[] { 2.0, 0.5 }, second.Select(t => t.ToScalar()));
        Assert.Equal(1, PlanCache.Statistics.Compilations);
        Assert.Equal(1, PlanCache.Statistics.Hits);
    }

    [Fact]
    public void A_checked_eval_still_names_the_first_non_finite_node_after_the_structure_is_compiled()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        var x = Var64("x", 2);
        var bad = Log(x);
        var y = Sum(bad * 2.0);
        var env = Env.Of((x, Tensor.From(new[] { 1.0, -1.0 })));
        Assert.True(double.IsNaN(Ad.Eval(y, env).ToScalar()));   // compiled, unchecked
        var e = Assert.Throws<NonFiniteException>(() => Ad.Eval(y, env, checkFinite: true));
        Assert.Same(bad, e.Node);
    }

    [Fact]
    public void A_missing_binding_is_named_before_anything_runs()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        var q = Var("q_unbound", 2);
        var e = Assert.Throws<MissingBindingException>(() => Sum(q * 2f).Eval());
        Assert.Contains("q_unbound", e.Message);
        Assert.Equal(0, PlanCache.Statistics.Count);
    }

    [Fact]
    public void Leaves_literals_and_repeated_outputs_evaluate_through_the_engine()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        var x = Var64("x", 2);
        var c = Const(1.0, 2.0);
        var env = Env.Of((x, Tensor.From(new[] { 3.0, 4.0 })));
        for (int round = 0; round < 2; round++)
        {
            var r = Ad.Eval(new Expr[] { x, c, Ones(new Shape(2), DType.Float64), x + c, x + c, Const(7.0) }, env);
            Assert.Equal(new[] { 3.0, 4.0 }, D(r[0]));
            Assert.Equal(new[] { 1.0, 2.0 }, D(r[1]));
            Assert.Equal(new[] { 1.0, 1.0 }, D(r[2]));
            Assert.Equal(new[] { 4.0, 6.0 }, D(r[3]));
            Assert.Equal(new[] { 4.0, 6.0 }, D(r[4]));
            Assert.Equal(7.0, r[5].ToScalar());
        }
        Assert.Equal(0, PlanCache.Statistics.CompileFailures);
        Assert.Equal(1, PlanCache.Statistics.Hits);
    }

    [Fact]
    public void The_gradient_of_a_source_with_respect_to_itself_is_the_seed_on_every_step()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        for (int step = 0; step < 3; step++)
        {
            var x = Const(1f, 2f, 3f);
            using var tape = new GradientTape();
            tape.Watch(x);
            Assert.Equal(new[] { 1f, 1f, 1f }, tape.Gradient(x, x)!.Value.ToFloatArray());
        }
        Assert.Equal(0, PlanCache.Statistics.CompileFailures);
        Assert.True(PlanCache.Statistics.Hits >= 2);
    }

    [Fact]
    public void Compiling_inside_a_recording_tape_is_not_recorded_by_it()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        var two = (Expr)2f;
        using var tape = new GradientTape();
        tape.Watch(two);                                      // a watched literal, shared with the structure of other graphs
        var y = Sum(Const(1f, 2f) * two);
        Assert.Equal(6.0, y.Eval().ToScalar());               // compiled while the tape records
        Assert.Equal(0, PlanCache.Statistics.CompileFailures);
        Assert.Equal(3.0, tape.Gradient(y, two)!.Value.ToScalar());
    }

    [Fact]
    public void A_steady_Eval_allocates_its_results_and_bookkeeping_only()
    {
        using var scope = new CacheScope();
        const int n = 200_000;
        var x = Var("x", n);
        var w = Var("w", n);
        var b = Var("b", n);
        var loss = Sum(Tanh(x * w + b));
        var outputs = new[] { loss }.Concat(Ad.Grad(loss, w, b)).ToArray();
        var env = Env.Of((x, Tensor.RandomNormal(new Shape(n), seed: 1)), (w, Tensor.RandomNormal(new Shape(n), seed: 2)),
            (b, Tensor.RandomNormal(new Shape(n), seed: 3)));
        for (int i = 0; i < 3; i++) Ad.Eval(outputs, env);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Ad.Eval(outputs, env);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long results = 2L * n * sizeof(float);
        // The interpreter allocated a fresh buffer per step (about ten times the results here).
        Assert.InRange(allocated, results, results + 64 * 1024);
    }

    [Fact]
    public void A_steady_tape_step_allocates_its_gradients_and_new_values_only()
    {
        using var scope = new CacheScope();
        var data = Tensor.RandomNormal(new Shape(64, 256), seed: 4);
        var labels = Tensor.From(Enumerable.Range(0, 64).Select(i => i % 10).ToArray());
        var w = new Variable(Initializers.GlorotUniform(new Shape(256, 10), seed: 5), "w");
        var b = new Variable(Tensor.Zeros(10), "b");
        var opt = new Sgd(0.01);
        void Step()
        {
            using var tape = new GradientTape();
            var loss = Mean(Losses.SparseCategoricalCrossentropy(Const(labels), MatMul(Const(data), w) + b, fromLogits: true));
            opt.Apply(tape.Gradient(loss, [w, b]), [w, b]);
        }
        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long results = 2L * (256 * 10 + 10) * sizeof(float);       // gradients, then the variables' new values
        Assert.InRange(allocated, results, results + 64 * 1024);
    }

    [Fact]
    public void Settings_reject_a_capacity_or_threshold_below_one()
    {
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => Settings.PlanCacheCapacity = 0).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => Settings.CompileAfterUses = 0).ParamName);
    }
}

/// <summary>Tape training loops: the gradient graph is derived and compiled once per structure, then only run.</summary>
[Collection(PlanCacheCollection.Name)]
public class TapePlanCacheTests
{
    private static (Variable W, Variable B) Model(int seed) =>
        (new Variable(Initializers.GlorotUniform(new Shape(4, 3), seed: seed), "w"), new Variable(Tensor.Zeros(3), "b"));

    private static Expr Loss(Tensor x, Tensor labels, Variable w, Variable b) =>
        Mean(Losses.SparseCategoricalCrossentropy(Const(labels), MatMul(Const(x), w) + b, fromLogits: true));

    private static Tensor Batch(int step) => Tensor.RandomNormal(new Shape(8, 4), seed: 100 + step);
    private static Tensor Labels(int step) => Tensor.From(Enumerable.Range(0, 8).Select(i => (i + step) % 3).ToArray());

    [Fact]
    public void The_second_step_of_a_training_loop_hits_the_cache_with_new_data_and_a_new_learning_rate()
    {
        using var scope = new CacheScope(compileAfterUses: 2);
        var (w, b) = Model(1);
        double[] losses = new double[6];
        for (int step = 0; step < 6; step++)
        {
            var opt = new Sgd(learningRate: 0.1 / (step + 1));       // a new learning rate each step
            using var tape = new GradientTape();
            var loss = Loss(Batch(step), Labels(step), w, b);
            var grads = tape.Gradient(loss, [w, b]);
            losses[step] = loss.Eval().ToScalar();
            opt.Apply(grads, [w, b]);
            var s = PlanCache.Statistics;
            if (step == 1) Assert.Equal(0, s.Hits);
            if (step >= 2) Assert.True(s.Hits >= 2 * (step - 1), $"step {step}: {s}");
        }
        var end = PlanCache.Statistics;
        Assert.Equal(0, end.CompileFailures);
        // One gradient plan, one loss plan, and the optimizer's update plans: nothing compiled twice.
        Assert.True(end.Compilations <= 4, end.ToString());
        Assert.True(end.Compilations >= 2, end.ToString());
    }

    [Fact]
    public void Cached_tape_gradients_equal_the_direct_derivation_on_every_step()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        var (w, b) = Model(2);
        for (int step = 0; step < 4; step++)
        {
            using var tape = new GradientTape();
            var loss = Loss(Batch(step), Labels(step), w, b);
            var grads = tape.Gradient(loss, [w, b]);
            // The expressions are built on demand over this step's leaves; evaluated by the interpreter they must agree.
            for (int i = 0; i < 2; i++)
            {
                var reference = Evaluator.Eval(new[] { grads[i]!.Expr }, Env.Empty)[0].ToFloatArray();
                var got = grads[i]!.Value.ToFloatArray();
                for (int k = 0; k < got.Length; k++) Assert.Equal(reference[k], got[k], 5);
            }
            w.AssignSub(grads[0]!.Value);
        }
        Assert.True(PlanCache.Statistics.Hits >= 3);
    }

    [Fact]
    public void An_unconnected_source_keeps_TensorFlow_None_or_zeros_on_the_cached_path()
    {
        using var scope = new CacheScope(compileAfterUses: 1);
        var a = new Variable(2f, "a");
        var unused = new Variable(Tensor.Zeros(2), "unused");
        for (int step = 0; step < 3; step++)
        {
            using var tape = new GradientTape(persistent: false);
            var y = a * a;
            _ = unused.Read();
            var g = tape.Gradient(y, new[] { a, unused }, unconnectedGradients: step == 2 ? UnconnectedGradients.Zero : UnconnectedGradients.None);
            Assert.Equal(4.0, g[0]!.Value.ToScalar());
            if (step < 2) Assert.Null(g[1]);
            else Assert.Equal(new[] { 0f, 0f }, g[1]!.Value.ToFloatArray());
        }
    }
}
