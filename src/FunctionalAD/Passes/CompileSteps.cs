namespace FunctionalAD;

/// <summary>
/// The kernel step for a node that is not fused: matrix products, reductions the fused kernels do not take,
/// data movement (transpose, slice, broadcast, pad, concat), one-hot, cast; anything else falls back to the
/// primitive's interpreter kernel. Index arithmetic is all worked out here, once.
/// </summary>
internal static class StepFactory
{
    public static Step For(Apply n, Func<Expr, Loc> locOf)
    {
        var dst = locOf(n);
        var args = n.Args.Select(locOf).ToArray();
        switch (n.Op)
        {
            case MatMulOp mm when n.DType.IsFloat():
                return n.DType == DType.Float32 ? MatMul<float>(n, mm, args, dst) : MatMul<double>(n, mm, args, dst);
            case SumOp or MaxOp or LogSumExpOp when n.DType.IsFloat():
            {
                var r = (Reduction)n.Op;
                var kind = n.Op is MaxOp ? ReduceKind.Max : ReduceKind.Sum;
                bool lse = n.Op is LogSumExpOp;
                return n.DType == DType.Float32
                    ? new ReduceStep<float>(args[0], n[0].Shape, r.Axes, dst, kind, lse, n.Op.Key)
                    : new ReduceStep<double>(args[0], n[0].Shape, r.Axes, dst, kind, lse, n.Op.Key);
            }
            case TransposeOp t:
            {
                var s = n[0].Shape.Strides();
                return Gather(n, dst, false, StridedCopyStep<int>.MakeBlock(args[0], 0, t.Perm.Select(p => s[p]).ToArray(), 0, n.Shape.Strides(), n.Shape));
            }
            case SliceOp sl:
            {
                var s = n[0].Shape.Strides();
                int off = sl.Begin.Select((b, i) => b * s[i]).Sum();
                return Gather(n, dst, false, StridedCopyStep<int>.MakeBlock(args[0], off, s, 0, n.Shape.Strides(), n.Shape));
            }
            case BroadcastToOp:
                return Gather(n, dst, false, StridedCopyStep<int>.MakeBlock(args[0], 0, Strided.Aligned(n[0].Shape, n.Shape), 0, n.Shape.Strides(), n.Shape));
            case PadOp p:
            {
                var rs = n.Shape.Strides();
                int off = p.Before.Select((b, i) => b * rs[i]).Sum();
                return Gather(n, dst, true, StridedCopyStep<int>.MakeBlock(args[0], 0, n[0].Shape.Strides(), off, rs, n[0].Shape));
            }
            case ConcatOp c:
            {
                var rs = n.Shape.Strides();
                var blocks = new StridedCopyStep<int>.Block[n.Args.Count];
                int at = 0;
                for (int i = 0; i < blocks.Length; i++)
                {
                    blocks[i] = StridedCopyStep<int>.MakeBlock(args[i], 0, n[i].Shape.Strides(), at * rs[c.Axis], rs, n[i].Shape);
                    at += n[i].Shape[c.Axis];
                }
                return Gather(n, dst, false, blocks);
            }
            case OneHotOp oh:
                return n.DType == DType.Float32 ? new OneHotStep<float>(args[0], dst, oh.Depth) : new OneHotStep<double>(args[0], dst, oh.Depth);
            case CastOp:
                return new CastStep(args[0], dst);
            default:
                return new FallbackStep(n, args, dst);
        }
    }

    /// <summary>A contiguous copy of <paramref name="shape"/>'s elements.</summary>
    public static Step Copy(Loc src, Loc dst, Shape shape, string what)
    {
        var block = StridedCopyStep<int>.MakeBlock(src, 0, shape.Strides(), 0, shape.Strides(), shape);
        return Typed(dst, false, new[] { block }, what);
    }

    private static Step Gather(Apply n, Loc dst, bool clear, params StridedCopyStep<int>.Block[] blocks) => Typed(dst, clear, blocks, n.Op.Key);

    private static Step Typed(Loc dst, bool clear, StridedCopyStep<int>.Block[] blocks, string what)
    {
        // Blocks carry no element type; the step is instantiated for the storage's.
        return dst.DType switch
        {
            DType.Float32 => new StridedCopyStep<float>(dst, clear, Convert<float>(blocks), what),
            DType.Float64 => new StridedCopyStep<double>(dst, clear, Convert<double>(blocks), what),
            _ => new StridedCopyStep<int>(dst, clear, blocks, what),
        };
    }

    private static StridedCopyStep<T>.Block[] Convert<T>(StridedCopyStep<int>.Block[] b) =>
        b.Select(x => new StridedCopyStep<T>.Block(x.Src, x.SrcOffset, x.SrcStrides, x.DstOffset, x.DstStrides, x.Dims)).ToArray();

    private static Step MatMul<T>(Apply n, MatMulOp mm, Loc[] args, Loc dst) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Shape a = n[0].Shape, b = n[1].Shape, o = n.Shape;
        int m = o[-2], nn = o[-1], k = mm.TransA ? a[-2] : a[-1];
        var batch = new Shape(o.Take(o.Rank - 2).ToArray());
        int[] sa = Strided.Aligned(new Shape(a.Take(a.Rank - 2).ToArray()), batch);
        int[] sb = Strided.Aligned(new Shape(b.Take(b.Rank - 2).ToArray()), batch);
        int aBlock = a[-2] * a[-1], bBlock = b[-2] * b[-1];
        var offA = new int[batch.Size];
        var offB = new int[batch.Size];
        for (int t = 0; t < batch.Size; t++)
        {
            int rem = t;
            for (int ax = batch.Rank - 1; ax >= 0; ax--)
            {
                int i = rem % batch[ax];
                rem /= batch[ax];
                offA[t] += i * sa[ax] * aBlock;
                offB[t] += i * sb[ax] * bBlock;
            }
        }
        return new MatMulStep<T>(args[0], args[1], dst, mm.TransA, mm.TransB, m, nn, k, offA, offB, $"{n[0].Shape}{(mm.TransA ? "ᵀ" : "")} @ {n[1].Shape}{(mm.TransB ? "ᵀ" : "")}");
    }
}
