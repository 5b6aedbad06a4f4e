using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// The register-fused loop keeps a stored result that later statements read in a spare register instead of loading
/// it back; these check the kept value is the stored one, also when the spare registers run out.
/// </summary>
public class VectorLoopStoreTests
{
    [Theory]
    [InlineData(1000, 3)]
    [InlineData(4099, 6)]
    public void Stored_results_read_again_equal_the_interpreter_bitwise(int n, int chain)
    {
        var x = Var("x", n);
        var w = Var("w", n);
        var b = Var("b", n);
        // Every link is an output (stored) and the next link's operand (read again), within the loop's 12 pointers.
        var links = new List<Expr> { Tanh(x * w + b) };
        for (int k = 1; k < chain; k++) links.Add(links[^1] * x - (k % 3 == 0 ? w : b) * 0.5f);
        var loss = Sum(links[^1]);
        var outputs = new[] { loss }.Concat(links).Concat(Ad.Grad(loss, w, b)).ToArray();
        var f = Ad.Compile(outputs, x, w, b);
        var values = new[] { 41, 42, 43 }.Select(s => Tensor.RandomNormal(new Shape(n), stddev: 0.7, seed: s)).ToArray();
        var want = Ad.Eval(outputs, Env.Of((x, values[0]), (w, values[1]), (b, values[2])));
        var got = f.Run(values);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) Assert.Contains("fused vector", f.Describe());
        for (int o = 1; o < outputs.Length; o++)
            Assert.Equal(want[o].ToFloatArray(), got[o].ToFloatArray());
        Assert.Equal(want[0].ToFloatArray()[0], got[0].ToFloatArray()[0], 1e-3f * Math.Max(1f, Math.Abs(want[0].ToFloatArray()[0])));
    }
}
