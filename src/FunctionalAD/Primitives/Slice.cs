namespace FunctionalAD;

/// <summary>The block starting at <c>begin</c> of extent <c>size</c>. The VJP pads the cotangent back with zeros.</summary>
public sealed class SliceOp(int[] begin, int[] size) : Primitive
{
    /// <summary>Start per axis.</summary>
    public int[] Begin { get; } = begin;
    /// <summary>Extent per axis.</summary>
    public int[] Size { get; } = size;
    /// <inheritdoc/>
    public override string Name => "slice";
    internal override string Key => $"slice[{string.Join(",", Begin)}][{string.Join(",", Size)}]";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => node.Rank == 0 ? b.Node("Identity", a) : b.Node("Slice",
        [a[0], b.Int64s(Begin.Select(v => (long)v).ToArray()), b.Int64s(Begin.Zip(Size, (s, n) => (long)s + n).ToArray()),
         b.Int64s(Enumerable.Range(0, Begin.Length).Select(i => (long)i).ToArray())]);
    internal override bool IsPostfix(int arg, Expr[] args) => true;
    internal override string Format(string[] a) => $"{a[0]}[{string.Join(", ", Begin.Zip(Size, (b, s) => $"{b}:{(long)b + s}"))}]";

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var x = args[0];
        if (Begin.Length != x.Rank || Size.Length != x.Rank)
            throw new ShapeException($"slice: begin [{string.Join(", ", Begin)}] and size [{string.Join(", ", Size)}] need one entry per axis of {x.Shape}");
        for (int i = 0; i < x.Rank; i++)
            // In long: begin + size can pass int.MaxValue.
            if (Begin[i] < 0 || Size[i] < 0 || (long)Begin[i] + Size[i] > x.Shape[i])
                throw new ShapeException($"slice: axis {i} range {Begin[i]}..{(long)Begin[i] + Size[i]} is outside 0..{x.Shape[i]} of {x.Shape}");
        return (new Shape(Size), x.DType);
    }

    internal override void Forward(Tensor[] args, Tensor result)
    {
        var s = args[0].Shape.Strides();
        int offset = Begin.Select((b, i) => b * s[i]).Sum();
        Layout.Gather(args[0], offset, s, result);
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var s = node.Arg(0).Shape.Strides();
        int off = Begin.Select((b, i) => b * s[i]).Sum();
        return StridedCopyStep.For(result, false, Key, StridedCopyStep.MakeBlock(args[0], off, s, 0, node.Shape.Strides(), node.Shape));
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) =>
        Ex.Pad(g, Begin, Begin.Select((b, i) => y.Arg(0).Shape[i] - b - Size[i]).ToArray());
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.Slice(t[0]!, Begin, Size);
    internal override Expr? Simplify(Expr[] a) => a[0].Shape.ToArray().SequenceEqual(Size) ? a[0] : null;
}

public static partial class Ex
{
    /// <summary>The block of x from <paramref name="begin"/> with extent <paramref name="size"/> (-1: to the end of that axis).</summary>
    public static Expr Slice(Expr x, int[] begin, int[] size)
    {
        NotNull(x, nameof(x), "slice");
        NotNull(begin, nameof(begin), "slice");
        NotNull(size, nameof(size), "slice");
        if (begin.Length != size.Length)
            throw new ShapeException($"slice: begin has {begin.Length} entries and size {size.Length}\n  in: {x}");
        var sz = size.Select((s, i) => s == -1 && i < x.Rank ? x.Shape[i] - begin[i] : s).ToArray();
        return Primitive.Build(new SliceOp((int[])begin.Clone(), sz), x);
    }
}
