using System.Runtime.CompilerServices;
using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>Tests that change <see cref="Settings.ResultPoolBytes"/> or count the pool's arrays run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResultPoolCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "result pool";
}

/// <summary>
/// Large results recycled through <see cref="ResultPool"/>: an array returns only when no tensor over it is reachable,
/// comes back for the same type and length, never under a live tensor, a view or a constant. Each test uses a length
/// no other test uses, so the free count of its key is its own.
/// </summary>
[Collection(ResultPoolCollection.Name)]
public class ResultPoolTests
{
    // Made from an array, so not from the pool: the free count of a test's length counts only its results.
    private static Tensor Filled(int n, float value) => Tensor.From(Enumerable.Repeat(value, n).ToArray());

    private static void Collect()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    // Made in a method of its own so no local of the test keeps the tensor reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EvalAndDrop(Expr e, int times)
    {
        for (int i = 0; i < times; i++) Assert.Equal(e.Shape, e.Eval().Shape);
    }

    [Fact]
    public void A_dropped_result_returns_to_the_pool_and_the_next_result_of_its_size_takes_it()
    {
        const int n = 100_003;
        var x = Filled(n, 2);
        var e = Const(x) * 3f;
        EvalAndDrop(e, 1);
        Collect();
        Assert.Equal(1, ResultPool.FreeCount(DType.Float32, n));
        var hits = ResultPool.Statistics.Hits;
        var r = e.Eval();
        Assert.Equal(0, ResultPool.FreeCount(DType.Float32, n));
        Assert.True(ResultPool.Statistics.Hits > hits);
        Assert.All(r.ToFloatArray(), v => Assert.Equal(6f, v));
    }

    [Fact]
    public void A_live_result_is_never_handed_out_again()
    {
        const int n = 100_019;
        var kept = (Const(Filled(n, 1)) * 5f).Eval();
        for (int i = 0; i < 10; i++)
        {
            EvalAndDrop(Const(Filled(n, i)) + 1f, 3);
            Collect();
        }
        Assert.All(kept.ToFloatArray(), v => Assert.Equal(5f, v));
    }

