using FunctionalAD;
using static FunctionalAD.Ex;

/// <summary>
/// Tutorial 3.1: the mean squared error of one-hot targets and random outputs, three ways, which agree.
/// The tutorial's 1.2804947 came from TensorFlow's random generator; ours is seeded SplitMix64, so the
/// value differs but the three formulas still give one number.
/// </summary>
static class Section31MseFormulas
{
    public static void Run()
    {
        var y = Cast(OneHot(Const(1, 2, 3, 0, 2), depth: 4), DType.Float32);   // tf.cast(tf.one_hot(y, depth=4), tf.float32)
        var @out = Const(Tensor.RandomNormal(new Shape(5, 4), seed: 1));       // tf.random.normal([5, 4])

        var loss1 = Mean(Square(y - @out));                    // tf.reduce_mean(tf.square(y - out))
        var loss2 = Square(Norm(y - @out)) / (5 * 4);          // tf.square(tf.norm(y - out)) / (5*4)
        var loss3 = Mean(Losses.MSE(y, @out));                 // tf.reduce_mean(tf.losses.MSE(y, out))

        Console.WriteLine($"loss1 = {loss1.Eval()}");
        Console.WriteLine($"loss2 = {loss2.Eval()}");
        Console.WriteLine($"loss3 = {loss3.Eval()}");
        Console.WriteLine($"tf.losses.MSE(y, out) has shape {Losses.MSE(y, @out).Shape}: one loss per sample");
    }
}
