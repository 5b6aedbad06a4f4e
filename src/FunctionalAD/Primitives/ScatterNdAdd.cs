namespace FunctionalAD;

/// <summary>
/// scatter_nd_add(x, i, u), as <c>tf.tensor_scatter_nd_add</c>: a copy of x with each update block u[p] added at
/// the position named by the int32 index tuple i[p] (repeated positions add up). With I + [q] the shape of the
/// indices, u has shape I + x.shape[q:]. vjp_x = g, vjp_u = gather_nd(g, i), jvp = scatter_nd_add(t_x, i, t_u);
/// the indices carry no derivative. An index outside its axis fails at evaluation, naming it.
/// </summary>
public sealed class ScatterNdAddOp : Primitive
{
    internal static readonly ScatterNdAddOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "scatter_nd_add";

    /// <summary>ScatterND with reduction "add" (opset 16+), so repeated positions add up; no updates: x itself.</summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => node.Arg(2).Shape.Size == 0
        ? b.Node("Identity", [a[0]])
        : b.Node("ScatterND", [a[0], OnnxLayout.ToInt64(b, a[1]), a[2]], OnnxAttribute.String("reduction", "add"));

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var (x, i, u) = (args[0], args[1], args[2]);
        if (!x.DType.IsFloat()) throw new DTypeException($"scatter_nd_add: needs a float32 or float64 tensor, got {x.DType.Name()}");
        if (u.DType != x.DType) throw new DTypeException($"scatter_nd_add: updates are {u.DType.Name()} but the tensor is {x.DType.Name()}");
        int q = NdIndex.Depth(Name, x.Shape, i);
        var want = new Shape(i.Shape.Take(i.Rank - 1).Concat(x.Shape.Skip(q)).ToArray());
        if (u.Shape != want)
            throw new ShapeException($"scatter_nd_add: updates must have shape {want} (indices {i.Shape} without their last axis, then {x.Shape} from axis {q}), got {u.Shape}");
        return (x.Shape, x.DType);
    }

    internal override void Forward(Tensor[] args, Tensor result) => NdIndex.ByType(result.DType, new Eager(args, result));

    private readonly struct Eager(Tensor[] args, Tensor result) : NdIndex.IKernel
    {
        public void Run<T>() where T : unmanaged, System.Numerics.INumber<T>
        {
            args[0].Span<T>().CopyTo(result.Span<T>());
            NdIndex.ScatterAdd<T>("scatter_nd_add", args[0].Shape, args[1].Span<int>(), args[1].Shape, args[2].Span<T>(), result.Span<T>());
        }
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) =>
        new ScatterStep(args[0], args[1], args[2], result, node.Shape, node.Arg(1).Shape);

    private sealed class ScatterStep(Loc x, Loc i, Loc u, Loc dst, Shape xs, Shape @is) : Step
    {
        public override void Run(Workspace ws) => NdIndex.ByType(dst.DType, new Compiled(ws, x, i, u, dst, xs, @is));
        public override string Describe() => $"scatter_nd_add {x}, {i}, {u} -> {dst}";
    }

    private readonly struct Compiled(Workspace ws, Loc x, Loc i, Loc u, Loc dst, Shape xs, Shape @is) : NdIndex.IKernel
    {
        public void Run<T>() where T : unmanaged, System.Numerics.INumber<T>
        {
            // The base is copied first; the checks in ScatterAdd then run before any addition, and a failed run's
            // output is not handed out, so nothing half-done is visible.
            var d = ws.Span<T>(dst);
            ws.Span<T>(x).CopyTo(d);
            NdIndex.ScatterAdd<T>("scatter_nd_add", xs, ws.Span<int>(i), @is, ws.Span<T>(u), d);
        }
    }

    internal override bool Differentiable(int arg) => arg != 1;
    internal override Expr Vjp(Apply y, int arg, Expr g) => arg switch
    {
        0 => g,
        2 => Ex.GatherNd(g, y.Arg(1)),
        _ => Ex.ZerosLike(y.Arg(1)),
    };
    internal override Expr Jvp(Apply y, Expr?[] t) =>
        Ex.ScatterNdAdd(t[0] ?? Ex.ZerosLike(y.Arg(0)), y.Arg(1), t[2] ?? Ex.ZerosLike(y.Arg(2)));
}

public static partial class Ex
{
    /// <summary>
    /// A copy of <paramref name="x"/> with each block of <paramref name="updates"/> added at the position its int32
    /// index tuple (last axis of <paramref name="indices"/>) names, repeated positions adding up:
    /// <c>tf.tensor_scatter_nd_add(x, indices, updates)</c>. An index outside its axis fails at evaluation, naming it.
    /// </summary>
    public static Expr ScatterNdAdd(Expr x, Expr indices, Expr updates)
    {
        NotNull(x, nameof(x), "scatter_nd_add");
        NotNull(indices, nameof(indices), "scatter_nd_add");
        NotNull(updates, nameof(updates), "scatter_nd_add");
        return Primitive.Build(ScatterNdAddOp.Instance, x, indices, updates);
    }
}
