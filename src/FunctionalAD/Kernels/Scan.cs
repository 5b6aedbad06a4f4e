using System.Numerics;
using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>Scans along one axis, a whole row of the inner axes at a time: the kernels of cumsum and linear_scan.</summary>
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
}
