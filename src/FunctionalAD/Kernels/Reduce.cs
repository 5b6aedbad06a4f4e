using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FunctionalAD;

/// <summary>How a reduction combines elements.</summary>
internal enum ReduceKind
{
    /// <summary>Σx.</summary>
    Sum,
    /// <summary>max x.</summary>
    Max,
    /// <summary>log Σ exp(x - m) + m, shifted by the maximum m (by 0 where m is not finite).</summary>
    LogSumExp,
    /// <summary>√Σx².</summary>
    Norm,
}

/// <summary>
/// The index arithmetic of a reduction over a set of axes, worked out once: axes merged into runs, the input walked
/// row by row, each innermost run either reduced to one number or accumulated row-wise into the output.
/// </summary>
internal sealed class ReducePlan
{
    public readonly int[] Dims, XStrides, YStrides;
    public readonly bool RowReduces;
    public readonly int XLength, YLength;

    public ReducePlan(Shape x, int[] axes)
    {
        var outStrides = new int[x.Rank];
        int acc = 1;
        for (int i = x.Rank - 1; i >= 0; i--)
        {
            if (Array.IndexOf(axes, i) >= 0) continue;
            outStrides[i] = acc;
            acc *= x[i];
        }
        var (dims, st) = Strided.Collapse(x.ToArray(), x.Strides(), outStrides);
        (Dims, XStrides, YStrides) = (dims, st[0], st[1]);
        RowReduces = YStrides[^1] == 0;
        (XLength, YLength) = (x.Size, acc);
    }

    /// <summary>Rows of <paramref name="cols"/> contiguous elements, each reduced to one number.</summary>
    public static ReducePlan Rows(int rows, int cols) => new(new Shape(rows, cols), new[] { 1 });

    /// <summary>Scratch elements <see cref="Reduce.Run{T}(ReadOnlySpan{T}, Span{T}, ReducePlan, ReduceKind, Span{T})"/> needs for <paramref name="kind"/>.</summary>
    public int ScratchSize(ReduceKind kind) => kind switch
    {
        ReduceKind.LogSumExp => YLength + Math.Max(Dims[^1], Math.Min(XLength, Reduce.Batch)),
        ReduceKind.Norm => Dims[^1],
        _ => 0,
    };
}

