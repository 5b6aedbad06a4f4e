namespace FunctionalAD;

/// <summary>Zero padding: <c>before[i]</c> zeros ahead of axis i and <c>after[i]</c> behind. The VJP slices the middle back out.</summary>
public sealed class PadOp(int[] before, int[] after) : Primitive
{
    /// <summary>Zeros ahead of each axis.</summary>
    public int[] Before { get; } = before;
    /// <summary>Zeros behind each axis.</summary>
    public int[] After { get; } = after;
    /// <inheritdoc/>
    public override string Name => "pad";
    internal override string Key => $"pad[{string.Join(",", Before)}][{string.Join(",", After)}]";
    // ONNX pads list every axis' begin counts, then every axis' end counts.
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => node.Rank == 0 ? b.Node("Identity", a) :
        b.Node("Pad", [a[0], b.Int64s(Before.Concat(After).Select(p => (long)p).ToArray())]);
    internal override string Format(string[] a) => $"pad({a[0]}, [{string.Join(", ", Before.Zip(After, (b, e) => $"({b}, {e})"))}])";

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var x = args[0];
        if (Before.Length != x.Rank || After.Length != x.Rank)
            throw new ShapeException($"pad: need one (before, after) pair per axis of {x.Shape}");
        if (Before.Concat(After).Any(p => p < 0)) throw new ShapeException($"pad: padding must not be negative, got before [{string.Join(", ", Before)}] and after [{string.Join(", ", After)}]");
        // In long: a padded dimension can pass int.MaxValue.
        var dims = x.Shape.Select((d, i) => (long)Before[i] + d + After[i]).ToArray();
        if (dims.Any(d => d > int.MaxValue)) throw new ShapeException($"pad: padding {x.Shape} gives a dimension of more than {int.MaxValue}");
        return (new Shape(dims.Select(d => (int)d).ToArray()), x.DType);
    }

    internal override void Forward(Tensor[] args, Tensor result)
    {
        Array.Clear(result.Data);
        Layout.Place(args[0], result, Before);
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var rs = node.Shape.Strides();
        int off = Before.Select((b, i) => b * rs[i]).Sum();
        return StridedCopyStep.For(result, true, Key, StridedCopyStep.MakeBlock(args[0], 0, node.Arg(0).Shape.Strides(), off, rs, node.Arg(0).Shape));
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.Slice(g, Before, y.Arg(0).Shape.ToArray());
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.Pad(t[0]!, Before, After);
    internal override Expr? Simplify(Expr[] a) =>
        Before.Concat(After).All(p => p == 0) ? a[0] :
        Ex.IsZero(a[0]) ? Ex.Zeros(Infer(a).Shape, a[0].DType) : null;
}

public static partial class Ex
{
    /// <summary>x with zeros added before and after each axis.</summary>
    public static Expr Pad(Expr x, int[] before, int[] after) =>
        Primitive.Build(new PadOp((int[])NotNull(before, nameof(before), "pad").Clone(), (int[])NotNull(after, nameof(after), "pad").Clone()), x);
}
