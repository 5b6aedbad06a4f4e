using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>GradientTape behaviours, one at a time, each as TensorFlow documents it.</summary>
public class TapeTests
{
    private static double Value(EagerTensor? g) => Assert.IsType<EagerTensor>(g).Value.ToScalar();

    [Fact]
    public void Design_sample_gives_two()
    {
        using var tape = new GradientTape(persistent: true);
        var c = Const(1f);
        tape.Watch(c);
        var dy = tape.Gradient(Const(2f) * c, c);
        Assert.Equal(2.0, Value(dy));
        Assert.Equal("tf.Tensor(2.0, shape=(), dtype=float32)", dy!.ToString());
    }

    [Fact]
    public void Watched_constant_gets_its_gradient_and_the_list_prints_like_tensorflow()
    {
        var w = Const(1f);
        var x = Const(2f);
        GradientList grads;
        using (var tape = new GradientTape())
        {
            tape.Watch(w);
            var y = x * w;
            grads = tape.Gradient(y, [w]);
        }
        Assert.Single(grads);
        Assert.Equal("[tf.Tensor(2.0, shape=(), dtype=float32)]", grads.ToString());
    }

    [Fact]
    public void Unwatched_constant_gets_null_or_zeros_when_asked()
    {
        var w = Const(1f, 2f);
        var x = Const(3f);
        using var tape = new GradientTape(persistent: true);
        var y = Sum(x * w);
        Assert.Null(tape.Gradient(y, w));
        var zero = tape.Gradient(y, w, unconnectedGradients: UnconnectedGradients.Zero);
        Assert.Equal(new[] { 0f, 0f }, zero!.Value.ToFloatArray());
        Assert.Equal("[None]", tape.Gradient(y, [w]).ToString());
    }

    [Fact]
    public void Source_the_target_does_not_depend_on_is_unconnected_even_when_watched()
    {
        var a = Const(1f);
        var b = Const(5f);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(a, b);
        var y = a * 3f;
        var grads = tape.Gradient(y, [a, b]);
        Assert.Equal(3.0, Value(grads[0]));
        Assert.Null(grads[1]);
        Assert.Equal(0.0, Value(tape.Gradient(y, b, unconnectedGradients: UnconnectedGradients.Zero)));
    }

    [Fact]
    public void Second_gradient_on_a_non_persistent_tape_throws_and_says_persistent()
    {
        var c = Const(3f);
        using var tape = new GradientTape();
        tape.Watch(c);
        var y = c * c;
        Assert.Equal(6.0, Value(tape.Gradient(y, c)));
        // As in TensorFlow, the one gradient of a non-persistent tape ends its recording.
        Assert.False(tape.IsRecording);
        var e = Assert.Throws<TapeException>(() => tape.Gradient(y, c));
        Assert.Contains("persistent: true", e.Message);
        Assert.IsAssignableFrom<FunctionalADException>(e);
    }

    [Fact]
    public void Persistent_tape_gives_any_number_of_gradients()
    {
        var c = Const(3f);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(c);
        var y = c * c;
        var z = y * y;
        Assert.Equal(6.0, Value(tape.Gradient(y, c)));
        Assert.Equal(4 * 27.0, Value(tape.Gradient(z, c)));
        Assert.Equal(6.0, Value(tape.Gradient(y, c)));
    }

    [Fact]
    public void Bad_arguments_do_not_use_up_a_non_persistent_tape()
    {
        var c = Const(1f, 2f);
        using var tape = new GradientTape();
        tape.Watch(c);
        var y = c * c;
        Assert.Throws<ShapeException>(() => tape.Gradient(y, c, outputGradients: Const(1f, 1f, 1f)));
        Assert.Equal(new[] { 2f, 4f }, tape.Gradient(y, c)!.Value.ToFloatArray());
    }

    [Fact]
    public void Work_done_before_the_tape_is_constant_to_it()
    {
        var c = Const(2f);
        var before = c * c;
        using var tape = new GradientTape();
        tape.Watch(c);
        var y = before * 3f + c;
        Assert.Equal(1.0, Value(tape.Gradient(y, c)));
    }

