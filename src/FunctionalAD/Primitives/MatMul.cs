namespace FunctionalAD;

/// <summary>
/// Matrix product C = op(A)·op(B) over the last two axes, batch axes broadcast, where op optionally
/// transposes without copying. With A' = op(A), B' = op(B): dA' = G·B'ᵀ and dB' = A'ᵀ·G, written back
/// as products of the stored operands so the VJP never materialises a transpose either.
/// </summary>
public sealed class MatMulOp(bool transA, bool transB) : Primitive
{
    /// <summary>Whether A is used transposed.</summary>
    public bool TransA { get; } = transA;
    /// <summary>Whether B is used transposed.</summary>
    public bool TransB { get; } = transB;
    /// <inheritdoc/>
    public override string Name => "matmul";
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a)
    {
        string Operand(int i, bool t) => t ? Latex.Tight(a[i]) + "^{\\top}" : Latex.Wrap(a[i], a[i].Prec < Latex.Juxtapose);
        return ($"{Operand(0, TransA)} {Operand(1, TransB)}", Latex.Juxtapose);
    }
    internal override string Key => $"matmul{(TransA ? "T" : "N")}{(TransB ? "T" : "N")}";
    internal override bool SameParameters(Primitive other) => other is MatMulOp m && m.TransA == TransA && m.TransB == TransB;
    internal override int ParameterHash => (TransA ? 1 : 0) + (TransB ? 2 : 0);
    // ONNX MatMul has no transpose flags: a flagged operand is transposed over its last two axes first.
    // An empty inner dimension is an all-zero product, written as such: ONNX Runtime leaves that output unwritten.
    internal override string Export(IOnnxBuilder b, Apply node, string[] a)
    {
        if (node.Arg(0).Shape[TransA ? -2 : -1] == 0)
            return b.Node("Expand", [b.Scalar(0, node.DType), b.Int64s(node.Shape.ToArray().Select(d => (long)d).ToArray())]);
        string Op(string x, int rank, bool t) => t
            ? b.Node("Transpose", [x], OnnxAttribute.Ints("perm", Enumerable.Range(0, rank).Select(i => i < rank - 2 ? i : 2 * rank - 3 - i)))
            : x;
        return b.Node("MatMul", [Op(a[0], node.Arg(0).Rank, TransA), Op(a[1], node.Arg(1).Rank, TransB)]);
    }
    internal override int Precedence => Printer.Product;
    internal override bool IsPostfix(int arg, Expr[] args) => arg == 0 ? TransA : TransB;
    internal override string Format(string[] a) => $"{a[0]}{(TransA ? "ᵀ" : "")} @ {a[1]}{(TransB ? "ᵀ" : "")}";

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(args);
        Shape a = args[0].Shape, b = args[1].Shape;
        if (a.Rank < 2 || b.Rank < 2)
            throw new ShapeException($"matmul: both operands need rank ≥ 2, got {a} and {b} (reshape a vector to (1, n) or (n, 1))");
        var (m, ka) = TransA ? (a[-1], a[-2]) : (a[-2], a[-1]);
        var (kb, n) = TransB ? (b[-1], b[-2]) : (b[-2], b[-1]);
        if (ka != kb)
            throw new ShapeException($"matmul: inner dimensions differ: {a}{(TransA ? "ᵀ" : "")} @ {b}{(TransB ? "ᵀ" : "")} has {ka} ≠ {kb}");
        if (a.Rank == 2 && b.Rank == 2) return (new Shape([m, n], owned: true), dt);
        var batch = Shape.TryBroadcast(a.Leading(a.Rank - 2), b.Leading(b.Rank - 2))
            ?? throw new ShapeException($"matmul: batch dimensions of {a} and {b} do not broadcast");
        return (batch.AppendAxis(m).AppendAxis(n), dt);
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) => node.DType == DType.Float32
        ? CompileStep<float>(node, args, result)
        : CompileStep<double>(node, args, result);

    // The batch's operand offsets are fixed at compile time, so a call does no index arithmetic of its own.
    private Step CompileStep<T>(Apply n, Loc[] args, Loc dst) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Shape a = n.Arg(0).Shape, b = n.Arg(1).Shape, o = n.Shape;
        int m = o[-2], nn = o[-1], k = TransA ? a[-2] : a[-1];
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
        return new MatMulStep<T>(args[0], args[1], dst, TransA, TransB, m, nn, k, offA, offB, $"{a}{(TransA ? "ᵀ" : "")} @ {b}{(TransB ? "ᵀ" : "")}");
    }

    internal override void Kernel<T>(Tensor[] args, Tensor result)
    {
        Tensor a = args[0], b = args[1];
        int ra = a.Rank, rb = b.Rank, ro = result.Rank;
        int m = result.Shape[-2], n = result.Shape[-1], k = TransA ? a.Shape[-2] : a.Shape[-1];
        int lda = a.Shape[-1], ldb = b.Shape[-1];
        var batch = new Shape(result.Shape.Take(ro - 2).ToArray());
        int[] sa = Strided.Aligned(new Shape(a.Shape.Take(ra - 2).ToArray()), batch);
        int[] sb = Strided.Aligned(new Shape(b.Shape.Take(rb - 2).ToArray()), batch);
        int aBlock = a.Shape[-2] * a.Shape[-1], bBlock = b.Shape[-2] * b.Shape[-1];
        var idx = new int[batch.Rank];
        for (int t = 0; t < batch.Size; t++)
        {
            int oa = 0, ob = 0, rem = t;
            for (int ax = batch.Rank - 1; ax >= 0; ax--)
            {
                idx[ax] = rem % batch[ax];
                rem /= batch[ax];
                oa += idx[ax] * sa[ax];
                ob += idx[ax] * sb[ax];
            }
            Gemm.Multiply<T>(TransA, TransB, m, n, k,
                a.Span<T>().Slice(oa * aBlock, aBlock), lda,
                b.Span<T>().Slice(ob * bBlock, bBlock), ldb,
                result.Span<T>().Slice(t * m * n, m * n), n);
        }
    }

    internal override Expr Vjp(Apply y, int arg, Expr g)
    {
        Expr a = y.Arg(0), b = y.Arg(1);
        Expr d = arg == 0
            ? (TransA ? Ex.MatMul(b, g, TransB, true) : Ex.MatMul(g, b, false, !TransB))
            : (TransB ? Ex.MatMul(g, a, true, TransA) : Ex.MatMul(a, g, !TransA, false));
        return Ex.SumTo(d, y.Arg(arg).Shape);
    }

    internal override Expr Jvp(Apply y, Expr?[] t)
    {
        Expr? r = null;
        if (t[0] is { } ta) r = Ex.MatMul(ta, y.Arg(1), TransA, TransB);
        if (t[1] is { } tb) { var s = Ex.MatMul(y.Arg(0), tb, TransA, TransB); r = r is null ? s : r + s; }
        return Ex.BroadcastTo(r!, y.Shape);
    }

    internal override Expr? Simplify(Expr[] a) =>
        Ex.IsZero(a[0]) || Ex.IsZero(a[1]) ? Ex.Zeros(Infer(a).Shape, a[0].DType) : null;
}

public static partial class Ex
{
    /// <summary>
    /// The matrix product over the last two axes, with batch axes broadcast; <paramref name="transposeA"/> and
    /// <paramref name="transposeB"/> use an operand transposed without copying it.
    /// </summary>
    public static Expr MatMul(Expr a, Expr b, bool transposeA = false, bool transposeB = false) =>
        Primitive.Build(new MatMulOp(transposeA, transposeB), a, b);
}
