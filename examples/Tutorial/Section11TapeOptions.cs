using FunctionalAD;
using static FunctionalAD.Ex;

/// <summary>
/// Tutorial 1.1 and 1.2: GradientTape(persistent, watch_accessed_variables), and tape.gradient's
/// unconnected_gradients (None by default, or zeros).
/// </summary>
static class Section11TapeOptions
{
    public static void Run()
    {
        var x = new Variable(3f, "x");                      // tf.Variable(3.)
        using (var tape = new GradientTape(persistent: true))
        {
            var y = x * x;                                  // x² = 9
            var z = y * y;                                  // x⁴ = 81
            Console.WriteLine($"dy/dx = {tape.Gradient(y, x)}");   // 2x = 6: a persistent tape answers twice
            Console.WriteLine($"dz/dx = {tape.Gradient(z, x)}");   // 4x³ = 108
        }

        using (var tape = new GradientTape(watchAccessedVariables: false))
        {
            var y = x * x;
            Console.WriteLine($"watch_accessed_variables=False: {tape.Gradient(y, x)?.ToString() ?? "None"}");
        }
        using (var tape = new GradientTape(watchAccessedVariables: false))
        {
            tape.Watch(x);
            var y = x * x;
            Console.WriteLine($"watched by hand: {tape.Gradient(y, x)}");
        }

        var w = new Variable(1f, "w");
        using (var tape = new GradientTape(persistent: true))
        {
            var y = x * 2f;                                 // y does not depend on w
            Console.WriteLine($"unconnected, None: {tape.Gradient(y, w)?.ToString() ?? "None"}");
            Console.WriteLine($"unconnected, Zero: {tape.Gradient(y, w, unconnectedGradients: UnconnectedGradients.Zero)}");
        }
    }
}
