using System.Globalization;
using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// Cumulative sum along one axis, as <c>tf.math.cumsum(x, axis, exclusive, reverse)</c>: yₖ = Σ_{j ≤ k} xⱼ, or
/// Σ_{j &lt; k} with <see cref="Exclusive"/>, running from the end with <see cref="Reverse"/>. Linear, so
/// d cumsum(x) = cumsum(dx), and the VJP is the transpose: the cumulative sum of g running the other way.
/// </summary>
public sealed class CumSumOp(int axis, bool exclusive, bool reverse) : Primitive
{
    /// <summary>The axis summed along, normalised to be non-negative.</summary>
    public int Axis { get; } = axis;
    /// <summary>True when yₖ leaves out xₖ itself.</summary>
    public bool Exclusive { get; } = exclusive;
    /// <summary>True when the sum runs from the last element to the first.</summary>
    public bool Reverse { get; } = reverse;
    /// <inheritdoc/>
    public override string Name => "cumsum";
    internal override string Key => $"cumsum[{Axis},{Exclusive},{Reverse}]";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("CumSum", [a[0], b.Constant(Tensor.Scalar(Axis))],
        OnnxAttribute.Int("exclusive", Exclusive ? 1 : 0), OnnxAttribute.Int("reverse", Reverse ? 1 : 0));
    internal override string Format(string[] a) =>
        $"cumsum({a[0]}, axis={Axis.ToString(CultureInfo.InvariantCulture)}{(Exclusive ? ", exclusive" : "")}{(Reverse ? ", reverse" : "")})";

    internal override (Shape Shape, DType DType) Infer(Expr[] args) => (args[0].Shape, SameFloat(args));

    internal override void Kernel<T>(Tensor[] args, Tensor result)
    {
        var (outer, n, inner) = Scan.Split(args[0].Shape, Axis);
        Scan.CumSum<T>(args[0].Span<T>(), result.Span<T>(), outer, n, inner, Exclusive, Reverse);
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var (outer, n, inner) = Scan.Split(node.Arg(0).Shape, Axis);
        return node.DType == DType.Float32
            ? new CumSumStep<float>(args[0], result, outer, n, inner, Exclusive, Reverse)
            : new CumSumStep<double>(args[0], result, outer, n, inner, Exclusive, Reverse);
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.CumSum(g, Axis, Exclusive, !Reverse);
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.CumSum(t[0]!, Axis, Exclusive, Reverse);
    internal override Expr? Simplify(Expr[] a) => Ex.IsZero(a[0]) ? Ex.ZerosLike(a[0]) : null;
}

/// <summary>The compiled step of <see cref="CumSumOp"/>: the interpreter's kernel over workspace spans.</summary>
internal sealed class CumSumStep<T>(Loc x, Loc y, int outer, int n, int inner, bool exclusive, bool reverse) : Step
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run(Workspace ws) => Scan.CumSum<T>(ws.Span<T>(x), ws.Span<T>(y), outer, n, inner, exclusive, reverse);
    public override string Describe() => $"cumsum ({outer}, {n}, {inner}){(exclusive ? " exclusive" : "")}{(reverse ? " reverse" : "")} {x} -> {y}";
}

public static partial class Ex
{
    /// <summary>
    /// Cumulative sum along <paramref name="axis"/> (negative counts from the end), as
    /// <c>tf.math.cumsum(x, axis, exclusive, reverse)</c>: yₖ = Σ_{j ≤ k} xⱼ; with <paramref name="exclusive"/>,
    /// Σ_{j &lt; k} xⱼ (y₀ = 0); with <paramref name="reverse"/>, the sums run from the end.
    /// </summary>
    public static Expr CumSum(Expr x, int axis = 0, bool exclusive = false, bool reverse = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0) throw new AxisException($"cumsum: x must have at least one axis, got a scalar\n  in: cumsum({x})");
        return Primitive.Build(new CumSumOp(Axes(new[] { axis }, x, "cumsum")[0], exclusive, reverse), x);
    }
}
