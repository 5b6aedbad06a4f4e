using FunctionalAD;
using static FunctionalAD.Ex;

/// <summary>Tutorial 3.2: the gradient of the MSE between one-hot labels and softmax probabilities, w.r.t. w and b.</summary>
static class Section32MseGradient
{
    public static void Run()
    {
        var x = Const(Tensor.RandomNormal(new Shape(2, 4), seed: 2));   // tf.random.normal([2, 4])
        var w = Const(Tensor.RandomNormal(new Shape(4, 3), seed: 3));   // tf.random.normal([4, 3])
        var b = Const(Tensor.Zeros(3));                                  // tf.zeros([3])
        var y = Const(2, 0);                                             // tf.constant([2, 0])

        using var tape = new GradientTape();
        tape.Watch([w, b]);
        var prob = Softmax(MatMul(x, w) + b, axis: 1);                   // tf.nn.softmax(x @ w + b, axis=1)
        var loss = Mean(Losses.MSE(OneHot(y, depth: 3), prob));         // tf.reduce_mean(tf.losses.MSE(tf.one_hot(y, depth=3), prob))
        var grads = tape.Gradient(loss, [w, b]);

        Console.WriteLine($"loss = {loss.Eval()}");
        Console.WriteLine($"grads[0] = {grads[0]}");
        Console.WriteLine($"grads[1] = {grads[1]}");
    }
}
