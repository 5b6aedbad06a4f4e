namespace FunctionalAD;

/// <summary>Σ over axes. The VJP broadcasts the cotangent back over the summed axes; d Σx = Σ dx.</summary>
public sealed class SumOp(int[] axes, bool keepDims) : Reduction(axes, keepDims)
{
    /// <inheritdoc/>
    public override string Name => "sum";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => OnnxReduce(b, "ReduceSum", a[0], Axes, KeepDims);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => ($"\\sum{Latex.Over(this, e)}{Latex.Paren(a[0].Text)}", Latex.Atom);
    internal override FusedKind? RowReduction => FusedKind.RowSum;
    internal override bool FusesWholeSums => true;
    private protected override ReduceKind Combine => ReduceKind.Sum;
    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.BroadcastTo(Kept(g, y.Arg(0).Shape), y.Arg(0).Shape);
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.Sum(t[0]!, Axes, KeepDims);
    internal override Expr? Simplify(Expr[] a) =>
        Axes.Length == 0 ? a[0] :
        Ex.IsZero(a[0]) ? Ex.Zeros(Infer(a).Shape, a[0].DType) : null;
}

public static partial class Ex
{
    /// <summary>Σ of all elements, or over <paramref name="axes"/> (negative axes count from the end).</summary>
    public static Expr Sum(Expr x, int[]? axes = null, bool keepDims = false) =>
        Primitive.Build(new SumOp(Axes(axes, x, "sum"), keepDims), x);

    /// <summary>Σ over one axis.</summary>
    public static Expr Sum(Expr x, int axis, bool keepDims = false) => Sum(x, new[] { axis }, keepDims);

    /// <summary>The mean of all elements, or over <paramref name="axes"/>: Σx / n.</summary>
    public static Expr Mean(Expr x, int[]? axes = null, bool keepDims = false)
    {
        var ax = Axes(axes, x, "mean");
        int n = 1;
        foreach (var a in ax) n *= x.Shape[a];
        return Sum(x, ax, keepDims) / Literal(n, x.DType);
    }

    /// <summary>The mean over one axis.</summary>
    public static Expr Mean(Expr x, int axis, bool keepDims = false) => Mean(x, new[] { axis }, keepDims);
}
