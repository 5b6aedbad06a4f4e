using System.Text;

namespace FunctionalAD.Interactive;

/// <summary>
/// A tensor as NumPy-like text. Small tensors print exactly as <see cref="Tensor.ToString"/> does (TensorFlow's
/// form); larger ones are summarised as NumPy summarises them: each axis longer than twice the edge count keeps
/// its first and last entries with "..." between, and the number format is chosen from the entries shown.
/// </summary>
internal static class TensorText
{
    public static string Format(Tensor t)
    {
        if (t.Size <= NotebookSettings.SummaryThreshold) return t.ToString();
        int edge = NotebookSettings.EdgeItems;
        var kept = Enumerable.Range(0, t.Rank).Select(axis => Kept(t.Shape[axis], edge)).ToArray();
        var cells = Cells(t, kept);
        var sb = new StringBuilder();
        int pos = 0;
        Nest(sb, t.Rank, 0, kept, cells, ref pos);
        var sep = t.Rank >= 2 ? "\n" : "";
        return $"tf.Tensor({sep}{sb}, shape={t.Shape}, dtype={t.DType.Name()})";
    }

    /// <summary>The indices shown along an axis of length <paramref name="n"/>; a gap (-1) marks the "...".</summary>
    public static int[] Kept(int n, int edge) =>
        n <= 2 * edge ? Enumerable.Range(0, n).ToArray()
        : Enumerable.Range(0, edge).Append(-1).Concat(Enumerable.Range(n - edge, edge)).ToArray();

    /// <summary>Row-major flat offsets of the entries at the kept indices (gaps skipped).</summary>
    public static List<int> Offsets(Shape shape, int[][] kept)
    {
        var strides = shape.Strides();
        var offsets = new List<int> { 0 };
        for (int axis = 0; axis < shape.Rank; axis++)
        {
            var next = new List<int>(offsets.Count * kept[axis].Length);
            foreach (var o in offsets)
                foreach (var i in kept[axis])
                    if (i >= 0) next.Add(o + i * strides[axis]);
            offsets = next;
        }
        return offsets;
    }

    /// <summary>
    /// The text of each shown entry, in order, all of one width. The library's own formatter lays out the
    /// shown entries as a vector, so numbers here look exactly as they do everywhere else; its cells are
    /// padded to one width and separated by one space, which is how they are cut apart again.
    /// </summary>
    public static string[] Cells(Tensor t, int[][] kept)
    {
        var all = t.ToDoubleArray();
        var shown = Offsets(t.Shape, kept).Select(o => all[o]).ToArray();
        if (shown.Length == 0) return Array.Empty<string>();
        var text = Tensor.From(shown).Cast(t.DType).FormatValues();
        var inner = text[1..^1];
        int n = shown.Length;
        int width = (inner.Length - (n - 1)) / n;
        if (width * n + n - 1 == inner.Length)
            return Enumerable.Range(0, n).Select(i => inner.Substring(i * (width + 1), width)).ToArray();
        // Not the fixed-width layout expected: fall back to the tokens, padded to a common width.
        var tokens = inner.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int w = tokens.Max(s => s.Length);
        return tokens.Select(s => s.PadLeft(w)).ToArray();
    }

    private static void Nest(StringBuilder sb, int rank, int axis, int[][] kept, string[] cells, ref int pos)
    {
        sb.Append('[');
        bool first = true;
        foreach (var i in kept[axis])
        {
            if (axis == rank - 1)
            {
                if (!first) sb.Append(' ');
                sb.Append(i < 0 ? "..." : cells[pos++]);
            }
            else
            {
                if (!first)
                {
                    sb.Append('\n', rank - 1 - axis);
                    sb.Append(' ', axis + 1);
                }
                if (i < 0) sb.Append("...");
                else Nest(sb, rank, axis + 1, kept, cells, ref pos);
            }
            first = false;
        }
        sb.Append(']');
    }
}
