using FunctionalAD;
using static FunctionalAD.Ex;

/// <summary>
/// Tutorial 3.4: the gradient of the mean cross-entropy from logits w.r.t. w (4×3) and b (3). The bias
/// gradient is the batch mean of softmax − one-hot, so its entries sum to 0. With logits of 1000, softmax
/// then log overflows; the loss from logits stays finite.
/// </summary>
static class Section34CrossEntropyGradient
{
    public static void Run()
    {
        var x = Const(Tensor.RandomNormal(new Shape(2, 4), seed: 6));   // tf.random.normal([2, 4])
        var w = Const(Tensor.RandomNormal(new Shape(4, 3), seed: 7));   // tf.random.normal([4, 3])
        var b = Const(Tensor.Zeros(3));                                  // tf.zeros([3])
        var y = Const(2, 0);                                             // tf.constant([2, 0])

        using (var tape = new GradientTape())
        {
            tape.Watch([w, b]);
            var logits = MatMul(x, w) + b;
            var loss = Mean(Losses.CategoricalCrossentropy(OneHot(y, depth: 3), logits, fromLogits: true));
            var grads = tape.Gradient(loss, [w, b]);
            Console.WriteLine($"grads[0] = {grads[0]}");
            Console.WriteLine($"grads[1] = {grads[1]}");
            Console.WriteLine($"sum of grads[1] = {Sum(grads[1]!).Eval()}");
        }

        var big = Const(Tensor.From(new[] { 1000f, 0f }, new Shape(1, 2)));
        var label = Const(Tensor.From(new[] { 0f, 1f }, new Shape(1, 2)));
        var naive = -Sum(label * Log(Exp(big) / Sum(Exp(big), 1, keepDims: true)), 1);
        Console.WriteLine($"softmax then log, logits [1000, 0]: {naive.Eval()}");
        using (var tape = new GradientTape())
        {
            tape.Watch(big);
            var loss = Losses.CategoricalCrossentropy(label, big, fromLogits: true);
            Console.WriteLine($"from_logits=True, logits [1000, 0]: {loss.Eval()}");
            Console.WriteLine($"its gradient: {tape.Gradient(loss, big)}");
        }
    }
}