    [Fact]
    public void Work_done_before_watching_is_not_recorded()
    {
        var c = Const(2f);
        using var tape = new GradientTape(persistent: true);
        var early = c * 5f;
        tape.Watch(c);
        Assert.Null(tape.Gradient(early, c));
        var late = c * 7f;
        Assert.Equal(7.0, Value(tape.Gradient(late, c)));
    }

    [Fact]
    public void Rebuilding_an_expression_while_recording_records_a_new_execution_and_the_old_one_stays_constant()
    {
        // TensorFlow: pre = c * 3 before the tape; inside it the same c * 3 again; tape.gradient(pre, c) is None.
        var c = Const(2f);
        var pre = c * 3f;
        using var tape = new GradientTape(persistent: true);
        tape.Watch(c);
        var again = c * 3f;
        Assert.NotSame(pre, again);
        Assert.Null(tape.Gradient(pre, c));
        Assert.Equal(3.0, Value(tape.Gradient(again, c)));
        Assert.Equal(6.0, pre.Eval().ToScalar());
    }

    [Fact]
    public void Work_built_while_paused_stays_constant_when_built_again_after_resuming()
    {
        var c = Const(2f);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(c);
        Expr paused;
        using (tape.StopRecording()) paused = c * c;
        var resumed = c * c;
        Assert.NotSame(paused, resumed);
        Assert.Null(tape.Gradient(paused, c));
        Assert.Equal(4.0, Value(tape.Gradient(resumed, c)));
    }

    [Fact]
    public void Work_inside_StopRecording_is_constant()
    {
        var c = Const(3f);
        using var tape = new GradientTape();
        tape.Watch(c);
        var recorded = c * 2f;
        Expr paused;
        using (tape.StopRecording())
        {
            Assert.False(tape.IsRecording);
            paused = c * c;
        }
        Assert.True(tape.IsRecording);
        Assert.Equal(2.0, Value(tape.Gradient(recorded + paused, c)));
    }

    [Fact]
    public void StopRecording_twice_or_after_dispose_says_why()
    {
        var tape = new GradientTape();
        using (tape.StopRecording())
            Assert.Throws<TapeException>(() => tape.StopRecording());
        tape.Dispose();
        Assert.Contains("disposed", Assert.Throws<TapeException>(() => tape.StopRecording()).Message);
    }

    [Fact]
    public void Reset_forgets_what_was_recorded_and_watched()
    {
        var c = Const(3f);
        using var tape = new GradientTape();
        tape.Watch(c);
        var old = c * 4f;
        tape.Reset();
        Assert.Null(tape.Gradient(old, c));
        tape.Reset();
        tape.Watch(c);
        var fresh = c * 5f;
        Assert.Equal(5.0, Value(tape.Gradient(fresh, c)));
    }

    [Fact]
    public void Reset_lets_a_used_non_persistent_tape_record_and_differentiate_again()
    {
        var c = Const(3f);
        using var tape = new GradientTape();
        tape.Watch(c);
        Assert.Equal(2.0, Value(tape.Gradient(c * 2f, c)));
        tape.Reset();
        Assert.True(tape.IsRecording);
        tape.Watch(c);
        Assert.Equal(6.0, Value(tape.Gradient(c * c, c)));
    }

    [Fact]
    public void Disposed_tape_still_answers_but_no_longer_records()
    {
        var c = Const(3f);
        var tape = new GradientTape(persistent: true);
        tape.Watch(c);
        var inside = c * c;
        tape.Dispose();
        var after = c * 10f;
        Assert.False(tape.IsRecording);
        Assert.Equal(6.0, Value(tape.Gradient(inside, c)));
        Assert.Null(tape.Gradient(after, c));
    }

    [Fact]
    public void Nested_tapes_give_second_derivatives()
    {
        var x = Const(3f);
        using var outer = new GradientTape();
        using var inner = new GradientTape();
        outer.Watch(x);
        inner.Watch(x);
        var y = x * x * x;
        var dy = inner.Gradient(y, x);
        var d2y = outer.Gradient(dy!, x);
        Assert.Equal(27.0, Value(dy));
        Assert.Equal(18.0, Value(d2y));
    }

