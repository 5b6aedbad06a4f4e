using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// The int32 indices that sort each row (the last axis), as <c>tf.argsort(x, direction, stable=True)</c>: ascending
/// or descending, equal elements keeping their order, NaN counting as above +∞ (last when ascending, first when
/// descending). Piecewise constant, so no derivative passes.
/// </summary>
public sealed class ArgSortOp(bool descending) : Primitive
{
    /// <summary>True for largest first.</summary>
    public bool Descending { get; } = descending;
    /// <inheritdoc/>
    public override string Name => "argsort";
    internal override string Key => Descending ? "argsort[desc]" : "argsort";
    internal override string Format(string[] a) => Descending ? $"argsort({a[0]}, descending)" : $"argsort({a[0]})";

    /// <summary>TopK over the whole last axis (sorted, ties by position), NaN last ascending and first descending.</summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => node.Shape.Size == 0
        ? OnnxLayout.Empty(b, node)
        : OnnxLayout.ToInt32(b, OnnxLayout.StableOrder(b, a[0], node.Arg(0).DType, node.Shape[-1], node.Shape[-1], largest: Descending));

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        SameFloat(args);
        if (args[0].Rank == 0) throw new ShapeException("argsort: x must have at least one axis, got a scalar");
        return (args[0].Shape, DType.Int32);
    }

    internal override void Forward(Tensor[] args, Tensor result)
    {
        if (args[0].DType == DType.Float32) Rows(args[0].Array<float>(), 0, result.Span<int>(), args[0].Shape[-1], Descending);
        else Rows(args[0].Array<double>(), 0, result.Span<int>(), args[0].Shape[-1], Descending);
    }

    /// <summary>
    /// The stable sorting permutation of each row of <paramref name="n"/> keys starting at <paramref name="offset"/>
    /// of <paramref name="keys"/>, into <paramref name="idx"/>; allocates nothing.
    /// </summary>
    internal static void Rows<T>(T[] keys, int offset, Span<int> idx, int n, bool descending) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start < idx.Length; start += n)
        {
            var row = idx.Slice(start, n);
            for (int i = 0; i < n; i++) row[i] = i;
            row.Sort(new Order<T>(keys, offset + start, descending));
        }
    }

    /// <summary>
    /// Index order by key, NaN above everything (last ascending, first descending; -0 equals +0), ties broken by
    /// position: a total order, so the unstable introsort gives the stable result.
    /// </summary>
    private readonly struct Order<T>(T[] keys, int offset, bool descending) : IComparer<int> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int Compare(int i, int j)
        {
            T a = keys[offset + i], b = keys[offset + j];
            int c = T.IsNaN(a) ? (T.IsNaN(b) ? 0 : 1) : T.IsNaN(b) ? -1 : a < b ? -1 : a > b ? 1 : 0;
            return c != 0 ? (descending ? -c : c) : i.CompareTo(j);
        }
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) => node.Arg(0).DType == DType.Float32
        ? new ArgSortStep<float>(args[0], result, node.Shape[-1], Descending)
        : new ArgSortStep<double>(args[0], result, node.Shape[-1], Descending);

    internal override bool Differentiable(int arg) => false;
    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.ZerosLike(y.Arg(0));
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.ZerosLike(y);
}

/// <summary>The compiled step of <see cref="ArgSortOp"/>: the interpreter's kernel over workspace storage.</summary>
internal sealed class ArgSortStep<T>(Loc x, Loc idx, int n, bool descending) : Step where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run(Workspace ws) => ArgSortOp.Rows(ws.Array<T>(x), x.Offset, ws.Span<int>(idx), n, descending);
    public override string Describe() => $"argsort rows of {n}{(descending ? " descending" : "")} {x} -> {idx}";
}

/// <summary>The compiled step of <see cref="PermuteRowsOp"/>: the interpreter's kernel over workspace spans.</summary>
internal sealed class PermuteRowsStep<T>(Loc v, Loc p, Loc y, int n, bool inverse) : Step where T : unmanaged
{
    public override void Run(Workspace ws) => PermuteRowsOp.Rows<T>(ws.Span<T>(v), ws.Span<int>(p), ws.Span<T>(y), n, inverse);
    public override string Describe() => $"permute rows of {n}{(inverse ? " inverse" : "")} {v} by {p} -> {y}";
}

