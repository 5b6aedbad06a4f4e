using FunctionalAD;
using static FunctionalAD.Ex;

/// <summary>
/// Eager values, as TensorFlow has them: a value computed from a Variable keeps the value read, and the loss
/// printed after an optimizer step is the loss the step started from.
/// </summary>
static class Section5EagerValues
{
    public static void Run()
    {
        var v = new Variable(3f, "v");           // v = tf.Variable(3.)
        var y = v * 2f;                           // y = v * 2
        v.Assign(5f);                             // v.assign(5.)
        Console.WriteLine($"y = {y.Eval()}");    // tf.Tensor(6.0, ...): y was computed from v = 3

        var w = new Variable(0f, "w");
        var opt = new Sgd(learningRate: 0.1);
        using var tape = new GradientTape();
        var loss = Square(w - 3f);
        opt.Apply(tape.Gradient(loss, [w]), [w]);   // optimizer.apply_gradients(zip(grads, [w]))
        Console.WriteLine($"loss = {loss.Eval()}");  // the loss at w = 0, before the step
        Console.WriteLine($"w = {w}");
    }
}
