using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// Every pass walks 100,000-node expressions without recursion: a chain (each node uses the one below) and a
/// balanced tree. Values and derivatives are checked against plain float64 loops written here.
/// </summary>
public class DeepExpressionTests
{
    private const int N = 100_000;
    private const double X0 = 0.3;

    /// <summary>e₀ = x, then alternately sin(e) and e + x: N nodes deep.</summary>
    private static (Var X, Expr E) Chain()
    {
        var x = (Var)Var64("deep_x");
        Expr e = x;
        for (int i = 0; i < N; i++) e = i % 2 == 0 ? Sin(e) : e + x;
        return (x, e);
    }

    /// <summary>The chain's value and its derivative in x, by forward accumulation in plain doubles.</summary>
    private static (double Value, double Slope) ChainReference()
    {
        double v = X0, d = 1;
        for (int i = 0; i < N; i++)
        {
            if (i % 2 == 0) { d *= Math.Cos(v); v = Math.Sin(v); }
            else { v += X0; d += 1; }
        }
        return (v, d);
    }

    /// <summary>sin of the sum of N/2 scalar variables, added pairwise: about N nodes, depth log₂ N.</summary>
    private static (Var[] Leaves, Expr E) Tree()
    {
        var leaves = Enumerable.Range(0, N / 2).Select(i => (Var)Var64("leaf" + i)).ToArray();
        var level = leaves.Cast<Expr>().ToArray();
        while (level.Length > 1)
            level = Enumerable.Range(0, (level.Length + 1) / 2)
                .Select(i => 2 * i + 1 < level.Length ? level[2 * i] + level[2 * i + 1] : level[2 * i]).ToArray();
        return (leaves, Sin(level[0]));
    }

    private static double LeafValue(int i) => (i % 7 - 3) * 1e-4;

    private static Env TreeEnv(Var[] leaves) =>
        leaves.Select((v, i) => (v, i)).Aggregate(Env.Empty, (env, p) => env.Bind(p.v, Tensor.Scalar(LeafValue(p.i))));

    private static void Close(double want, double got, string what) =>
        Assert.True(Math.Abs(want - got) <= 1e-9 * Math.Max(1, Math.Abs(want)), $"{what}: want {want:R}, got {got:R}");

    [Fact]
    public void A_100k_chain_evaluates_and_differentiates_in_both_modes()
    {
        var (x, e) = Chain();
        var (value, slope) = ChainReference();
        var at = Env.Of((x, Tensor.Scalar(X0)));
        Close(value, e.Eval(at).ToScalar(), "value");
        Close(value, Ad.Simplify(e).Eval(at).ToScalar(), "simplified value");
        Close(value, Ad.Lower(e).Run(at)[0].ToScalar(), "lowered value");
        Close(slope, Ad.Grad(e, x)[0].Eval(at).ToScalar(), "reverse mode");
        Close(slope, Ad.Jvp(e, x, Const(1.0)).Eval(at).ToScalar(), "forward mode");
        var compiled = Ad.Compile(new[] { e, Ad.Grad(e, x)[0] }, x).Run(Tensor.Scalar(X0));
        Close(value, compiled[0].ToScalar(), "compiled value");
        Close(slope, compiled[1].ToScalar(), "compiled gradient");
    }

    [Fact]
    public void A_100k_chain_prints_as_text_latex_and_dot()
    {
        var (_, e) = Chain();
        var text = e.ToString();
        Assert.Equal(N / 2, Count(text, "sin("));
        Assert.Equal(N / 2, Count(text, "deep_x") - 1);
        var latex = e.ToLatex();
        Assert.Equal(N / 2, Count(latex, "\\sin"));
        var dot = e.ToDot();
        Assert.Equal(N + N / 2, Count(dot, " -> "));
    }

    [Fact]
    public void A_100k_node_balanced_tree_goes_through_every_pass()
    {
        var (leaves, e) = Tree();
        var at = TreeEnv(leaves);
        double sum = Enumerable.Range(0, N / 2).Sum(LeafValue);
        Close(Math.Sin(sum), e.Eval(at).ToScalar(), "value");
        Close(Math.Sin(sum), Ad.Simplify(e).Eval(at).ToScalar(), "simplified value");
        var grads = Ad.Grad(e, leaves[0], leaves[^1]);
        Close(Math.Cos(sum), grads[0].Eval(at).ToScalar(), "reverse mode, first leaf");
        Close(Math.Cos(sum), grads[1].Eval(at).ToScalar(), "reverse mode, last leaf");
        Close(2 * Math.Cos(sum), Ad.Jvp(e, new Expr[] { leaves[0], leaves[1] }, new Expr[] { Const(1.0), Const(1.0) }).Eval(at).ToScalar(), "forward mode");
        var text = e.ToString();
        Assert.Contains("leaf0 + leaf1", text);
        Assert.Equal(N / 2 - 1, Count(text, " + "));
        Assert.Equal(N / 2 - 1, Count(e.ToLatex(), " + "));
        Assert.Equal(N / 2 - 1 + 1, Ad.Lower(e).StepCount);
        Close(Math.Sin(sum), Ad.Compile(new[] { e }, leaves).Run(leaves.Select((_, i) => Tensor.Scalar(LeafValue(i))).ToArray())[0].ToScalar(), "compiled value");
    }

    [Fact]
    public void Printing_refuses_an_exponentially_long_text_instead_of_running_out_of_memory()
    {
        Expr e = Var64("twice");
        for (int i = 0; i < 64; i++) e = e + e;
        var error = Assert.Throws<FunctionalADException>(() => e.ToString());
        Assert.Contains("ToDot", error.Message);
        Assert.Contains("digraph", e.ToDot());
    }

    private static int Count(string s, string what)
    {
        int n = 0;
        for (int at = s.IndexOf(what, StringComparison.Ordinal); at >= 0; at = s.IndexOf(what, at + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