/// <summary>
/// The one reduction kernel, for the interpreter, compiled reduction steps and the row reductions of fused
/// groups alike: Σ, max, log-sum-exp and the Euclidean norm over any axes, vector drivers over every
/// contiguous run (<see cref="Elementwise"/>, compiled fully optimised from the first call, compiled fully optimised from the first call: see docs/engine.md). Log-sum-exp and the norm transform rows through the element-wise operators
/// (<see cref="SubtractOperator"/>, <see cref="ExpOperator"/>, <see cref="LogOperator"/>), so they match the
/// primitives they are made of bit for bit.
/// </summary>
internal static class Reduce
{
    /// <summary>y = reduce(x) by <paramref name="plan"/>; <paramref name="scratch"/> holds at least <see cref="ReducePlan.ScratchSize"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y, ReducePlan plan, ReduceKind kind, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool empty = plan.XLength == 0;
        switch (kind)
        {
            case ReduceKind.Sum:
                y.Clear();
                if (!empty) Walk(x, y, plan, default, ReduceKind.Sum, default);
                return;
            case ReduceKind.Max:
                y.Fill(T.NegativeInfinity);
                if (!empty) Walk(x, y, plan, default, ReduceKind.Max, default);
                return;
            case ReduceKind.Norm:
                y.Clear();
                if (!empty) Walk(x, y, plan, default, ReduceKind.Norm, scratch.Slice(0, plan.Dims[^1]));
                Elementwise.Map<SqrtOperator, T>(y, y);
                return;
            default:
            {
                var m = scratch.Slice(0, y.Length);
                m.Fill(T.NegativeInfinity);
                if (!empty) Walk(x, m, plan, default, ReduceKind.Max, default);
                // A row of -inf (or one holding inf) would give inf - inf; shifting it by 0 instead keeps the IEEE answer.
                for (int i = 0; i < m.Length; i++) if (!T.IsFinite(m[i])) m[i] = T.Zero;
                y.Clear();
                if (empty) { }
                else if (plan.RowReduces && plan.Dims[^1] < Batch / 4) ShortRowsLogSumExp(x, y, plan, m, scratch.Slice(y.Length));
                else Walk(x, y, plan, m, ReduceKind.LogSumExp, scratch.Slice(y.Length, plan.Dims[^1]));
                Elementwise.Map<LogOperator, T>(y, y);
                Elementwise.Map<AddOperator, T>(y, false, m, false, y);
                return;
            }
        }
    }

    /// <summary>Elements of shifted values exponentiated in one pass when rows are short.</summary>
    internal const int Batch = 1024;

    /// <summary>
    /// Σ exp(x - shift) for rows shorter than a few vectors: rows are shifted into one batch and exponentiated in
    /// one vector pass, then summed, instead of paying a padded remainder per row. Every element is computed as
    /// in <see cref="Walk{T}"/> (subtraction rounds the same in scalar and vector code, exp is the same vector
    /// form), so the bits do not depend on which path or batch a row falls in.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShortRowsLogSumExp<T>(ReadOnlySpan<T> x, Span<T> y, ReducePlan p, ReadOnlySpan<T> shift, Span<T> tmp)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = p.Dims[^1], perBatch = Math.Max(1, Math.Min(tmp.Length / Math.Max(1, n), Batch)), k = 0;
        Span<int> outAt = stackalloc int[perBatch];
        var c = new RowCursor(p.Dims, stackalloc int[p.Dims.Length], p.XStrides, p.YStrides);
        long rows = c.Rows;
        for (long r = 0; r < rows; r++, c.Next())
        {
            int xo = c.O0, yo = c.O1;
            var row = x.Slice(xo, n);
            var t = tmp.Slice(k * n, n);
            T s = shift[yo];
            for (int j = 0; j < n; j++) t[j] = row[j] - s;
            outAt[k++] = yo;
            if (k == perBatch || r == rows - 1)
            {
                var all = tmp.Slice(0, k * n);
                Elementwise.Map<ExpOperator, T>(all, all);
                if (Elementwise.IsShortRow<T>(n))
                    for (int i = 0; i < k; i++)
                    {
                        // Left to right from 0, as Elementwise.Sum adds a row this short.
                        T sum = T.Zero;
                        for (int j = i * n, e = j + n; j < e; j++) sum += all[j];
                        y[outAt[i]] += sum;
                    }
                else
                    for (int i = 0; i < k; i++) y[outAt[i]] += Elementwise.Sum<T>(all.Slice(i * n, n));
                k = 0;
            }
        }
    }

    /// <summary>Allocates what <see cref="Run{T}(ReadOnlySpan{T}, Span{T}, ReducePlan, ReduceKind, Span{T})"/> needs: for the interpreter, where a call may allocate.</summary>
    public static void Interpret<T>(Tensor x, int[] axes, Tensor y, ReduceKind kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plan = new ReducePlan(x.Shape, axes);
        Run<T>(x.Span<T>(), y.Span<T>(), plan, kind, new T[plan.ScratchSize(kind)]);
    }

    /// <summary>
    /// One pass over the input: Σ (of x, of x² for Norm, of exp(x - shift) for LogSumExp) or max into y, row by row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Walk<T>(ReadOnlySpan<T> x, Span<T> y, ReducePlan p, ReadOnlySpan<T> shift, ReduceKind kind, Span<T> tmp)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = p.Dims[^1];
        if (p.RowReduces && (kind == ReduceKind.Sum || kind == ReduceKind.Max) && Elementwise.IsShortRow<T>(n) && p.Dims.Length <= 2)
        {
            ShortRows(x, y, p, kind == ReduceKind.Max);
            return;
        }
        var c = new RowCursor(p.Dims, stackalloc int[p.Dims.Length], p.XStrides, p.YStrides);
        for (long r = 0; r < c.Rows; r++, c.Next())
        {
            int xo = c.O0, yo = c.O1;
            var row = x.Slice(xo, n);
            if (kind == ReduceKind.LogSumExp)
            {
                if (p.RowReduces) Elementwise.Map<SubtractOperator, T>(row, false, shift.Slice(yo, 1), true, tmp);
                else Elementwise.Map<SubtractOperator, T>(row, false, shift.Slice(yo, n), false, tmp);
                Elementwise.Map<ExpOperator, T>(tmp, tmp);
                row = tmp;
            }
            else if (kind == ReduceKind.Norm)
            {
                Elementwise.Map<MultiplyOperator, T>(row, false, row, false, tmp);
                row = tmp;
            }
            if (p.RowReduces)
            {
                ref T o = ref y[yo];
                o = kind == ReduceKind.Max ? T.Max(o, Elementwise.Max(row)) : o + Elementwise.Sum(row);
            }
            else
            {
                var o = y.Slice(yo, n);
                if (kind == ReduceKind.Max) Elementwise.Map<MaximumOperator, T>(o, false, row, false, o);
                else Elementwise.Map<AddOperator, T>(o, false, row, false, o);
            }
        }
    }

    /// <summary>
    /// Σ or max of each contiguous row shorter than a vector (class axes of 3 or 10): the row loop without a
    /// cursor or a call per row. Each row is added (or compared) left to right from 0 (−∞), exactly as
    /// <see cref="Elementwise.Sum{T}"/> and <see cref="Elementwise.Max{T}"/> do rows this short, so the bits are
    /// the same whichever path a reduction takes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShortRows<T>(ReadOnlySpan<T> x, Span<T> y, ReducePlan p, bool max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = p.Dims[^1];
        int rows = p.Dims.Length == 2 ? p.Dims[0] : 1, xs = p.Dims.Length == 2 ? p.XStrides[0] : 0, ys = p.Dims.Length == 2 ? p.YStrides[0] : 0;
        if (p.XStrides[^1] != 1 || n == 0) { ShortRowsStrided(x, y, p, max); return; }
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T py = ref MemoryMarshal.GetReference(y);
        for (int r = 0, xo = 0, yo = 0; r < rows; r++, xo += xs, yo += ys)
        {
            ref T row = ref Unsafe.Add(ref px, xo);
            ref T o = ref Unsafe.Add(ref py, yo);
            if (max)
            {
                T m = T.NegativeInfinity;
                for (int j = 0; j < n; j++) m = Elementwise.MaxNaN(m, Unsafe.Add(ref row, j));
                o = T.Max(o, m);
            }
            else
            {
                T s = T.Zero;
                for (int j = 0; j < n; j++) s += Unsafe.Add(ref row, j);
                o += s;
            }
        }
    }

    /// <summary>The strided case of <see cref="ShortRows{T}"/>: same order, through the cursor.</summary>
    private static void ShortRowsStrided<T>(ReadOnlySpan<T> x, Span<T> y, ReducePlan p, bool max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = p.Dims[^1], s1 = p.XStrides[^1];
        var c = new RowCursor(p.Dims, stackalloc int[p.Dims.Length], p.XStrides, p.YStrides);
        for (long r = 0; r < c.Rows; r++, c.Next())
        {
            T a = max ? T.NegativeInfinity : T.Zero;
            for (int j = 0, k = c.O0; j < n; j++, k += s1) a = max ? Elementwise.MaxNaN(a, x[k]) : a + x[k];
            y[c.O1] = max ? T.Max(y[c.O1], a) : y[c.O1] + a;
        }
    }

    /// <summary>The shape of a reduction's result with the reduced axes kept as size 1.</summary>
    public static Shape KeptShape(Shape x, int[] axes)
    {
        var d = x.ToArray();
        foreach (var a in axes) d[a] = 1;
        return new Shape(d);
    }

    /// <summary>The shape of a reduction's result with the reduced axes removed.</summary>
    public static Shape DroppedShape(Shape x, int[] axes) =>
        new(Enumerable.Range(0, x.Rank).Where(i => Array.IndexOf(axes, i) < 0).Select(i => x[i]).ToArray());
}
