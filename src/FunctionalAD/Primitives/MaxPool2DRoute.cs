namespace FunctionalAD;

/// <summary>
/// The derivative of <see cref="MaxPool2DOp"/> at x, applied to v: gather (pooled shape) reads v at the first
/// maximum of each window of x; scatter (x's shape) adds v[o] there. Each is linear in v and the other's adjoint, so
/// the VJP in v is the other mode; x only chooses positions, so it carries no derivative (piecewise constant).
/// </summary>
public sealed class MaxPool2DRouteOp : Primitive
{
    internal MaxPool2DRouteOp(ConvSpec spec, int kh, int kw, bool scatter) => (Spec, KH, KW, Scatter) = (spec, kh, kw, scatter);
    internal ConvSpec Spec { get; }
    internal int KH { get; }
    internal int KW { get; }
    /// <summary>True for the VJP form (adds into x's shape), false for the JVP form (reads into the pooled shape).</summary>
    public bool Scatter { get; }
    /// <inheritdoc/>
    public override string Name => Scatter ? "max_pool2d_grad" : "max_pool2d_gather";
    internal override string Key => $"{Name}{Spec.Key}k{KH},{KW}";
    internal override string Format(string[] a) => $"{Name}({a[0]}, {a[1]}, ksize=[{KH}, {KW}], {Spec.Describe})";

    /// <summary>
    /// Each window's first maximum as the kernel picks it (<see cref="Pooling.OnnxFirstMax"/>, flat over the NCHW input):
    /// gather reads v there (Gather on the flattened v); scatter adds v into zeros there (ScatterElements with
    /// reduction "add", opset 16+, so windows sharing a maximum add up).
    /// </summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a)
    {
        var g = Pooling.Geometry(Name, Spec, KH, KW, node.Arg(0).Shape);
        var where = Pooling.OnnxFirstMax(b, OnnxLayout.ToNchw(b, a[0]), g, node.DType);
        var v = b.Node("Reshape", [OnnxLayout.ToNchw(b, a[1]), b.Int64s(-1)]);
        if (!Scatter) return OnnxLayout.ToNhwc(b, b.Node("Gather", [v, where]));
        var zeros = b.Node("Expand", [b.Scalar(0, node.DType), b.Int64s(g.InputShape.Size)]);
        var sum = b.Node("ScatterElements", [zeros, b.Node("Reshape", [where, b.Int64s(-1)]), v],
            OnnxAttribute.Int("axis", 0), OnnxAttribute.String("reduction", "add"));
        return OnnxLayout.ToNhwc(b, b.Node("Reshape", [sum, b.Int64s(g.N, g.C, g.H, g.W)]));
    }
    internal override bool Differentiable(int arg) => arg == 1;

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(args);
        var g = Pooling.Geometry(Name, Spec, KH, KW, args[0].Shape);
        var expect = Scatter ? g.OutputShape : g.InputShape;
        if (!args[1].Shape.Equals(expect))
            throw new ShapeException($"{Name}: max pooling {args[0].Shape} gives {g.OutputShape}, so v must be {expect}, got {args[1].Shape}");
        return (Scatter ? g.InputShape : g.OutputShape, dt);
    }

    private MaxMode Mode => Scatter ? MaxMode.Scatter : MaxMode.Gather;

    internal override void Kernel<T>(Tensor[] args, Tensor result) =>
        Pooling.Geometry(Name, Spec, KH, KW, args[0].Shape).MaxRoute<T>(args[0].Span<T>(), args[1].Span<T>(), result.Span<T>(), Mode);

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var g = Pooling.Geometry(Name, Spec, KH, KW, node.Arg(0).Shape);
        var mode = Mode;
        return node.DType == DType.Float32
            ? new WindowStep<float>(args[0], args[1], result, 0, (x, v, y, _) => g.MaxRoute(x, v, y, mode), Key)
            : new WindowStep<double>(args[0], args[1], result, 0, (x, v, y, _) => g.MaxRoute(x, v, y, mode), Key);
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) => arg == 1
        ? Ex.MaxPool2DRoute(y.Arg(0), g, Spec, KH, KW, !Scatter)
        : Ex.ZerosLike(y.Arg(0));

    internal override Expr Jvp(Apply y, Expr?[] t) => t[1] is { } tv
        ? Ex.MaxPool2DRoute(y.Arg(0), tv, Spec, KH, KW, Scatter)
        : Ex.ZerosLike(y);

    internal override Expr? Simplify(Expr[] a) => Ex.IsZero(a[1]) ? Ex.Zeros(Infer(a).Shape, a[0].DType) : null;
}

public static partial class Ex
{
    internal static Expr MaxPool2DRoute(Expr x, Expr v, ConvSpec spec, int kh, int kw, bool scatter) =>
        Primitive.Build(new MaxPool2DRouteOp(spec, kh, kw, scatter), x, v);
}
