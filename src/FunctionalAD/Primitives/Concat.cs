namespace FunctionalAD;

/// <summary>Joins tensors along an axis. The VJP of each part is its slice of the cotangent.</summary>
public sealed class ConcatOp(int axis) : Primitive
{
    /// <summary>The joining axis, non-negative.</summary>
    public int Axis { get; } = axis;
    /// <inheritdoc/>
    public override string Name => "concat";
    internal override string Key => $"concat{Axis}";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Concat", a, OnnxAttribute.Int("axis", Axis));
    internal override string Format(string[] a) => $"concat([{string.Join(", ", a)}], axis={Axis})";

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        if (args.Length == 0) throw new ShapeException("concat: needs at least one tensor");
        var first = args[0];
        if (Axis >= first.Rank) throw new AxisException($"concat: axis {Axis} is out of range for rank {first.Rank}");
        long total = 0;
        foreach (var a in args)
        {
            if (a.DType != first.DType) throw new DTypeException($"concat: mixed dtypes {first.DType.Name()} and {a.DType.Name()}");
            bool fits = a.Rank == first.Rank && Enumerable.Range(0, a.Rank).All(i => i == Axis || a.Shape[i] == first.Shape[i]);
            if (!fits) throw new ShapeException($"concat: shapes {first.Shape} and {a.Shape} differ outside axis {Axis}");
            total += a.Shape[Axis];
        }
        if (total > int.MaxValue) throw new ShapeException($"concat: the joined axis {Axis} would have {total} elements, more than {int.MaxValue}");
        var d = first.Shape.ToArray();
        d[Axis] = (int)total;
        return (new Shape(d), first.DType);
    }

    internal override void Forward(Tensor[] args, Tensor result)
    {
        var start = new int[result.Rank];
        foreach (var a in args)
        {
            Layout.Place(a, result, start);
            start[Axis] += a.Shape[Axis];
        }
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var rs = node.Shape.Strides();
        var blocks = new StridedBlock[node.Args.Count];
        int at = 0;
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i] = StridedCopyStep.MakeBlock(args[i], 0, node.Arg(i).Shape.Strides(), at * rs[Axis], rs, node.Arg(i).Shape);
            at += node.Arg(i).Shape[Axis];
        }
        return StridedCopyStep.For(result, false, Key, blocks);
    }

    private int Offset(Apply y, int arg) => Enumerable.Range(0, arg).Sum(i => y.Arg(i).Shape[Axis]);

    internal override Expr Vjp(Apply y, int arg, Expr g)
    {
        var begin = new int[y.Rank];
        begin[Axis] = Offset(y, arg);
        return Ex.Slice(g, begin, y.Arg(arg).Shape.ToArray());
    }

    internal override Expr Jvp(Apply y, Expr?[] t) =>
        Ex.Concat(t.Select((ti, i) => ti ?? Ex.ZerosLike(y.Arg(i))).ToArray(), Axis);

    internal override Expr? Simplify(Expr[] a) => a.Length == 1 ? a[0] : null;
}

public static partial class Ex
{
    /// <summary>The tensors joined along <paramref name="axis"/>; all other dimensions must agree.</summary>
    public static Expr Concat(Expr[] xs, int axis = 0)
    {
        if (xs is null || xs.Length == 0) throw new ShapeException("concat: needs at least one tensor");
        for (int i = 0; i < xs.Length; i++)
            if (xs[i] is null) throw new ArgumentNullException(nameof(xs), $"concat: tensor {i} of {xs.Length} is null");
        int a;
        try
        {
            a = Shape.NormalizeAxis(axis, xs[0].Rank, "concat");
        }
        catch (AxisException e)
        {
            throw new AxisException($"{e.Message}; the first tensor has shape {xs[0].Shape}\n  in: concat([{string.Join<Expr>(", ", xs)}], axis={axis})");
        }
        return Primitive.Build(new ConcatOp(a), xs);
    }
}
