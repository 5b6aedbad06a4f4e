using FunctionalAD;
using static FunctionalAD.Ex;

/// <summary>Tutorial 1.3: y = x·w, so dy/dw = x = 2.0; a constant must be watched, a Variable need not be.</summary>
static class Section13WatchAndGradient
{
    public static void Run()
    {
        var w = Const(1f);   // tf.constant(1.)
        var x = Const(2f);   // tf.constant(2.)
        using (var tape = new GradientTape())
        {
            tape.Watch([w]);
            var y = x * w;
            var grad1 = tape.Gradient(y, [w]);
            Console.WriteLine($"grad1 = {grad1}");
        }

        // Without watch, a constant gets None; a Variable is watched as soon as the tape sees it read.
        using (var tape = new GradientTape(persistent: true))
        {
            var y = x * w;
            Console.WriteLine($"unwatched constant: {tape.Gradient(y, [w])}");
        }
        var wv = new Variable(Const(1f), "w");   // tf.Variable(tf.constant(1.))
        using (var tape = new GradientTape())
        {
            var y = x * wv;
            Console.WriteLine($"variable: {tape.Gradient(y, [wv])}");
        }
    }
}
