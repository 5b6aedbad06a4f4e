using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// Softmax cross-entropy from logits, fused: for labels y and logits z along an axis,
/// ce(y, z) = Σᵢ yᵢ (lse(z) − zᵢ) = −Σᵢ yᵢ log softmax(z)ᵢ, with lse(z) = log Σⱼ exp(zⱼ).
/// The kernel shifts each row by its maximum, so logits of any size give a finite loss, and never forms
/// softmax then log, which would overflow or round to log 0.
/// ∂ce/∂z = (Σy)·softmax(z) − y (softmax − y for labels that sum to 1), ∂ce/∂y = lse(z) − z.
/// </summary>
public sealed class SoftmaxCrossEntropyOp(int axis) : Primitive
{
    /// <summary>The class axis, non-negative.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override string Name => "softmax_cross_entropy";
    internal override string Key => $"softmax_cross_entropy[{Axis}]";
    // Σ y·(lse(z) − z) with z shifted by its row maximum: lse(z) − z = log Σ exp(z − m) − (z − m).
    internal override string Export(IOnnxBuilder b, Apply node, string[] a)
    {
        var s = b.Node("Sub", [a[1], Reduction.OnnxReduce(b, "ReduceMax", a[1], [Axis], true)]);
        var lse = b.Node("Log", [Reduction.OnnxReduce(b, "ReduceSum", b.Node("Exp", [s]), [Axis], true)]);
        return Reduction.OnnxReduce(b, "ReduceSum", b.Node("Mul", [a[0], b.Node("Sub", [lse, s])]), [Axis], false);
    }
    internal override string Format(string[] a, Expr[] args) =>
        Axis == args[1].Rank - 1 ? $"softmax_cross_entropy({a[0]}, {a[1]})" : $"softmax_cross_entropy({a[0]}, {a[1]}, axis={Axis})";

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(args);
        Shape y = args[0].Shape, z = args[1].Shape;
        if (y != z)
            throw new ShapeException($"{Name}: labels {y} and logits {z} must have the same shape (one-hot or probability rows for labels; use the sparse form for class indices)");
        if (Axis >= z.Rank) throw new AxisException($"{Name}: axis {Axis} is out of range for logits of rank {z.Rank}");
        return (Reduce.DroppedShape(z, new[] { Axis }), dt);
    }

    internal override void Kernel<T>(Tensor[] args, Tensor result) =>
        Rows(args[0].Array<T>(), 0, args[1].Array<T>(), 0, result.Span<T>(), args[1].Shape);

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) => node.DType == DType.Float32
        ? new Step<float>(this, args[0], args[1], result, node.Arg(1).Shape)
        : new Step<double>(this, args[0], args[1], result, node.Arg(1).Shape);

    /// <summary>The loss of every row along the class axis, written to <paramref name="o"/>: the one kernel, interpreted or compiled.</summary>
    private void Rows<T>(T[] y, int yOff, T[] z, int zOff, Span<T> o, Shape s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int classes = s[Axis], inner = 1, outer = 1;
        for (int i = 0; i < Axis; i++) outer *= s[i];
        for (int i = Axis + 1; i < s.Rank; i++) inner *= s[i];
        for (int a = 0; a < outer; a++)
            for (int b = 0; b < inner; b++)
                o[a * inner + b] = T.CreateTruncating(Row(y, yOff + a * classes * inner + b, z, zOff + a * classes * inner + b, inner, classes));
    }

    /// <summary>The loss in one pass per row, reading labels and logits where they are stored: no buffer, no allocation.</summary>
    private sealed class Step<T>(SoftmaxCrossEntropyOp op, Loc y, Loc z, Loc o, Shape shape) : FunctionalAD.Step
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override void Run(Workspace ws) => op.Rows(ws.Array<T>(y), y.Offset, ws.Array<T>(z), z.Offset, ws.Span<T>(o), shape);
        public override string Describe() => $"softmax cross-entropy {y}, {z} -> {o}  [{op.Key}]";
    }

    // Accumulates in double: a float32 row of ten logits loses nothing to it and large rows gain.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double Row<T>(T[] y, int ys, T[] z, int start, int stride, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int shift = ys - start;
        double m = double.NegativeInfinity;
        for (int c = 0, k = start; c < classes; c++, k += stride) m = Math.Max(m, double.CreateTruncating(z[k]));
        if (!double.IsFinite(m)) m = 0;
        double sum = 0;
        for (int c = 0, k = start; c < classes; c++, k += stride) sum += Math.Exp(double.CreateTruncating(z[k]) - m);
        double logSum = Math.Log(sum), loss = 0;
        for (int c = 0, k = start; c < classes; c++, k += stride)
        {
            double yc = double.CreateTruncating(y[k + shift]);
            // A zero label contributes nothing, even against a logit of -inf (where 0·inf would be NaN).
            if (yc != 0) loss += yc * (logSum - (double.CreateTruncating(z[k]) - m));
        }
        return loss;
    }

    private Expr Kept(Expr reduced, Shape full) => Ex.Reshape(reduced, Reduce.KeptShape(full, new[] { Axis }));
    private Expr Lse(Apply y) => Ex.LogSumExp(y.Arg(1), Axis, keepDims: true);
    private Expr DLogits(Apply y) => Ex.Sum(y.Arg(0), Axis, keepDims: true) * Ex.Exp(y.Arg(1) - Lse(y)) - y.Arg(0);

    internal override Expr Vjp(Apply y, int arg, Expr g) =>
        Kept(g, y.Arg(1).Shape) * (arg == 1 ? DLogits(y) : Lse(y) - y.Arg(1));

    internal override Expr Jvp(Apply y, Expr?[] t)
    {
        Expr? r = null;
        if (t[0] is { } ty) r = Ex.Sum(ty * (Lse(y) - y.Arg(1)), Axis);
        if (t[1] is { } tz) { var s = Ex.Sum(tz * DLogits(y), Axis); r = r is null ? s : r + s; }
        return r!;
    }
}

public static partial class Ex
{
    /// <summary>
    /// −Σ labels · log softmax(logits) along <paramref name="axis"/> (default the last), computed stably in one
    /// kernel, as <c>tf.nn.softmax_cross_entropy_with_logits</c>. Labels and logits must have the same shape;
    /// the result drops the class axis.
    /// </summary>
    public static Expr SoftmaxCrossEntropyWithLogits(Expr labels, Expr logits, int axis = -1)
    {
        if (labels is null || logits is null) throw new FunctionalADException("softmax_cross_entropy: the labels or the logits are null");
        (labels, logits) = Coerce(labels, logits);
        return Primitive.Build(new SoftmaxCrossEntropyOp(Shape.NormalizeAxis(axis, logits.Rank, "softmax_cross_entropy")), labels, logits);
    }
}
