using System.Globalization;
using System.Numerics;

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
        T[] x = args[0].Array<T>(), y = result.Array<T>();
        Scan.ForEachLine(args[0].Shape, Axis, Reverse, (start, step, n) =>
        {
            T acc = T.Zero;
            for (int k = 0, at = start; k < n; k++, at += step)
            {
                T v = x[at];
                if (Exclusive) { y[at] = acc; acc += v; }
                else { acc += v; y[at] = acc; }
            }
        });
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.CumSum(g, Axis, Exclusive, !Reverse);
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.CumSum(t[0]!, Axis, Exclusive, Reverse);
    internal override Expr? Simplify(Expr[] a) => Ex.IsZero(a[0]) ? Ex.ZerosLike(a[0]) : null;
}

/// <summary>The lines of a tensor along one axis, for scans.</summary>
internal static class Scan
{
    /// <summary>
    /// Calls <paramref name="line"/>(first index, stride, length) once per line along <paramref name="axis"/>, the first
    /// index and stride pointing from the last element backwards when <paramref name="reverse"/>.
    /// </summary>
    public static void ForEachLine(Shape shape, int axis, bool reverse, Action<int, int, int> line)
    {
        int n = shape[axis], inner = 1, outer = 1;
        for (int i = axis + 1; i < shape.Rank; i++) inner *= shape[i];
        for (int i = 0; i < axis; i++) outer *= shape[i];
        if (n == 0) return;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int first = o * n * inner + i;
                if (reverse) line(first + (n - 1) * inner, -inner, n);
                else line(first, inner, n);
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
