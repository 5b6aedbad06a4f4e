using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>Variables: state, evaluation with current values, and how tapes watch them.</summary>
public class TapeVariableTests
{
    [Fact]
    public void Trainable_variable_read_under_a_tape_is_watched_automatically()
    {
        var w = new Variable(Const(1f), "w");
        var x = Const(2f);
        using var tape = new GradientTape();
        var y = x * w;
        Assert.Equal("[tf.Tensor(2.0, shape=(), dtype=float32)]", tape.Gradient(y, [w]).ToString());
        Assert.Equal(new[] { w }, tape.WatchedVariables());
    }

    [Fact]
    public void WatchAccessedVariables_false_watches_only_what_is_named()
    {
        var a = new Variable(2f, "a");
        var b = new Variable(3f, "b");
        using var tape = new GradientTape(persistent: true, watchAccessedVariables: false);
        tape.Watch(b);
        var y = a * b;
        Assert.Null(tape.Gradient(y, a));
        Assert.Equal(2.0, tape.Gradient(y, b)!.Value.ToScalar());
    }

    [Fact]
    public void Non_trainable_variable_is_not_watched_unless_asked()
    {
        var frozen = new Variable(2f, "frozen", trainable: false);
        using var tape = new GradientTape(persistent: true);
        var y = frozen * 5f;
        Assert.Null(tape.Gradient(y, frozen));
        Assert.Empty(tape.WatchedVariables());
        tape.Watch(frozen);
        Assert.Equal(5.0, tape.Gradient(frozen * 5f, frozen)!.Value.ToScalar());
    }

    [Fact]
    public void Variable_read_outside_the_tape_is_a_constant()
    {
        var w = new Variable(3f, "w");
        Expr outside = w * 2f;
        using var tape = new GradientTape();
        Assert.Null(tape.Gradient(outside + 1f, w));
    }

    [Fact]
    public void A_value_computed_from_a_variable_keeps_the_value_read_as_in_TensorFlow()
    {
        // TensorFlow: v = tf.Variable(3.0); y = v * 2; v.assign(5.0); y is 6.0.
        var v = new Variable(3f, "v");
        var y = v * 2f;
        v.Assign(Tensor.Scalar(5f));
        Assert.Equal(6.0, y.Eval().ToScalar());
        Assert.Equal(10.0, (v * 2f).Eval().ToScalar());
    }

    [Fact]
    public void The_symbolic_Var_of_a_variable_follows_assignments_and_bindings()
    {
        var w = new Variable(Tensor.From(new[] { 1f, 2f }), "w");
        var y = Sum(w.Var * 3f);
        Assert.Equal(9.0, y.Eval().ToScalar());
        w.Assign(Tensor.From(new[] { 10f, 20f }));
        Assert.Equal(90.0, y.Eval().ToScalar());
        Assert.Equal(3.0, y.Eval(Env.Of((w.Var, Tensor.From(new[] { 0f, 1f })))).ToScalar());
    }

    [Fact]
    public void The_functional_API_treats_a_read_as_its_variable_at_the_value_read()
    {
        var w = new Variable(Tensor.From(new[] { 1f, 2f }), "w");
        var y = Sum(w * w);                                           // two reads of w = [1, 2]
        w.Assign(Tensor.From(new[] { 10f, 20f }));
        Assert.Equal(5.0, y.Eval().ToScalar());                       // the values read
        var g = Ad.Grad(y, w.Var)[0];                                 // as a function of w
        Assert.Equal(new[] { 20.0, 40.0 }, g.Eval().ToDoubleArray()); // a function of w.Var reads w when evaluated
        var at34 = Env.Of((w.Var, Tensor.From(new[] { 3f, 4f })));
        Assert.Equal(new[] { 6.0, 8.0 }, g.Eval(at34).ToDoubleArray());
        Assert.Equal(25.0, y.Eval(at34).ToScalar());                  // binding the variable reaches its reads
        Assert.Equal(25.0, Ad.Eval(y, at34, checkFinite: true).ToScalar());
        Assert.Equal(25.0, Ad.Compile(new[] { y }, w.Var).Run(Tensor.From(new[] { 3f, 4f }))[0].ToScalar());
        Assert.Equal(6.0, Ad.Jvp(y, w.Var, Const(1f, 0f)).Eval(at34).ToScalar());   // 2·3·1
        // The Variable itself, converted to Expr (a read), stands for the variable too.
        Assert.Equal(new[] { 6.0, 8.0 }, Ad.GradOf(y, w)[0].Eval(at34).ToDoubleArray());
        using var tape = new GradientTape();
        var z = Sum(w * 3f);
        Assert.Equal(new[] { 3f, 3f }, tape.Gradient(z, new Expr[] { w })[0]!.Value.ToFloatArray());
    }