/// <summary>
/// Each row (the last axis) of v rearranged by an int32 permutation p of the same shape: y[…, j] = v[…, p[…, j]], or,
/// with <see cref="Inverse"/>, the scatter y[…, p[…, j]] = v[…, j]. The two undo each other and are each other's
/// transpose, so the VJP of one is the other and the JVP is the same rearrangement of the tangent.
/// </summary>
public sealed class PermuteRowsOp(bool inverse) : Primitive
{
    /// <summary>True for the scatter y[p[j]] = v[j].</summary>
    public bool Inverse { get; } = inverse;
    /// <inheritdoc/>
    public override string Name => "permute_rows";
    internal override string Key => Inverse ? "permute_rows[inv]" : "permute_rows";
    internal override string Format(string[] a) => Inverse ? $"permute_rows({a[0]}, {a[1]}, inverse)" : $"permute_rows({a[0]}, {a[1]})";

    /// <summary>GatherElements along the last axis; the inverse is ScatterElements of v at p (over v, all overwritten).</summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => node.Shape.Size == 0 ? b.Node("Identity", [a[0]])
        : Inverse ? b.Node("ScatterElements", [a[0], a[1], a[0]], OnnxAttribute.Int("axis", -1))
        : b.Node("GatherElements", [a[0], a[1]], OnnxAttribute.Int("axis", -1));

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(new[] { args[0] });
        if (args[1].DType != DType.Int32) throw new DTypeException($"permute_rows: the permutation must be int32, got {args[1].DType.Name()}");
        if (args[0].Shape != args[1].Shape)
            throw new ShapeException($"permute_rows: values {args[0].Shape} and permutation {args[1].Shape} must have one shape");
        if (args[0].Rank == 0) throw new ShapeException("permute_rows: values must have at least one axis, got a scalar");
        return (args[0].Shape, dt);
    }

    internal override void Kernel<T>(Tensor[] args, Tensor result) =>
        Rows<T>(args[0].Span<T>(), args[1].Span<int>(), result.Span<T>(), args[0].Shape[-1], Inverse);

    /// <summary>The rearrangement over whole rows of <paramref name="n"/>; an index outside the row is an error.</summary>
    internal static void Rows<T>(ReadOnlySpan<T> v, ReadOnlySpan<int> p, Span<T> y, int n, bool inverse)
    {
        for (int start = 0; start < v.Length; start += n)
            for (int j = 0; j < n; j++)
            {
                int k = p[start + j];
                if ((uint)k >= (uint)n) throw new FunctionalADException($"permute_rows: index {k} is outside a row of {n}");
                if (inverse) y[start + k] = v[start + j];
                else y[start + j] = v[start + k];
            }
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) => node.DType == DType.Float32
        ? new PermuteRowsStep<float>(args[0], args[1], result, node.Shape[-1], Inverse)
        : new PermuteRowsStep<double>(args[0], args[1], result, node.Shape[-1], Inverse);

    internal override bool Differentiable(int arg) => arg == 0;
    internal override Expr? Simplify(Expr[] a) => Ex.IsZero(a[0]) ? Ex.ZerosLike(a[0]) : null;
    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.PermuteRows(g, y.Arg(1), !Inverse);
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.PermuteRows(t[0]!, y.Arg(1), Inverse);
}

public static partial class Ex
{
    /// <summary>
    /// The int32 indices that sort each row (the last axis) of x, as <c>tf.argsort(x, direction='ASCENDING' or
    /// 'DESCENDING', stable=True)</c>; NaN counts as above +∞. Not differentiable.
    /// </summary>
    public static Expr ArgSort(Expr x, bool descending = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Primitive.Build(new ArgSortOp(descending), x);
    }

    /// <summary>
    /// Each row (the last axis) of x sorted, as <c>tf.sort(x, direction)</c>: x rearranged by <see cref="ArgSort"/>.
    /// Its VJP scatters the cotangent back through the permutation (each element gets the gradient of the place it
    /// went to; equal elements keep their order, so ties give the gradient by position).
    /// </summary>
    public static Expr Sort(Expr x, bool descending = false) => PermuteRows(x, ArgSort(x, descending));

    /// <summary>
    /// Each row (the last axis) of <paramref name="v"/> rearranged by the int32 <paramref name="permutation"/> of the
    /// same shape: y[…, j] = v[…, p[…, j]] (what <c>tf.gather(v, p, batch_dims=rank-1)</c> gives for a permutation),
    /// or the inverse scatter y[…, p[…, j]] = v[…, j].
    /// </summary>
    public static Expr PermuteRows(Expr v, Expr permutation, bool inverse = false)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(permutation);
        return Primitive.Build(new PermuteRowsOp(inverse), v, permutation);
    }
}
