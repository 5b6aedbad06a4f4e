namespace FunctionalAD;

/// <summary>
/// The Euclidean norm √Σx² over axes. d‖x‖ = Σ x·dx / ‖x‖, taken as 0 where ‖x‖ = 0 (the subgradient of
/// least norm), with the division guarded on both branches so second derivatives stay finite too.
/// </summary>
public sealed class NormOp(int[] axes, bool keepDims) : Reduction(axes, keepDims)
{
    /// <inheritdoc/>
    public override string Name => "norm";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => Axes.Length == 0 ? b.Node("Abs", a) : OnnxReduce(b, "ReduceL2", a[0], Axes, KeepDims);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => ($"\\left\\|{a[0].Text}\\right\\|{Latex.Over(this, e)}", Latex.Atom);

    private protected override ReduceKind Combine => ReduceKind.Norm;

    private Expr SafeNorm(Apply y)
    {
        var n = Kept(y, y.Arg(0).Shape);
        return Ex.Where(Ex.Greater(n, 0f), n, Ex.OnesLike(n));
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) => Kept(g, y.Arg(0).Shape) * y.Arg(0) / SafeNorm(y);
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.Sum(t[0]! * y.Arg(0) / SafeNorm(y), Axes, KeepDims);
}

public static partial class Ex
{
    /// <summary>The Euclidean (Frobenius) norm of all elements, or over <paramref name="axes"/>; its gradient at 0 is 0.</summary>
    public static Expr Norm(Expr x, int[]? axes = null, bool keepDims = false) =>
        Primitive.Build(new NormOp(Axes(axes, x, "norm"), keepDims), x);
}
