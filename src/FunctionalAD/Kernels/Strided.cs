using System.Runtime.CompilerServices;

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
    /// start (operand 0 is the output, contiguous). For the interpreter, where a call may allocate.
    /// </summary>
    public static void ForEachRow(int[] dims, int[][] strides, Action<int[]> row)
    {
        var c = new RowCursor(dims, stackalloc int[dims.Length], strides[0], strides.Length > 1 ? strides[1] : null,
            strides.Length > 2 ? strides[2] : null, strides.Length > 3 ? strides[3] : null);
        var off = new int[strides.Length];
        for (long r = 0; r < c.Rows; r++, c.Next())
        {
            off[0] = c.O0;
            if (off.Length > 1) off[1] = c.O1;
            if (off.Length > 2) off[2] = c.O2;
            if (off.Length > 3) off[3] = c.O3;
            row(off);
        }
    }
}

/// <summary>
/// The one strided iterator: walks the rows (runs along the innermost axis) of a collapsed domain
/// (<see cref="Strided.Collapse"/>) for up to four operands, keeping each operand's offset at the current row's
/// start in <see cref="O0"/>..<see cref="O3"/>. No allocation: the index lives in a span the caller provides.
/// </summary>
internal ref struct RowCursor
{
    private readonly int[] _dims, _s0;
    private readonly int[]? _s1, _s2, _s3;
    private readonly Span<int> _idx;
    public int O0, O1, O2, O3;

    /// <summary>Number of rows: the product of every axis but the last.</summary>
    public readonly long Rows;

    public RowCursor(int[] dims, Span<int> idx, int[] s0, int[]? s1 = null, int[]? s2 = null, int[]? s3 = null)
    {
        _dims = dims;
        _idx = idx;
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
        idx.Clear();
        O0 = O1 = O2 = O3 = 0;
        long rows = 1;
        for (int i = 0; i < dims.Length - 1; i++) rows *= dims[i];
        Rows = rows;
    }

    /// <summary>Moves to row <paramref name="row"/> (in row-major order) directly.</summary>
    public void Seek(long row)
    {
        O0 = O1 = O2 = O3 = 0;
        for (int ax = _dims.Length - 2; ax >= 0; ax--)
        {
            int i = (int)(row % _dims[ax]);
            row /= _dims[ax];
            _idx[ax] = i;
            Move(ax, i);
        }
    }

    /// <summary>Moves to the next row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Next()
    {
        for (int ax = _dims.Length - 2; ax >= 0; ax--)
        {
            _idx[ax]++;
            Move(ax, 1);
            if (_idx[ax] < _dims[ax]) return;
            Move(ax, -_dims[ax]);
            _idx[ax] = 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Move(int ax, int steps)
    {
        O0 += steps * _s0[ax];
        if (_s1 is not null) O1 += steps * _s1[ax];
        if (_s2 is not null) O2 += steps * _s2[ax];
        if (_s3 is not null) O3 += steps * _s3[ax];
    }
}
