using FunctionalAD;
using static FunctionalAD.Ex;

/// <summary>
/// Gradient descent, the tutorial's title: the 3.4 model with w and b as Variables, so the tape watches them
/// without being told, and w ← w − lr·∂loss/∂w each step. The loss falls step by step.
/// </summary>
static class Section4GradientDescent
{
    public static void Run()
    {
        var x = Const(Tensor.RandomNormal(new Shape(2, 4), seed: 6));                   // tf.random.normal([2, 4])
        var w = new Variable(Tensor.RandomNormal(new Shape(4, 3), seed: 7), "w");       // tf.Variable(tf.random.normal([4, 3]))
        var b = new Variable(Tensor.Zeros(3), "b");                                     // tf.Variable(tf.zeros([3]))
        var y = OneHot(Const(2, 0), depth: 3);                                          // tf.one_hot([2, 0], depth=3)
        const float lr = 0.5f;

        for (int step = 0; step < 5; step++)
        {
            using var tape = new GradientTape();
            var loss = Mean(Losses.CategoricalCrossentropy(y, MatMul(x, w) + b, fromLogits: true));
            var grads = tape.Gradient(loss, [w, b]);
            Console.WriteLine($"step {step}: loss = {loss.Eval()}");
            w.AssignSub(grads[0]! * lr);                                                // w.assign_sub(lr * grads[0])
            b.AssignSub(grads[1]! * lr);
        }
        Console.WriteLine($"b = {b}");
    }
}
