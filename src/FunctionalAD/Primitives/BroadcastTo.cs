namespace FunctionalAD;

/// <summary>x repeated along new or size-1 axes, as NumPy broadcasts. The VJP sums back over those axes.</summary>
public sealed class BroadcastToOp(Shape shape) : Primitive
{
    /// <summary>The result shape.</summary>
    public Shape Target { get; } = shape;
    /// <inheritdoc/>
    public override string Name => "broadcast_to";
    internal override string Key => $"broadcast{Target}";
    internal override bool SameParameters(Primitive other) => other is BroadcastToOp b && b.Target == Target;
    internal override int ParameterHash => Target.GetHashCode();
    // An empty result is written as an empty constant: ONNX Runtime's Expand does not broadcast 1 to 0.
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => node.Shape.Size == 0
        ? b.Constant(Tensor.Zeros(node.Shape, node.DType))
        : b.Node("Expand", [a[0], b.Int64s(node.Shape.ToArray().Select(d => (long)d).ToArray())]);
    internal override string Format(string[] a) => $"broadcast_to({a[0]}, {Target})";

    internal override (Shape Shape, DType DType) Infer(Expr[] args) => args[0].Shape.BroadcastsTo(Target)
        ? (Target, args[0].DType)
        : throw new ShapeException($"broadcast_to: shape {args[0].Shape} does not broadcast to {Target}");

    internal override void Forward(Tensor[] args, Tensor result) =>
        Layout.Gather(args[0], 0, Strided.Aligned(args[0].Shape, Target), result);

    internal override bool IsView => true;
    internal override int[]? ViewStrides(Apply node, int[] argStrides) => Strided.Align(argStrides, node.Arg(0).Shape, Target);

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) =>
        StridedCopyStep.For(result, false, Key, StridedCopyStep.MakeBlock(args[0], 0, Strided.Aligned(node.Arg(0).Shape, Target), 0, Target.Strides(), Target));

    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.SumTo(g, y.Arg(0).Shape);
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.BroadcastTo(t[0]!, Target);

    internal override Expr? Simplify(Expr[] a) =>
        a[0].Shape == Target ? a[0] :
        a[0] is Apply { Op: BroadcastToOp } b ? Ex.BroadcastTo(b.Arg(0), Target) : null;
}

public static partial class Ex
{
    /// <summary>x broadcast to <paramref name="shape"/> by NumPy's rules.</summary>
    public static Expr BroadcastTo(Expr x, Shape shape) =>
        NotNull(x, nameof(x), "broadcast_to").Shape == NotNull(shape, nameof(shape), "broadcast_to") ? x : Primitive.Build(new BroadcastToOp(shape), x);
}