    [Fact]
    public void The_loss_printed_after_an_optimizer_step_is_the_loss_before_it()
    {
        // TensorFlow prints 9.0 here (the loss at w = 0); reading variables lazily printed 5.76 (the loss at w = 0.6).
        var w = new Variable(0f, "w");
        var opt = new Sgd(learningRate: 0.1);
        using var tape = new GradientTape();
        var loss = Square(w - 3f);
        opt.Apply(tape.Gradient(loss, [w]), [w]);
        Assert.Equal(0.6, w.Value.ToScalar(), 6);
        Assert.Equal("tf.Tensor(9.0, shape=(), dtype=float32)", EagerTensor.Of(loss).ToString());
        Assert.Equal(9.0, loss.Eval().ToScalar());
    }

    [Fact]
    public void A_variable_read_twice_gets_the_sum_of_both_paths()
    {
        var w = new Variable(3.0, "w");
        using var tape = new GradientTape();
        var y = w * w + 2.0 * w;                                   // three reads of w
        Assert.Equal(8.0, tape.Gradient(y, w)!.Value.ToScalar());  // 2w + 2
    }

    [Fact]
    public void Assign_add_and_sub_update_the_value()
    {
        var v = new Variable(Tensor.From(new[] { 1.0, 2.0 }), "v");
        v.AssignAdd(Tensor.From(new[] { 0.5, 0.5 }));
        Assert.Equal(new[] { 1.5, 2.5 }, v.Value.ToDoubleArray());
        v.AssignSub(Const(1.0, 1.0) * 2.0);
        Assert.Equal(new[] { -0.5, 0.5 }, v.Value.ToDoubleArray());
        v.Assign(v * 4.0);
        Assert.Equal(new[] { -2.0, 2.0 }, v.Value.ToDoubleArray());
    }

    [Fact]
    public void Assigning_the_wrong_shape_or_dtype_says_what_the_variable_holds()
    {
        var v = new Variable(Tensor.Zeros(2, 3), "v");
        var s = Assert.Throws<ShapeException>(() => v.Assign(Tensor.Zeros(3, 2)));
        Assert.Contains("(2, 3)", s.Message);
        Assert.Throws<DTypeException>(() => v.AssignAdd(Tensor.Zeros(new Shape(2, 3), DType.Float64)));
        Assert.Equal(new Shape(2, 3), v.Value.Shape);
    }

    [Fact]
    public void Gradient_descent_by_hand_on_a_variable_converges()
    {
        var w = new Variable(0f, "w");
        for (int i = 0; i < 100; i++)
        {
            using var tape = new GradientTape();
            var loss = Square(w - 3f);
            var g = tape.Gradient(loss, w)!;
            w.AssignSub(0.1f * g);
        }
        Assert.Equal(3.0, w.Value.ToScalar(), 4);
    }

    [Fact]
    public void Variables_print_as_tensorflow_prints_them()
    {
        Assert.Equal("<tf.Variable 'w:0' shape=() dtype=float32, numpy=1.0>", new Variable(1f, "w").ToString());
        Assert.Equal("<tf.Variable 'v:0' shape=(2,) dtype=float32, numpy=array([ 1., -2.], dtype=float32)>",
            new Variable(Tensor.From(new[] { 1f, -2f }), "v").ToString());
        Assert.Equal("<tf.Variable 'm:0' shape=(2, 2) dtype=float32, numpy=\narray([[1.5, 2. ],\n       [3. , 4. ]], dtype=float32)>",
            new Variable(Tensor.From(new[] { 1.5f, 2f, 3f, 4f }, new Shape(2, 2)), "m").ToString());
    }

    [Fact]
    public void Gradient_with_respect_to_a_list_of_variables_keeps_their_order()
    {
        var w = new Variable(Tensor.From(new[] { 1f, 2f }, new Shape(2, 1)), "w");
        var b = new Variable(Tensor.From(new[] { 0.5f }), "b");
        var x = Const(Tensor.From(new[] { 3f, 4f }, new Shape(1, 2)));
        using var tape = new GradientTape();
        var y = Sum(MatMul(x, w) + b);
        var grads = tape.Gradient(y, [w, b]);
        Assert.Equal(new[] { 3f, 4f }, grads[0]!.Value.ToFloatArray());
        Assert.Equal(new[] { 1f }, grads[1]!.Value.ToFloatArray());
    }
}
