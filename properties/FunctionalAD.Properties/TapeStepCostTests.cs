using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// What the cheap tape step (docs/engine-cache.md, "What one call costs") must not change: primitives that differ
/// only in their parameters get different structural keys, graphs larger than the walk's direct table still key
/// and bind right, and a variable's leaf passes between tapes, live and finished, without losing a gradient.
/// </summary>
[Collection(PlanCacheCollection.Name)]
public sealed class TapeStepCostTests
{
    private static float[] Grad(Variable v, Func<Expr, Expr> loss)
    {
        using var tape = new GradientTape();
        return tape.Gradient(loss(v), v)!.Value.ToArray<float>();
    }

    [Fact]
    public void Reductions_and_products_that_differ_only_in_parameters_keep_their_own_cached_plans()
    {
        using var _ = new CacheScope(compileAfterUses: 1);
        var x = new Variable(Tensor.From(new[] { 1f, 2f, 3f, 4f }, new Shape(2, 2)), "x");
        var m = Const(Tensor.From(new[] { 1f, 10f, 100f, 1000f }, new Shape(2, 2)));
        // Each loss twice, interleaved: a shared key would hand one the other's compiled gradient.
        for (int round = 0; round < 2; round++)
        {
            Assert.Equal(new[] { 0f, 0f, 1f, 1f }, Grad(x, v => Sum(Max(v, 0))));
            Assert.Equal(new[] { 0f, 1f, 0f, 1f }, Grad(x, v => Sum(Max(v, 1))));
            Assert.Equal(new[] { 0f, 1f, 0f, 1f }, Grad(x, v => Sum(Max(v, 1, keepDims: true) * Const(Tensor.From(new[] { 1f, 1f }, new Shape(2, 1))))));
            Assert.Equal(new[] { 11f, 1100f, 11f, 1100f }, Grad(x, v => Sum(MatMul(v, m))));
            Assert.Equal(new[] { 101f, 1010f, 101f, 1010f }, Grad(x, v => Sum(MatMul(v, m, transposeB: true))));
            Assert.Equal(new[] { 11f, 11f, 1100f, 1100f }, Grad(x, v => Sum(MatMul(m, v, transposeA: true))));
            Assert.Equal(new[] { 1f, 1f, 1f, 1f }, Grad(x, v => Sum(Reshape(v, 4))));
            Assert.Equal(new[] { 2f, 2f, 2f, 2f }, Grad(x, v => Sum(Reshape(v, 4, 1) + Reshape(v, 1, 4)) / 4f));
        }
    }

    [Fact]
    public void A_graph_larger_than_the_walk_table_gets_its_gradient_from_the_cache()
    {
        using var _ = new CacheScope(compileAfterUses: 1);
        const int Links = 3000; // two applications each: more nodes than the walk's direct table has slots
        var x = new Variable(Tensor.Scalar(0.5), "x");
        double expected = Math.Pow(1.0001, Links);
        for (int step = 0; step < 3; step++)
        {
            using var tape = new GradientTape();
            Expr y = x;
            for (int i = 0; i < Links; i++) y = y * 1.0001 + 0.001;
            var g = tape.Gradient(y, x)!.Value.ToScalar();
            Assert.Equal(expected, g, 1e-9);
        }
        Assert.True(PlanCache.Statistics.Hits >= 2, $"the later steps should find the cached gradient: {PlanCache.Statistics}");
    }

    [Fact]
    public void A_variable_read_by_a_live_persistent_tape_and_by_later_tapes_gets_every_gradient()
    {
        var v = new Variable(Tensor.From(new[] { 1f, 2f }), "v");
        using var outer = new GradientTape(persistent: true);
        var squares = Sum(v * v);
        for (int step = 0; step < 3; step++)
        {
            // Nested inside the outer tape, which also records this work.
            using var inner = new GradientTape();
            Assert.Equal(new[] { 3f, 3f }, inner.Gradient(Sum(3f * v), v)!.Value.ToArray<float>());
        }
        outer.Dispose();
        for (int step = 0; step < 3; step++)
            Assert.Equal(new[] { 5f, 5f }, Grad(v, r => Sum(5f * r)));
        Assert.Equal(new[] { 2f, 4f }, outer.Gradient(squares, v)!.Value.ToArray<float>());
    }

    [Fact]
    public void Inside_a_tape_with_hundreds_of_nodes_every_equal_application_is_still_one_node()
    {
        var x = new Variable(Tensor.From(new[] { 0.5f, -1f, 2f }), "x");
        using var tape = new GradientTape();
        var r = x.Read();
        var built = new List<Expr>();
        Expr y = r;
        for (int i = 0; i < 500; i++)                      // grows the scope's table several times
        {
            y = Tanh(y) + r;
            built.Add(y);
        }
        Expr again = r;
        for (int i = 0; i < 500; i++)
        {
            again = Tanh(again) + r;
            Assert.Same(built[i], again);
        }
        Assert.NotSame(Sum(y, 0), Max(y, 0));
        Assert.Same(Max(y, 0, keepDims: true), Max(y, 0, keepDims: true));
        Assert.NotSame(Max(y, 0, keepDims: true), Max(y, 0));
    }

    [Fact]
    public void A_tape_watching_many_variables_reading_some_twice_gives_each_its_own_gradient()
    {
        // More variables than the tape looks up by scanning, so its dictionary is used too.
        var vs = Enumerable.Range(0, 12).Select(i => new Variable(Tensor.Scalar((double)i + 1), $"v{i}")).ToArray();
        for (int step = 0; step < 3; step++)
        {
            using var tape = new GradientTape();
            Expr loss = Const(0.0);
            for (int i = 0; i < vs.Length; i++) loss = loss + vs[i] * (double)(i + 1);
            loss = loss + vs[3] * vs[3] + vs[11] * 10.0;           // a second and a third read
            var grads = tape.Gradient(loss, vs);
            for (int i = 0; i < vs.Length; i++)
            {
                double expected = i + 1 + (i == 3 ? 2 * 4.0 : 0) + (i == 11 ? 10 : 0);
                Assert.Equal(expected, grads[i]!.Value.ToScalar(), 12);
            }
            Assert.Equal(vs, tape.WatchedVariables());
        }
    }

    [Fact]
    public void Several_axes_are_normalised_and_sorted_and_an_axis_named_twice_is_refused()
    {
        var x = Const(Tensor.From(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, new Shape(1, 2, 3)));
        Assert.Equal(new Shape(2), Sum(x, new[] { -1, 0 }).Shape);
        Assert.Equal(new[] { 6f, 15f }, Sum(x, new[] { 2, 0 }).Eval().ToArray<float>());
        var e = Assert.Throws<AxisException>(() => Sum(x, new[] { 1, -2 }));
        Assert.Contains("name an axis twice", e.Message);
        Assert.Throws<AxisException>(() => Mean(x, new[] { 0, 3 }));
    }
}
