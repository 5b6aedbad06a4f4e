using System.Numerics;
using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>How a reduction combines elements.</summary>
internal enum ReduceKind { Sum, Max }

/// <summary>
/// Reduction over any set of axes, a kernel TensorPrimitives lacks. Axes are merged into runs, then each
/// innermost run is either reduced to one number (TensorPrimitives.Sum/Max over a contiguous row) or
/// accumulated row-wise into the output (TensorPrimitives.Add/Max), so both common layouts vectorise.
/// </summary>
internal static class Reduce
{
    public static void Run<T>(T[] xa, Shape xs, int[] axes, T[] ya, ReduceKind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ya.AsSpan().Fill(kind == ReduceKind.Sum ? T.Zero : T.NegativeInfinity);
        if (xa.Length == 0) return;
        var outStrides = new int[xs.Rank];
        int acc = 1;
        for (int i = xs.Rank - 1; i >= 0; i--)
        {
            if (Array.IndexOf(axes, i) >= 0) continue;
            outStrides[i] = acc;
            acc *= xs[i];
        }
        var (dims, st) = Strided.Collapse(xs.ToArray(), xs.Strides(), outStrides);
        int n = dims[^1];
        bool rowReduces = st[1][^1] == 0;
        Strided.ForEachRow(dims, st, off =>
        {
            var row = new ReadOnlySpan<T>(xa, off[0], n);
            if (rowReduces)
            {
                ref T o = ref ya[off[1]];
                o = kind == ReduceKind.Sum ? o + TensorPrimitives.Sum(row) : T.Max(o, TensorPrimitives.Max(row));
            }
            else
            {
                var o = ya.AsSpan(off[1], n);
                if (kind == ReduceKind.Sum) TensorPrimitives.Add(o, row, o);
                else TensorPrimitives.Max(o, row, o);
            }
        });
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
