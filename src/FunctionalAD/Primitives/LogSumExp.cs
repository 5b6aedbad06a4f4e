namespace FunctionalAD;

/// <summary>
/// log Σ exp(x) over axes, shifted by the maximum so large inputs do not overflow.
/// d lse(x) = Σ softmax(x) · dx, so vjp = g · exp(x - lse(x)). A row of −∞ has lse = −∞ and gradient 0.
/// </summary>
public sealed class LogSumExpOp(int[] axes, bool keepDims) : Reduction(axes, keepDims)
{
    /// <inheritdoc/>
    public override string Name => "logsumexp";
    // Shifted by the maximum as the kernel is, so large inputs stay finite in ONNX Runtime too.
    internal override string Export(IOnnxBuilder b, Apply node, string[] a)
    {
        if (Axes.Length == 0) return b.Node("Identity", a);
        var m = OnnxReduce(b, "ReduceMax", a[0], Axes, true);
        var s = OnnxReduce(b, "ReduceSum", b.Node("Exp", [b.Node("Sub", [a[0], m])]), Axes, true);
        var lse = b.Node("Add", [b.Node("Log", [s]), m]);
        return KeepDims ? lse : b.Node("Reshape", [lse, b.Int64s(node.Shape.ToArray().Select(d => (long)d).ToArray())], OnnxAttribute.Int("allowzero", 1));
    }
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => ($"\\operatorname{{logsumexp}}{Latex.Over(this, e)}{Latex.Paren(a[0].Text)}", Latex.Atom);

    internal override FusedKind? RowReduction => FusedKind.RowLogSumExp;
    private protected override ReduceKind Combine => ReduceKind.LogSumExp;

    // A row of -inf has lse = -inf and x - lse = NaN; raising lse to the lowest finite number instead gives
    // exp(-inf) = 0, so that row's gradient is 0. Any other row has lse >= its finite maximum and is unchanged.
    private Expr Softmax(Apply y)
    {
        var lse = Kept(y, y.Arg(0).Shape);
        var lowest = Ex.Literal(lse.DType == DType.Float32 ? float.MinValue : double.MinValue, lse.DType);
        return Ex.Exp(y.Arg(0) - Ex.Maximum(lse, lowest));
    }
    internal override Expr Vjp(Apply y, int arg, Expr g) => Kept(g, y.Arg(0).Shape) * Softmax(y);
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.Sum(t[0]! * Softmax(y), Axes, KeepDims);
}

public static partial class Ex
{
    /// <summary>log Σ exp(x) over <paramref name="axes"/> (all when null), computed stably.</summary>
    public static Expr LogSumExp(Expr x, int[]? axes = null, bool keepDims = false) =>
        Primitive.Build(new LogSumExpOp(Axes(axes, x, "logsumexp"), keepDims), x);

    /// <summary>log Σ exp(x) over one axis.</summary>
    public static Expr LogSumExp(Expr x, int axis, bool keepDims = false) => LogSumExp(x, new[] { axis }, keepDims);

    /// <summary>exp(x) / Σ exp(x) along <paramref name="axis"/> (default the last), shifted by log-sum-exp so it never overflows.</summary>
    public static Expr Softmax(Expr x, int axis = -1)
    {
        Axes(new[] { axis }, x, "softmax");
        return Exp(LogSoftmax(x, axis));
    }

    /// <summary>x - log Σ exp(x) along <paramref name="axis"/> (default the last).</summary>
    public static Expr LogSoftmax(Expr x, int axis = -1)
    {
        Axes(new[] { axis }, x, "log_softmax");
        return x - LogSumExp(x, axis, keepDims: true);
    }
}
