namespace FunctionalAD;

/// <summary>
/// Index arithmetic shared by the broadcasting and reduction drivers: inputs are described by
/// strides aligned to an output shape, with stride 0 on axes they are broadcast along.
/// </summary>
internal static class Strided
{
    /// <summary>Strides of a row-major <paramref name="input"/> read as if broadcast to <paramref name="output"/>.</summary>
    public static int[] Aligned(Shape input, Shape output)
    {
        var s = new int[output.Rank];
        var own = input.Strides();
        int off = output.Rank - input.Rank;
        for (int i = 0; i < input.Rank; i++)
            s[i + off] = input[i] == 1 && output[i + off] != 1 ? 0 : own[i];
        return s;
    }

    /// <summary>Strides <paramref name="s"/> of a value of shape <paramref name="from"/> read as broadcast to <paramref name="to"/>: 0 along new and size-1 axes.</summary>
    public static int[] Align(int[] s, Shape from, Shape to)
    {
        var r = new int[to.Rank];
        int off = to.Rank - from.Rank;
        for (int i = 0; i < from.Rank; i++) r[i + off] = from[i] == 1 ? 0 : s[i];
        return r;
    }

    /// <summary>For every element of <paramref name="output"/> in order, the index of the element of a row-major <paramref name="input"/> broadcast to it.</summary>
    public static int[] Offsets(Shape input, Shape output)
    {
        var st = Aligned(input, output);
        var r = new int[output.Size];
        for (int i = 0; i < r.Length; i++)
        {
            int rem = i, off = 0;
            for (int ax = output.Rank - 1; ax >= 0; ax--)
            {
                off += rem % output[ax] * st[ax];
                rem /= output[ax];
            }
            r[i] = off;
        }
        return r;
    }

    /// <summary>
    /// Merges neighbouring axes that every operand walks contiguously (or all skip), and drops size-1 axes,
    /// so the innermost loop is as long as possible.
    /// </summary>
    public static (int[] dims, int[][] strides) Collapse(int[] dims, params int[][] strides)
    {
        var d = new List<int>();
        var s = strides.Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == 1) continue;
            if (d.Count > 0)
            {
                int last = d.Count - 1;
                bool merge = true;
                for (int k = 0; k < strides.Length; k++)
                    if (s[k][last] != strides[k][i] * dims[i]) { merge = false; break; }
                if (merge)
                {
                    d[last] *= dims[i];
                    for (int k = 0; k < strides.Length; k++) s[k][last] = strides[k][i];
                    continue;
                }
            }
            d.Add(dims[i]);
            for (int k = 0; k < strides.Length; k++) s[k].Add(strides[k][i]);
        }
        if (d.Count == 0)
        {
            d.Add(1);
            foreach (var l in s) l.Add(1);
        }
        return (d.ToArray(), s.Select(l => l.ToArray()).ToArray());
    }

    /// <summary>
    /// Visits every row of the innermost axis: <paramref name="row"/> gets the offset of each operand at the row's
    /// start (operand 0 is the output, contiguous).
    /// </summary>
    public static void ForEachRow(int[] dims, int[][] strides, Action<int[]> row)
    {
        int rank = dims.Length, n = strides.Length;
        var idx = new int[rank];
        var off = new int[n];
        long rows = 1;
        for (int i = 0; i < rank - 1; i++) rows *= dims[i];
        for (long r = 0; r < rows; r++)
        {
            row(off);
            for (int ax = rank - 2; ax >= 0; ax--)
            {
                idx[ax]++;
                for (int k = 0; k < n; k++) off[k] += strides[k][ax];
                if (idx[ax] < dims[ax]) break;
                for (int k = 0; k < n; k++) off[k] -= strides[k][ax] * dims[ax];
                idx[ax] = 0;
            }
        }
    }
}
