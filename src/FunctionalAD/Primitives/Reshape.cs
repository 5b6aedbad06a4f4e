namespace FunctionalAD;

/// <summary>The same elements in another shape of the same size. d reshape(x) = reshape(dx); the VJP reshapes back.</summary>
public sealed class ReshapeOp(Shape shape) : Primitive
{
    /// <summary>The result shape.</summary>
    public Shape Target { get; } = shape;
    /// <inheritdoc/>
    public override string Name => "reshape";
    internal override string Key => $"reshape{Target}";
    internal override bool SameParameters(Primitive other) => other is ReshapeOp r && r.Target == Target;
    internal override int ParameterHash => Target.GetHashCode();
    // allowzero: a 0 in the target is a zero-length axis here, not ONNX's default "copy the input's axis".
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) =>
        b.Node("Reshape", [a[0], b.Int64s(Target.ToArray().Select(d => (long)d).ToArray())], OnnxAttribute.Int("allowzero", 1));
    internal override string Format(string[] a) => $"reshape({a[0]}, {Target})";

    internal override (Shape Shape, DType DType) Infer(Expr[] args) => args[0].Shape.Size == Target.Size
        ? (Target, args[0].DType)
        : throw new ShapeException($"reshape: cannot reshape {args[0].Shape} ({args[0].Shape.Size} elements) to {Target} ({Target.Size} elements)");

    internal override void Forward(Tensor[] args, Tensor result) => Array.Copy(args[0].Data, result.Data, result.Size);
    internal override bool IsAlias => true;

    // Only a reshape that adds or drops size-1 axes keeps every element's place along the non-unit axes.
    internal override int[]? ViewStrides(Apply node, int[] argStrides)
    {
        Shape from = node.Arg(0).Shape;
        if (!from.Where(d => d != 1).SequenceEqual(Target.Where(d => d != 1))) return null;
        var r = new int[Target.Rank];
        int j = 0;
        for (int i = 0; i < Target.Rank; i++)
        {
            if (Target[i] == 1) continue;
            while (from[j] == 1) j++;
            r[i] = argStrides[j++];
        }
        return r;
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) => StridedCopyStep.Contiguous(args[0], result, Target, Key);

    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.Reshape(g, y.Arg(0).Shape);
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.Reshape(t[0]!, Target);

    internal override Expr? Simplify(Expr[] a) =>
        a[0].Shape == Target ? a[0] :
        a[0] is Apply { Op: ReshapeOp } r ? Ex.Reshape(r.Arg(0), Target) :
        a[0] is Apply { Op: BroadcastToOp } b && b.Arg(0).Shape.Size == 1 ? Ex.Fill0(b.Arg(0), Target) : null;
}

public static partial class Ex
{
    /// <summary>x with a new shape of the same size; one dimension may be -1 and is inferred.</summary>
    public static Expr Reshape(Expr x, Shape shape)
    {
        NotNull(x, nameof(x), "reshape");
        NotNull(shape, nameof(shape), "reshape");
        var d = shape.ToArray();
        int unknown = Array.IndexOf(d, -1);
        if (unknown >= 0) throw new ShapeException("reshape: use Reshape(x, params int[]) to infer a -1 dimension");
        return Primitive.Build(new ReshapeOp(shape), x);
    }

    /// <summary>x with new dimensions of the same size; one of them may be -1 and is inferred.</summary>
    public static Expr Reshape(Expr x, params int[] dims)
    {
        NotNull(x, nameof(x), "reshape");
        NotNull(dims, nameof(dims), "reshape");
        int unknown = Array.IndexOf(dims, -1);
        if (unknown >= 0)
        {
            if (Array.LastIndexOf(dims, -1) != unknown) throw new ShapeException($"reshape: only one dimension may be -1 in ({string.Join(", ", dims)})");
            if (dims.Any(v => v < -1)) throw new ShapeException($"reshape: dimension {dims.First(v => v < -1)} is negative in ({string.Join(", ", dims)})\n  in: {x}");
            // In long, saturating: the known dimensions can multiply past int.MaxValue.
            long known = dims.Where(v => v != -1).Aggregate(1L, (p, v) => Math.Min(p * v, 1L << 40));
            if (known == 0 || x.Shape.Size % known != 0)
                throw new ShapeException($"reshape: cannot reshape {x.Shape} ({x.Shape.Size} elements) to ({string.Join(", ", dims)})\n  in: {x}");
            dims = (int[])dims.Clone();
            dims[unknown] = (int)(x.Shape.Size / known);
        }
        return Primitive.Build(new ReshapeOp(new Shape(dims)), x);
    }

    /// <summary>A one-element expression spread over <paramref name="shape"/>.</summary>
    internal static Expr Fill0(Expr single, Shape shape) =>
        BroadcastTo(single.Rank == 0 ? single : Reshape(single, Shape.Scalar), shape);
}
