namespace FunctionalAD;

/// <summary>
/// gather_nd(x, i), as <c>tf.gather_nd</c> (batch_dims = 0): for int32 indices of shape I + [q], q ≤ rank x, the
/// result of shape I + x.shape[q:] holds at each position p the block x[i[p, 0], …, i[p, q−1]]. An index outside
/// its axis raises a <see cref="FunctionalADException"/> at evaluation naming the index and its position, as
/// TensorFlow does on CPU. vjp_x = scatter_nd_add(0, i, g), jvp = gather_nd(t, i); the indices carry no derivative.
/// </summary>
public sealed class GatherNdOp : Primitive
{
    internal static readonly GatherNdOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "gather_nd";

    /// <summary>GatherND (batch_dims 0) with the indices cast to int64.</summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => node.Shape.Size == 0
        ? OnnxLayout.Empty(b, node)
        : b.Node("GatherND", [a[0], OnnxLayout.ToInt64(b, a[1])]);

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var (x, i) = (args[0], args[1]);
        int q = NdIndex.Depth(Name, x.Shape, i);
        return (new Shape(i.Shape.Take(i.Rank - 1).Concat(x.Shape.Skip(q)).ToArray()), x.DType);
    }

    internal override void Forward(Tensor[] args, Tensor result) => NdIndex.ByType(result.DType, new Eager(args, result));

    private readonly struct Eager(Tensor[] args, Tensor result) : NdIndex.IKernel
    {
        public void Run<T>() where T : unmanaged, System.Numerics.INumber<T> =>
            NdIndex.Gather("gather_nd", args[0].Span<T>(), args[0].Shape, args[1].Span<int>(), args[1].Shape, result.Span<T>());
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) =>
        new GatherNdStep(args[0], args[1], result, node.Arg(0).Shape, node.Arg(1).Shape);

    private sealed class GatherNdStep(Loc x, Loc i, Loc dst, Shape xs, Shape @is) : Step
    {
        public override void Run(Workspace ws) => NdIndex.ByType(dst.DType, new Compiled(ws, x, i, dst, xs, @is));
        public override string Describe() => $"gather_nd {x}, {i} -> {dst}";
    }

    private readonly struct Compiled(Workspace ws, Loc x, Loc i, Loc dst, Shape xs, Shape @is) : NdIndex.IKernel
    {
        public void Run<T>() where T : unmanaged, System.Numerics.INumber<T> =>
            NdIndex.Gather("gather_nd", ws.Span<T>(x), xs, ws.Span<int>(i), @is, ws.Span<T>(dst));
    }

    internal override bool Differentiable(int arg) => arg == 0;
    internal override Expr Vjp(Apply y, int arg, Expr g) => arg == 0
        ? Ex.ScatterNdAdd(Ex.ZerosLike(y.Arg(0)), y.Arg(1), g)
        : Ex.ZerosLike(y.Arg(1));
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.GatherNd(t[0]!, y.Arg(1));
}

/// <summary>Checks and walks of int32 index tuples (the last axis of an index tensor), shared by gather and scatter.</summary>
internal static class NdIndex
{
    /// <summary>q, the length of each index tuple, after checking dtypes and ranks.</summary>
    internal static int Depth(string op, Shape x, Expr indices)
    {
        if (indices.DType != DType.Int32) throw new DTypeException($"{op}: indices must be int32, got {indices.DType.Name()} (use Cast)");
        if (indices.Rank == 0) throw new ShapeException($"{op}: indices need at least one axis (the last holds each index tuple), got a scalar");
        int q = indices.Shape[indices.Rank - 1];
        if (q > x.Rank) throw new ShapeException($"{op}: index tuples of length {q} (last axis of indices {indices.Shape}) exceed the rank {x.Rank} of {x}");
        return q;
    }

    /// <summary>The flat offset of the block index tuple <paramref name="p"/> names, or an error naming it.</summary>
    internal static int Offset(string op, Shape x, ReadOnlySpan<int> idx, Shape @is, int p, int q, int block)
    {
        int off = 0;
        for (int a = 0; a < q; a++)
        {
            int v = idx[p * q + a];
            if ((uint)v >= (uint)x[a])
                throw new FunctionalADException(
                    $"{op}: index {v} at {Position(@is, p * q + a)} of the indices is outside axis {a} of size {x[a]} (shape {x})");
            off = off * x[a] + v;
        }
        return off * block;
    }

    private static string Position(Shape s, int flat)
    {
        var index = new int[s.Rank];
        for (int a = s.Rank - 1; a >= 0; a--) { index[a] = flat % s[a]; flat /= s[a]; }
        return $"[{string.Join(", ", index)}]";
    }

