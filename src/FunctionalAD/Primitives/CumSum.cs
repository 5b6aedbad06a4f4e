using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>
/// Cumulative sum along one axis, as <c>tf.math.cumsum(x, axis, exclusive, reverse)</c>: yₖ = Σ_{j ≤ k} xⱼ, or
/// Σ_{j &lt; k} with <see cref="Exclusive"/>, running from the end with <see cref="Reverse"/>. Linear, so
/// d cumsum(x) = cumsum(dx), and the VJP is the transpose: the cumulative sum of g running the other way.
/// </summary>
public sealed class CumSumOp(int axis, bool exclusive, bool reverse) : Primitive
{
    /// <summary>The axis summed along, normalised to be non-negative.</summary>
    public int Axis { get; } = axis;
    /// <summary>True when yₖ leaves out xₖ itself.</summary>
    public bool Exclusive { get; } = exclusive;
    /// <summary>True when the sum runs from the last element to the first.</summary>
    public bool Reverse { get; } = reverse;
    /// <inheritdoc/>
    public override string Name => "cumsum";
    internal override string Key => $"cumsum[{Axis},{Exclusive},{Reverse}]";
    internal override string Format(string[] a) => ScanFormat.Of("cumsum", a[0], Axis, Exclusive, Reverse);

    internal override (Shape Shape, DType DType) Infer(Expr[] args) => (args[0].Shape, SameFloat(args));

    internal override void Kernel<T>(Tensor[] args, Tensor result)
    {
        var (outer, n, inner) = Scan.Split(args[0].Shape, Axis);
        Scan.CumSum<T>(args[0].Span<T>(), result.Span<T>(), outer, n, inner, Exclusive, Reverse);
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.CumSum(g, Axis, Exclusive, !Reverse);
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.CumSum(t[0]!, Axis, Exclusive, Reverse);
    internal override Expr? Simplify(Expr[] a) => Ex.IsZero(a[0]) ? Ex.ZerosLike(a[0]) : null;
}

/// <summary>The lines of a tensor along one axis, for scans.</summary>
internal static class Scan
{
    /// <summary>The sizes before, along and after <paramref name="axis"/>.</summary>
    public static (int Outer, int N, int Inner) Split(Shape shape, int axis)
    {
        int inner = 1, outer = 1;
        for (int i = axis + 1; i < shape.Rank; i++) inner *= shape[i];
        for (int i = 0; i < axis; i++) outer *= shape[i];
        return (outer, shape[axis], inner);
    }

    /// <summary>
    /// y = cumsum(x) over the middle axis of (outer, n, inner), a whole row of <paramref name="inner"/> elements at a
    /// time: y[k] = y[k-1] + x[k] (x[k-1] when exclusive), running from k = n - 1 when reversed. y must not overlap x.
    /// </summary>
    public static void CumSum<T>(ReadOnlySpan<T> x, Span<T> y, int outer, int n, int inner, bool exclusive, bool reverse)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int block = n * inner;
        for (int o = 0; o < outer; o++)
        {
            var xs = x.Slice(o * block, block);
            var ys = y.Slice(o * block, block);
            for (int k = 0; k < n; k++)
            {
                int row = reverse ? n - 1 - k : k, prev = reverse ? row + 1 : row - 1;
                var yr = ys.Slice(row * inner, inner);
                if (k == 0)
                {
                    if (exclusive) yr.Clear();
                    else xs.Slice(row * inner, inner).CopyTo(yr);
                }
                else TensorPrimitives.Add(ys.Slice(prev * inner, inner), xs.Slice((exclusive ? prev : row) * inner, inner), yr);
            }
        }
    }

    /// <summary>
    /// r[k] = a[k]·r[k-1] + b[k] over the middle axis of (outer, n, inner), r[first] = b[first], from k = n - 1 when
    /// reversed. r must not overlap a or b.
    /// </summary>
    public static void Linear<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> r, int outer, int n, int inner, bool reverse)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int block = n * inner;
        for (int o = 0; o < outer; o++)
        {
            var rs = r.Slice(o * block, block);
            for (int k = 0; k < n; k++)
            {
                int row = reverse ? n - 1 - k : k, prev = reverse ? row + 1 : row - 1, at = o * block + row * inner;
                if (k == 0) b.Slice(at, inner).CopyTo(rs.Slice(row * inner, inner));
                else TensorPrimitives.MultiplyAdd(a.Slice(at, inner), rs.Slice(prev * inner, inner), b.Slice(at, inner), rs.Slice(row * inner, inner));
            }
        }
    }

    /// <summary>x moved one place along the scan's direction, a zero entering at its start: sₖ = xₖ₋₁ (xₖ₊₁ when reversed), s₀ = 0.</summary>
    public static Expr ShiftIn(Expr x, int axis, bool reverse)
    {
        int n = x.Shape[axis];
        if (n == 0) return x;
        var begin = new int[x.Rank];
        var size = x.Shape.ToArray();
        size[axis] = n - 1;
        if (reverse) begin[axis] = 1;
        var before = new int[x.Rank];
        var after = new int[x.Rank];
        (reverse ? after : before)[axis] = 1;
        return Ex.Pad(Ex.Slice(x, begin, size), before, after);
    }
}

/// <summary>The compiled step of <see cref="CumSumOp"/>: the interpreter's kernel over workspace spans.</summary>
internal sealed class CumSumStep<T>(Loc x, Loc y, int outer, int n, int inner, bool exclusive, bool reverse) : Step
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run(Workspace ws) => Scan.CumSum<T>(ws.Span<T>(x), ws.Span<T>(y), outer, n, inner, exclusive, reverse);
    public override string Describe() => $"cumsum ({outer}, {n}, {inner}){(exclusive ? " exclusive" : "")}{(reverse ? " reverse" : "")} {x} -> {y}";
}

/// <summary>The compiled step of <see cref="LinearScanOp"/>: the interpreter's kernel over workspace spans.</summary>
internal sealed class LinearScanStep<T>(Loc a, Loc b, Loc r, int outer, int n, int inner, bool reverse) : Step
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run(Workspace ws) => Scan.Linear<T>(ws.Span<T>(a), ws.Span<T>(b), ws.Span<T>(r), outer, n, inner, reverse);
    public override string Describe() => $"linear_scan ({outer}, {n}, {inner}){(reverse ? " reverse" : "")} {a}, {b} -> {r}";
}

/// <summary>How the scans print their options.</summary>
internal static class ScanFormat
{
    public static string Of(string name, string x, int axis, bool exclusive, bool reverse) =>
        $"{name}({x}, axis={axis.ToString(CultureInfo.InvariantCulture)}{(exclusive ? ", exclusive" : "")}{(reverse ? ", reverse" : "")})";
}

public static partial class Ex
{
    /// <summary>
    /// Cumulative sum along <paramref name="axis"/> (negative counts from the end), as
    /// <c>tf.math.cumsum(x, axis, exclusive, reverse)</c>: yₖ = Σ_{j ≤ k} xⱼ; with <paramref name="exclusive"/>,
    /// Σ_{j &lt; k} xⱼ (y₀ = 0); with <paramref name="reverse"/>, the sums run from the end.
    /// </summary>
    public static Expr CumSum(Expr x, int axis = 0, bool exclusive = false, bool reverse = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0) throw new AxisException($"cumsum: x must have at least one axis, got a scalar\n  in: cumsum({x})");
        return Primitive.Build(new CumSumOp(Axes(new[] { axis }, x, "cumsum")[0], exclusive, reverse), x);
    }
}
