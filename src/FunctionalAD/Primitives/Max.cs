namespace FunctionalAD;

/// <summary>
/// max over axes. Elements that tie for the maximum share the derivative equally:
/// vjp = g · [x = max] / #ties, jvp = Σ t · [x = max] / #ties.
/// </summary>
public sealed class MaxOp(int[] axes, bool keepDims) : Reduction(axes, keepDims)
{
    /// <inheritdoc/>
    public override string Name => "max";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => OnnxReduce(b, "ReduceMax", a[0], Axes, KeepDims);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => ($"\\max{Latex.Over(this, e)}{Latex.Paren(a[0].Text)}", Latex.Atom);

    internal override FusedKind? RowReduction => FusedKind.RowMax;
    private protected override ReduceKind Combine => ReduceKind.Max;

    private Expr Share(Apply y)
    {
        var hit = Ex.Equal(y.Arg(0), Kept(y, y.Arg(0).Shape));
        return hit / Ex.Sum(hit, Axes, keepDims: true);
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) => Kept(g, y.Arg(0).Shape) * Share(y);
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.Sum(t[0]! * Share(y), Axes, KeepDims);
    internal override Expr? Simplify(Expr[] a) => Axes.Length == 0 ? a[0] : null;
}

public static partial class Ex
{
    /// <summary>The maximum of all elements, or over <paramref name="axes"/>; ties share the gradient.</summary>
    public static Expr Max(Expr x, int[]? axes = null, bool keepDims = false) =>
        Primitive.Build(new MaxOp(Axes(axes, x, "max"), keepDims), x);

    /// <summary>The maximum over one axis.</summary>
    public static Expr Max(Expr x, int axis, bool keepDims = false) => Max(x, new[] { axis }, keepDims);

    /// <summary>The minimum of all elements, or over <paramref name="axes"/>: -max(-x).</summary>
    public static Expr Min(Expr x, int[]? axes = null, bool keepDims = false)
    {
        Axes(axes, x, "min");
        return -Max(-x, axes, keepDims);
    }

    /// <summary>The minimum over one axis.</summary>
    public static Expr Min(Expr x, int axis, bool keepDims = false) => Min(x, new[] { axis }, keepDims);
}