    private static (int Tuples, int Q, int Block) Split(Shape x, Shape @is)
    {
        int q = @is[@is.Rank - 1], tuples = 1, block = 1;
        for (int a = 0; a < @is.Rank - 1; a++) tuples *= @is[a];
        for (int a = q; a < x.Rank; a++) block *= x[a];
        return (tuples, q, block);
    }

    /// <summary>dst[p, :] = x[idx[p], :] for every tuple p, all tuples checked first so a bad one writes nothing.</summary>
    internal static void Gather<T>(string op, ReadOnlySpan<T> x, Shape xs, ReadOnlySpan<int> idx, Shape @is, Span<T> dst)
    {
        var (tuples, q, block) = Split(xs, @is);
        for (int p = 0; p < tuples; p++) Offset(op, xs, idx, @is, p, q, block);
        for (int p = 0; p < tuples; p++)
            x.Slice(Offset(op, xs, idx, @is, p, q, block), block).CopyTo(dst.Slice(p * block, block));
    }

    /// <summary>dst[idx[p], :] += u[p, :] for every tuple p (dst already holds the base), tuples checked first.</summary>
    internal static void ScatterAdd<T>(string op, Shape xs, ReadOnlySpan<int> idx, Shape @is, ReadOnlySpan<T> u, Span<T> dst)
        where T : System.Numerics.INumber<T>
    {
        var (tuples, q, block) = Split(xs, @is);
        for (int p = 0; p < tuples; p++) Offset(op, xs, idx, @is, p, q, block);
        for (int p = 0; p < tuples; p++)
        {
            var to = dst.Slice(Offset(op, xs, idx, @is, p, q, block), block);
            var from = u.Slice(p * block, block);
            for (int k = 0; k < block; k++) to[k] += from[k];
        }
    }

    /// <summary>Runs <paramref name="f"/> instantiated for <paramref name="d"/> (generic, so the struct is not boxed).</summary>
    internal static void ByType<TK>(DType d, TK f) where TK : IKernel
    {
        if (d == DType.Float32) f.Run<float>();
        else if (d == DType.Float64) f.Run<double>();
        else f.Run<int>();
    }

    /// <summary>A kernel written once for every element type.</summary>
    internal interface IKernel
    {
        void Run<T>() where T : unmanaged, System.Numerics.INumber<T>;
    }
}

public static partial class Ex
{
    /// <summary>
    /// The blocks of <paramref name="x"/> named by the int32 index tuples on the last axis of
    /// <paramref name="indices"/>: <c>tf.gather_nd(x, indices, batch_dims)</c>. With I + [q] the shape of the
    /// indices, the result has shape I + x.shape[q:] (batch_dims axes leading both are matched one to one). An
    /// index outside its axis fails at evaluation, naming it.
    /// </summary>
    public static Expr GatherNd(Expr x, Expr indices, int batchDims = 0)
    {
        NotNull(x, nameof(x), "gather_nd");
        NotNull(indices, nameof(indices), "gather_nd");
        return Primitive.Build(GatherNdOp.Instance, x, Batched(x, indices, batchDims, "gather_nd"));
    }

    /// <summary>
    /// Index tuples that also name the batch position: with b batch axes, (b₀…, i…) for each tuple i, so a batched
    /// gather is a plain one over the same tensor.
    /// </summary>
    private static Expr Batched(Expr x, Expr indices, int batchDims, string op)
    {
        if (batchDims < 0 || batchDims >= indices.Rank || batchDims > x.Rank)
            throw new ArgumentOutOfRangeException(nameof(batchDims), batchDims,
                $"{op}: batch_dims must lie in 0..{Math.Min(indices.Rank - 1, x.Rank)} for indices {indices.Shape} and x {x.Shape}");
        if (batchDims == 0) return indices;
        for (int a = 0; a < batchDims; a++)
            if (x.Shape[a] != indices.Shape[a])
                throw new ShapeException($"{op}: batch axis {a} has size {x.Shape[a]} in x {x.Shape} but {indices.Shape[a]} in indices {indices.Shape}");
        var tuples = indices.Shape.Take(indices.Rank - 1).ToArray();
        var lead = new Shape(tuples.Append(batchDims).ToArray());
        var coords = new int[lead.Size];
        var strides = new Shape(tuples).Strides();
        for (int p = 0, n = coords.Length / batchDims; p < n; p++)
            for (int a = 0; a < batchDims; a++) coords[p * batchDims + a] = p / strides[a] % tuples[a];
        return Concat(new[] { Const(Tensor.From(coords, lead)), indices }, -1);
    }
}
