using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// Compiling very long element-wise chains: the register-fused loop's body is a type built from nested generic
/// arguments, and a chain nested as deep as it is long overflowed the stack at about 60,000 nodes.
/// </summary>
public class DeepChainCompileTests
{
    [Fact]
    public void A_100000_node_chain_of_add_and_sin_compiles_and_matches_the_interpreter()
    {
        const int n = 100_000, length = 37;
        var x = (Var)Var("x", length);
        Expr e = x;
        for (int i = 0; i < n / 2; i++) e = Sin(e) + x;
        var values = Tensor.From(Enumerable.Range(0, length).Select(i => (float)Math.Sin(i)).ToArray());
        // Run on a thread with a small stack, as a test host or a thread pool thread might have.
        CompiledFunction? f = null;
        Exception? error = null;
        var t = new Thread(() =>
        {
            try { f = Ad.Compile(new[] { e }, x); }
            catch (Exception ex) { error = ex; }
        }, 1 << 20);
        t.Start();
        t.Join();
        Assert.Null(error);
        var got = f!.Run(values)[0].ToFloatArray();
        var want = CompileTableTests.Interpret(new[] { e }, new[] { x }, new[] { values })[0].ToFloatArray();
        Assert.Equal(want, got);
    }

    [Fact]
    public void A_long_chain_still_runs_in_the_register_fused_loop()
    {
        var x = (Var)Var("x", 4096);
        Expr e = x;
        for (int i = 0; i < 300; i++) e = Sin(e) + x;
        var f = Ad.Compile(new[] { e }, x);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) Assert.Contains("fused vector", f.Describe());
        var v = Tensor.RandomNormal(new Shape(4096), seed: 3);
        Assert.Equal(CompileTableTests.Interpret(new[] { e }, new[] { x }, new[] { v })[0].ToFloatArray(), f.Run(v)[0].ToFloatArray());
    }
}
