namespace FunctionalAD;

/// <summary>One block of a strided copy: element (i₀..) goes from src[srcOffset + Σ i·srcStrides] to dst[dstOffset + Σ i·dstStrides].</summary>
internal sealed record StridedBlock(Loc Src, int SrcOffset, int[] SrcStrides, int DstOffset, int[] DstStrides, int[] Dims);

/// <summary>Builds the strided copies that data movement compiles to (the layout primitives' compiled steps).</summary>
internal static class StridedCopyStep
{
    /// <summary>A block reading <paramref name="srcStrides"/> per output axis of <paramref name="shape"/>, writing at <paramref name="dstOffset"/> with <paramref name="dstStrides"/>.</summary>
    public static StridedBlock MakeBlock(Loc src, int srcOffset, int[] srcStrides, int dstOffset, int[] dstStrides, Shape shape)
    {
        var (dims, st) = Strided.Collapse(shape.ToArray(), dstStrides, srcStrides);
        return new StridedBlock(src, srcOffset, st[1], dstOffset, st[0], shape.Size == 0 ? new[] { 0 } : dims);
    }

    /// <summary>The copy step for <paramref name="blocks"/> into <paramref name="dst"/> (cleared first when <paramref name="clear"/>), in the storage's element type.</summary>
    public static Step For(Loc dst, bool clear, string what, params StridedBlock[] blocks) => dst.DType switch
    {
        DType.Float32 => new StridedCopyStep<float>(dst, clear, blocks, what),
        DType.Float64 => new StridedCopyStep<double>(dst, clear, blocks, what),
        _ => new StridedCopyStep<int>(dst, clear, blocks, what),
    };

    /// <summary>A contiguous copy of <paramref name="shape"/>'s elements.</summary>
    public static Step Contiguous(Loc src, Loc dst, Shape shape, string what) =>
        For(dst, false, what, MakeBlock(src, 0, shape.Strides(), 0, shape.Strides(), shape));
}

/// <summary>
/// Data movement with its index arithmetic fixed at compile time: copies, transposes, slices, broadcasts,
/// padding and concatenation are all one or more strided copies of a block, optionally into a cleared target.
/// </summary>
internal sealed class StridedCopyStep<T> : Step
{
    private readonly StridedBlock[] _blocks;
    private readonly Loc _dst;
    private readonly bool _clear;
    private readonly string _what;

    public StridedCopyStep(Loc dst, bool clear, StridedBlock[] blocks, string what) => (_dst, _clear, _blocks, _what) = (dst, clear, blocks, what);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Run(Workspace ws)
    {
        var dst = ws.Array<T>(_dst);
        if (_clear) dst.AsSpan(_dst.Offset, _dst.Length).Clear();
        foreach (var b in _blocks) Copy(ws.Array<T>(b.Src), b.Src.Offset + b.SrcOffset, b.SrcStrides, dst, _dst.Offset + b.DstOffset, b.DstStrides, b.Dims);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static void Copy(T[] src, int so, int[] ss, T[] dst, int d0, int[] ds, int[] dims)
    {
        int n = dims[^1], s = ss[^1], t = ds[^1];
        if (n == 0) return;
        var c = new RowCursor(dims, stackalloc int[dims.Length], ss, ds);
        for (long r = 0; r < c.Rows; r++, c.Next())
        {
            int si = so + c.O0, di = d0 + c.O1;
            if (s == 1 && t == 1) Array.Copy(src, si, dst, di, n);
            else if (s == 0 && t == 1) dst.AsSpan(di, n).Fill(src[si]);
            else for (int i = 0; i < n; i++) dst[di + i * t] = src[si + i * s];
        }
    }

    public override string Describe() => $"copy {string.Join(" ", _blocks.Select(b => b.Src.ToString()))} -> {_dst}  [{_what}]";
}

/// <summary>One-hot rows from int32 labels; labels outside 0..depth-1 give rows of zeros, as in the interpreter.</summary>
internal sealed class OneHotStep<T>(Loc labels, Loc dst, int depth) : Step where T : unmanaged, System.Numerics.INumberBase<T>
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Run(Workspace ws)
    {
        var l = ws.Span<int>(labels);
        var d = ws.Span<T>(dst);
        d.Clear();
        for (int i = 0; i < l.Length; i++)
            if ((uint)l[i] < (uint)depth) d[i * depth + l[i]] = T.One;
    }

    public override string Describe() => $"one_hot {labels} -> {dst}";
}

/// <summary>Element type conversion (float to int truncates toward zero, as <see cref="Tensor.Cast"/> does).</summary>
internal sealed class CastStep(Loc src, Loc dst) : Step
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Run(Workspace ws)
    {
        switch (src.DType, dst.DType)
        {
            case (DType.Float32, DType.Float64): Convert(ws.Span<float>(src), ws.Span<double>(dst), v => v); break;
            case (DType.Float64, DType.Float32): Convert(ws.Span<double>(src), ws.Span<float>(dst), v => (float)v); break;
            case (DType.Int32, DType.Float32): Convert(ws.Span<int>(src), ws.Span<float>(dst), v => v); break;
            case (DType.Int32, DType.Float64): Convert(ws.Span<int>(src), ws.Span<double>(dst), v => v); break;
            case (DType.Float32, DType.Int32): Convert(ws.Span<float>(src), ws.Span<int>(dst), v => (int)(double)v); break;
            case (DType.Float64, DType.Int32): Convert(ws.Span<double>(src), ws.Span<int>(dst), v => (int)v); break;
        }
    }

    // The converters are static lambdas: cached delegates, so no allocation per call.
    private static void Convert<TS, TD>(Span<TS> s, Span<TD> d, Func<TS, TD> f)
    {
        for (int i = 0; i < d.Length; i++) d[i] = f(s[i]);
    }

    public override string Describe() => $"cast {src} ({src.DType.Name()}) -> {dst} ({dst.DType.Name()})";
}

/// <summary>
/// A primitive without a compiled kernel, run through its interpreter kernel on tensors owned by the workspace.
/// Correct for any primitive, but the kernel itself may allocate.
/// </summary>
internal sealed class FallbackStep(Apply node, Loc[] args, Loc dst) : Step
{
    /// <summary>The primitive interpreted.</summary>
    public Primitive Primitive => node.Op;

    public override object? CreateState()
    {
        var ts = new Tensor[args.Length + 1];
        for (int i = 0; i < args.Length; i++) ts[i] = Tensor.Uninitialized(node.Arg(i).Shape, node.Arg(i).DType);
        ts[^1] = Tensor.Uninitialized(node.Shape, node.DType);
        return (ts[..^1], ts[^1]);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Run(Workspace ws)
    {
        var (ins, result) = ((Tensor[], Tensor))ws.State[Index]!;
        for (int i = 0; i < args.Length; i++) Move(ws, args[i], ins[i].Data, toTensor: true);
        node.Op.Forward(ins, result);
        Move(ws, dst, result.Data, toTensor: false);
    }

    private static void Move(Workspace ws, Loc l, Array data, bool toTensor)
    {
        switch (l.DType)
        {
            case DType.Float32: Move(ws.Span<float>(l), (float[])data, toTensor); break;
            case DType.Float64: Move(ws.Span<double>(l), (double[])data, toTensor); break;
            default: Move(ws.Span<int>(l), (int[])data, toTensor); break;
        }
    }

    private static void Move<T>(Span<T> s, T[] a, bool toTensor)
    {
        if (toTensor) s.CopyTo(a);
        else a.AsSpan().CopyTo(s);
    }

    public override string Describe() => $"interpret {node.Op.Key} ({string.Join(", ", args)}) -> {dst}";
}
