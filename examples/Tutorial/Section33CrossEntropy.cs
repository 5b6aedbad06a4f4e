using FunctionalAD;
using static FunctionalAD.Ex;

/// <summary>Tutorial 3.3: categorical and binary cross-entropy values, and cross-entropy straight from logits.</summary>
static class Section33CrossEntropy
{
    public static void Run()
    {
        // Multi-class: a uniform guess costs 1.386, a wrong one 2.303, a right one 0.357.
        Console.WriteLine(Losses.CategoricalCrossentropy(Const(0, 1, 0, 0), Const(0.25f, 0.25f, 0.25f, 0.25f)).Eval());
        Console.WriteLine(Losses.CategoricalCrossentropy(Const(0, 1, 0, 0), Const(0.1f, 0.1f, 0.7f, 0.1f)).Eval());
        Console.WriteLine(Losses.CategoricalCrossentropy(Const(0, 1, 0, 0), Const(0.1f, 0.7f, 0.1f, 0.1f)).Eval());

        // Two classes: right (0.105) and wrong (2.303).
        Console.WriteLine(Losses.BinaryCrossentropy(Const(1, 0), Const(0.9f, 0.1f)).Eval());
        Console.WriteLine(Losses.CategoricalCrossentropy(Const(1, 0), Const(0.1f, 0.9f)).Eval());

        // From logits: no softmax first, so nothing can overflow.
        var x = Const(Tensor.RandomNormal(new Shape(1, 784), seed: 4));   // tf.random.normal([1, 784])
        var w = Const(Tensor.RandomNormal(new Shape(784, 2), seed: 5));   // tf.random.normal([784, 2])
        var b = Const(Tensor.Zeros(2));                                   // tf.zeros([2])
        var logits = MatMul(x, w) + b;                                    // x @ w + b
        var yTrue = Const(Tensor.From(new[] { 0f, 1f }, new Shape(1, 2)));  // [[0, 1]]
        Console.WriteLine(Losses.CategoricalCrossentropy(yTrue, logits, fromLogits: true).Eval());
    }
}