    [Fact]
    public void Persistent_tape_differentiates_its_own_gradient()
    {
        var x = Const(2.0);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(x);
        var y = Sin(x) * x;
        var dy = tape.Gradient(y, x)!;
        var d2y = tape.Gradient(dy, x)!;
        Assert.Equal(Math.Cos(2) * 2 + Math.Sin(2), dy.Value.ToScalar(), 12);
        Assert.Equal(-Math.Sin(2) * 2 + 2 * Math.Cos(2), d2y.Value.ToScalar(), 12);
    }

    [Fact]
    public void Gradient_results_differentiate_again_with_Ad()
    {
        var x = Const(1.5);
        using var tape = new GradientTape();
        tape.Watch(x);
        var dy = tape.Gradient(Exp(x * x), x)!;
        var d2 = Ad.GradOf(dy, x)[0].Eval().ToScalar();
        Assert.Equal((2 + 4 * 1.5 * 1.5) * Math.Exp(1.5 * 1.5), d2, 9);
    }

    [Fact]
    public void Non_scalar_target_differentiates_its_sum_or_the_given_output_gradients()
    {
        var x = Const(1.0, 2.0, 3.0);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(x);
        var y = x * x;
        Assert.Equal(new[] { 2.0, 4.0, 6.0 }, tape.Gradient(y, x)!.Value.ToDoubleArray());
        Assert.Equal(new[] { 2.0, 0.0, -6.0 }, tape.Gradient(y, x, outputGradients: Const(1.0, 0.0, -1.0))!.Value.ToDoubleArray());
    }

    [Fact]
    public void Watched_intermediate_is_a_source_and_recorded_intermediates_are_too()
    {
        var x = Const(2.0);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(x);
        var h = x * x;
        var z = h * h;
        Assert.Equal(2 * 4.0, Value(tape.Gradient(z, h)));
        Assert.Equal(4 * 8.0, Value(tape.Gradient(z, x)));
    }

    [Fact]
    public void Watching_an_int_tensor_says_only_floats_have_gradients()
    {
        using var tape = new GradientTape();
        var e = Assert.Throws<DTypeException>(() => tape.Watch(Const(1, 2)));
        Assert.Contains("float", e.Message);
    }

    [Fact]
    public void Results_keep_the_values_read_when_computed()
    {
        var v = new Variable(Tensor.From(new[] { 1f, 2f }), "v");
        using var tape = new GradientTape();
        var y = Sum(v * v);
        var g = tape.Gradient(y, v)!;
        v.Assign(Tensor.From(new[] { 10f, 20f }));
        Assert.Equal(new[] { 2f, 4f }, g.Value.ToFloatArray());
        // The expression reads v as it was when the tape ran, as TensorFlow's gradient tensor does.
        Assert.Equal(new[] { 2f, 4f }, g.Expr.Eval().ToFloatArray());
        Assert.Equal(5.0, y.Eval().ToScalar());
    }

    [Fact]
    public void A_symbolic_var_used_with_watched_values_on_a_tape_says_to_use_a_Variable_or_a_Const()
    {
        var s = Var64("s");
        var x = Const(4.0);
        using var tape = new GradientTape();
        tape.Watch(x);
        var e = Assert.Throws<TapeException>(() => s * x * x);
        Assert.Contains("'s'", e.Message);
        Assert.Contains("Variable", e.Message);
        Assert.Contains("Const", e.Message);
        var w = Assert.Throws<TapeException>(() => tape.Watch(Var64("t")));
        Assert.Contains("'t'", w.Message);
        var g = Assert.Throws<TapeException>(() => tape.Gradient(x * x, Var64("u")));
        Assert.Contains("'u'", g.Message);
    }

    [Fact]
    public void Symbolic_derivatives_of_a_function_still_work_inside_a_tape()
    {
        var x = Const(3.0);
        using var tape = new GradientTape();
        tape.Watch(x);
        // JAX style inside a tape: traced on a fresh Var (not an error: it never meets a watched value), then bound to x.
        var dy = Ad.Grad(z => Sum(z * z * z))(x);
        Assert.Equal(27.0, dy.Eval().ToScalar());
    }

    [Fact]
    public void Tapes_record_only_on_their_own_thread()
    {
        var c = Const(2f);
        using var tape = new GradientTape();
        tape.Watch(c);
        Expr other = null!;
        var t = new Thread(() => other = c * 3f);
        t.Start();
        t.Join();
        Assert.Null(tape.Gradient(other, c));
    }
}