    [Fact]
    public void A_reshape_keeps_the_storage_of_a_dropped_result()
    {
        const int n = 100_043;
        var view = ViewOfDroppedResult(n);
        Collect();
        Assert.Equal(0, ResultPool.FreeCount(DType.Float32, n));
        for (int i = 0; i < 5; i++) EvalAndDrop(Const(Filled(n, 9)) * 1f, 2);
        Collect();
        Assert.All(view.ToFloatArray(), v => Assert.Equal(7f, v));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Tensor ViewOfDroppedResult(int n) => (Const(Filled(n, 3)) + 4f).Eval().Reshape(new Shape(1, n));

    [Fact]
    public void A_result_compiled_in_as_a_constant_is_never_recycled()
    {
        const int n = 100_057;
        var escaped = ResultPool.Statistics.Escaped;
        var f = CompiledOverConstOfDroppedResult(n);
        Assert.True(ResultPool.Statistics.Escaped > escaped);
        Collect();
        Assert.Equal(0, ResultPool.FreeCount(DType.Float32, n));
        for (int i = 0; i < 5; i++) EvalAndDrop(Const(Filled(n, -1)) * 1f, 2);
        Assert.All(f.Run()[0].ToFloatArray(), v => Assert.Equal(16f, v));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static CompiledFunction CompiledOverConstOfDroppedResult(int n) =>
        Ad.Compile(new[] { Const((Const(Filled(n, 4)) * 2f).Eval()) * 2f });

    [Fact]
    public void A_constant_keeps_its_storage_while_it_lives_and_frees_it_unfrozen_when_it_dies()
    {
        const int n = 100_271;
        var c = ConstOfResult(n);
        Collect();
        Assert.Equal(0, ResultPool.FreeCount(DType.Float32, n));
        for (int i = 0; i < 3; i++) EvalAndDrop(Const(Filled(n, -1)) * 1f, 2);
        Assert.All(c!.Eval().ToFloatArray(), v => Assert.Equal(8f, v));
        DropConstant(ref c);
        Collect();
        Assert.True(ResultPool.FreeCount(DType.Float32, n) > 0);
        // The recycled storage is no constant's any more: a compiled function may write into it.
        var x = Var("x", n);
        var f = Ad.Compile(new[] { x * 2f }, x);
        var outputs = f.CreateOutputs();
        f.Run([Filled(n, 5)], outputs);
        Assert.All(outputs[0].ToFloatArray(), v => Assert.Equal(10f, v));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Expr? ConstOfResult(int n) => Const((Const(Filled(n, 4)) * 2f).Eval());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropConstant(ref Expr? c) => c = null;

    [Fact]
    public void A_value_folded_into_a_compiled_function_is_never_recycled()
    {
        const int n = 100_237;
        var f = CompiledOverFoldedConstant(n);
        for (int i = 0; i < 5; i++)
        {
            Collect();
            EvalAndDrop(Const(Filled(n, -7)) * 1f, 3);
        }
        Assert.All(f.Run(Filled(n, 1))[0].ToFloatArray(), v => Assert.Equal(7f, v));
    }

    // Const(3) * 2 depends on constants only, so compiling folds it into a value the plan keeps as raw storage.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static CompiledFunction CompiledOverFoldedConstant(int n)
    {
        var x = Var("x", n);
        return Ad.Compile(new[] { Exp(Const(Filled(n, 0))) * 6f + x }, x);
    }

    [Fact]
    public void Small_results_are_not_pooled()
    {
        const int n = 1_009;
        Assert.True(n * sizeof(float) < ResultPool.MinBytes);
        EvalAndDrop(Const(Filled(n, 1)) * 2f, 3);
        Collect();
        Assert.Equal(0, ResultPool.FreeCount(DType.Float32, n));
    }

    [Fact]
    public void Pooling_turned_off_keeps_nothing_and_a_negative_size_is_refused()
    {
        const int n = 100_069;
        var before = Settings.ResultPoolBytes;
        try
        {
            EvalAndDrop(Const(Filled(n, 1)) * 2f, 2);
            Collect();
            Assert.True(ResultPool.FreeCount(DType.Float32, n) > 0);
            Settings.ResultPoolBytes = 0;
            Assert.Equal(0, ResultPool.FreeCount(DType.Float32, n));
            Assert.Equal(0, ResultPool.Statistics.FreeBytes);
            EvalAndDrop(Const(Filled(n, 1)) * 2f, 2);
            Collect();
            Assert.Equal(0, ResultPool.FreeCount(DType.Float32, n));
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => Settings.ResultPoolBytes = -1);
            Assert.Equal("value", e.ParamName);
            Assert.Contains("ResultPoolBytes", e.Message);
        }
        finally { Settings.ResultPoolBytes = before; }
    }

    [Fact]
    public void Float64_and_int32_results_are_pooled_by_their_own_type()
    {
        const int n = 100_103;
        EvalAndDrop(Const(Tensor.From(Enumerable.Repeat(1.0, n).ToArray())) * Const(2.0), 1);
        EvalAndDrop(Cast(Const(Filled(n, 1)), DType.Int32), 1);
        Collect();
        Assert.Equal(1, ResultPool.FreeCount(DType.Float64, n));
        Assert.Equal(1, ResultPool.FreeCount(DType.Int32, n));
        Assert.Equal(0, ResultPool.FreeCount(DType.Float32, n));
    }

    [Fact]
    public void A_training_loop_recycles_its_gradients_and_stays_correct()
    {
        const int n = 100_151;
        var x = Tensor.RandomNormal(new Shape(n), seed: 7);
        var w = new Variable(Filled(n, 0.5f), "w");
        var hits = ResultPool.Statistics.Hits;
        for (int step = 0; step < 6; step++)
        {
            Tensor g;
            using (var tape = new GradientTape())
            {
                var loss = Sum(Tanh(Const(x) * w.Read()));
                g = tape.Gradient(loss, w)!.Value;
            }
            var expected = x.ToFloatArray().Select((xi, i) => xi * (1 - MathF.Tanh(xi * 0.5f) * MathF.Tanh(xi * 0.5f))).ToArray();
            var got = g.ToFloatArray();
            for (int i = 0; i < n; i += 997) Assert.Equal(expected[i], got[i], 1e-5f);
            Collect();
        }
        Assert.True(ResultPool.Statistics.Hits > hits);
    }

    /// <summary>
    /// A loop that drops each result before the next keeps finding storage in the pool: the pool's own young
    /// collections find the dead results, so after the first few steps almost nothing is allocated.
    /// </summary>
    [Fact]
    public void A_loop_of_dropped_results_runs_from_recycled_storage()
    {
        const int n = 1_000_003;
        var before = Settings.ResultPoolBytes;
        Settings.ResultPoolBytes = 32L << 20;  // collections every 16 MiB handed out: every 4 steps here
        try
        {
            var x = Var("x", n);
            var e = x * 2f;
            var input = Filled(n, 1);
            for (int i = 0; i < 10; i++) EvalAndDrop(e, input, x);
            var s0 = ResultPool.Statistics;
            for (int i = 0; i < 60; i++) EvalAndDrop(e, input, x);
            var s1 = ResultPool.Statistics;
            Assert.True(s1.Hits - s0.Hits >= 55, $"{s0} -> {s1}");
            Assert.True(s1.Collections > s0.Collections, $"{s0} -> {s1}");
        }
        finally { Settings.ResultPoolBytes = before; }
    }

    /// <summary>
    /// A workload that held its results grows the collection budget (each collection freed nothing); setting the
    /// capacity starts it afresh, so a loop that drops its results afterwards is served from the pool within a few
    /// steps instead of after up to 64 times half the capacity of fresh arrays.
    /// </summary>
    [Fact]
    public void Setting_the_capacity_starts_the_collection_budget_afresh()
    {
        const int n = 1_000_033;
        var before = Settings.ResultPoolBytes;
        try
        {
            Settings.ResultPoolBytes = 8L << 20;  // a collection every 4 MiB handed out: every step here
            var x = Var("x", n);
            var e = x * 2f;
            var input = Filled(n, 1);
            var held = new List<Tensor>();
            for (int i = 0; i < 40; i++) held.Add(Ad.Eval(new[] { e }, Env.Of((x, input)))[0]);
            GC.KeepAlive(held);
            held.Clear();
            Settings.ResultPoolBytes = 32L << 20;  // collections every 16 MiB: every 4 steps, if the budget started afresh
            var s0 = ResultPool.Statistics;
            for (int i = 0; i < 12; i++) EvalAndDrop(e, input, x);
            var s1 = ResultPool.Statistics;
            Assert.True(s1.Collections > s0.Collections, $"no collection in 12 steps after the capacity was set: {s0} -> {s1}");
            Assert.True(s1.Hits - s0.Hits >= 6, $"{s0} -> {s1}");
        }
        finally { Settings.ResultPoolBytes = before; }
    }

    /// <summary>
    /// A finished workload's free arrays must not keep the running one's out: when the pool is full, arrays of the size
    /// asked for now push out the stale size's, instead of being dropped on return and allocated afresh every step.
    /// </summary>
    [Fact]
    public void A_full_pool_drops_the_stale_size_and_keeps_the_size_in_use()
    {
        const int stale = 1_000_039, current = 1_000_037;
        var before = Settings.ResultPoolBytes;
        try
        {
            Settings.ResultPoolBytes = 32L << 20;  // collections every 16 MiB handed out: every 4 steps here
            var held = new List<Tensor>();
            var y = Var("y", stale);
            var staleInput = Filled(stale, 1);
            for (int i = 0; i < 7; i++) held.Add(Ad.Eval(new[] { y * 2f }, Env.Of((y, staleInput)))[0]);
            GC.KeepAlive(held);
            held.Clear();
            Collect();
            int staleFree = ResultPool.FreeCount(DType.Float32, stale);
            Assert.True(staleFree >= 6, $"{staleFree} free arrays of the stale size");  // 24-28 MB of the 32 MiB
            Settings.ResultPoolBytes = 32L << 20;  // the held results grew the collection budget; start it afresh

            var x = Var("x", current);
            var e = x * 2f;
            var input = Filled(current, 1);
            var s0 = ResultPool.Statistics;
            for (int i = 0; i < 40; i++) EvalAndDrop(e, input, x);
            var s1 = ResultPool.Statistics;
            Assert.True(s1.Hits - s0.Hits >= 30, $"the size in use was not kept: {s0} -> {s1}");
            Assert.True(ResultPool.FreeCount(DType.Float32, stale) < staleFree, "no array of the stale size was dropped");
        }
        finally { Settings.ResultPoolBytes = before; }
    }

    /// <summary>
    /// Results taken back between two of the pool's collections (here by the program's own full collection and the
    /// finalizer) count as freed: a collection that finds nothing new after them must not read the program as one that
    /// keeps its results and grow the collection budget, or a later loop would allocate afresh for up to 64 times half
    /// the capacity before the pool looked again.
    /// </summary>
    [Fact]
    public void Results_taken_back_between_collections_do_not_grow_the_collection_budget()
    {
        const int n = 250_007;  // 1 MB
        var before = Settings.ResultPoolBytes;
        try
        {
            ResultPool.Clear();
            Settings.ResultPoolBytes = 16L << 20;  // a collection once 8 MiB were handed out
            var x = Var("x", n);
            var input = Filled(n, 1);
            EvalAndKeep(x, input, 6).Clear();
            Collect();  // the six come back through the finalizer
            Assert.True(ResultPool.FreeCount(DType.Float32, n) >= 5, $"{ResultPool.Statistics}");
            var s0 = ResultPool.Statistics;
            // Hits, then a miss with 11-12 MB handed out: a collection, which finds nothing new (all eight are held).
            var held = EvalAndKeep(x, input, 8);
            Assert.Equal(s0.Collections + 1, ResultPool.Statistics.Collections);
            Assert.Equal(1, ResultPool.BudgetScale);
            GC.KeepAlive(held);
        }
        finally { Settings.ResultPoolBytes = before; }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<Tensor> EvalAndKeep(Expr x, Tensor input, int count)
    {
        var held = new List<Tensor>();
        for (int i = 0; i < count; i++) held.Add(Ad.Eval(new[] { x * 2f }, Env.Of((x, input)))[0]);
        return held;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EvalAndDrop(Expr e, Tensor input, Expr x) => Assert.Equal(2f, Ad.Eval(new[] { e }, Env.Of((x, input)))[0][0]);

    /// <summary>
    /// Threads evaluate, keep some results, drop the rest, read kept ones back, feed results into further evaluations
    /// and force collections: every value read must be the value computed, which a recycled array under a live tensor
    /// would break (another thread's result would show through).
    /// </summary>
    [Fact]
    public void Many_threads_evaluating_dropping_and_reading_back_always_see_their_own_values()
    {
        const int n = 100_189;
        var before = Settings.ResultPoolBytes;
        Settings.ResultPoolBytes = 8L << 20;  // small, so the pool collects and recycles often
        try
        {
            var x = Var("x", n);
            var twice = x * 2f + 1f;
            var f = Ad.Compile(new[] { twice }, (Var)x);
            var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                var rng = new Random(t);
                var kept = new List<(Tensor Value, float Expected)>();
                for (int i = 0; i < 60 && failures.IsEmpty; i++)
                {
                    float s = t * 1000 + i;
                    var input = Filled(n, s);
                    var r = rng.Next(3) switch
                    {
                        0 => Ad.Eval(new[] { twice }, Env.Of((x, input)))[0],
                        1 => f.Run(input)[0],
                        _ => Ad.Eval(new[] { twice }, Env.Of((x, Ad.Eval(new[] { x * 1f }, Env.Of((x, input)))[0])))[0].Reshape(new Shape(1, n)),
                    };
                    if (rng.Next(2) == 0) kept.Add((r, 2 * s + 1));
                    if (kept.Count > 6) kept.RemoveAt(rng.Next(kept.Count));
                    if (rng.Next(10) == 0) GC.Collect(rng.Next(3));
                    foreach (var (value, expected) in kept)
                    {
                        var a = value.ToFloatArray();
                        int bad = Array.FindIndex(a, v => v != expected);
                        if (bad >= 0) failures.Enqueue($"thread {t} step {i}: element {bad} is {a[bad]}, expected {expected}");
                    }
                }
            })).ToArray();
            foreach (var th in threads) th.Start();
            foreach (var th in threads) th.Join();
            Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(5)));
            Assert.True(ResultPool.Statistics.Hits > 0);
        }
        finally { Settings.ResultPoolBytes = before; }
    }
}
