namespace FunctionalAD;

/// <summary>
/// Data movement kernels for every dtype: strided gather (transpose, broadcast, slice), and block copies
/// (concat, pad). Each walks the output row by row with <see cref="Strided"/>.
/// </summary>
internal static class Layout
{
    /// <summary>
    /// Fills <paramref name="result"/> from <paramref name="source"/> read at <paramref name="offset"/> with
    /// <paramref name="strides"/> per output axis (0 for broadcast axes).
    /// </summary>
    public static void Gather(Tensor source, int offset, int[] strides, Tensor result)
    {
        switch (result.Data)
        {
            case float[] f: Gather(source.Array<float>(), offset, strides, f, result.Shape); break;
            case double[] d: Gather(source.Array<double>(), offset, strides, d, result.Shape); break;
            case int[] n: Gather(source.Array<int>(), offset, strides, n, result.Shape); break;
        }
    }

    private static void Gather<T>(T[] src, int offset, int[] strides, T[] dst, Shape shape)
    {
        if (dst.Length == 0) return;
        var (dims, st) = Strided.Collapse(shape.ToArray(), shape.Strides(), strides);
        int n = dims[^1], s = st[1][^1];
        Strided.ForEachRow(dims, st, off =>
        {
            int from = offset + off[1];
            if (s == 1) Array.Copy(src, from, dst, off[0], n);
            else if (s == 0) dst.AsSpan(off[0], n).Fill(src[from]);
            else for (int i = 0; i < n; i++) dst[off[0] + i] = src[from + i * s];
        });
    }

    /// <summary>Copies <paramref name="block"/> into <paramref name="result"/> starting at <paramref name="start"/>, each axis.</summary>
    public static void Place(Tensor block, Tensor result, int[] start)
    {
        var rs = result.Shape.Strides();
        int offset = 0;
        for (int i = 0; i < start.Length; i++) offset += start[i] * rs[i];
        // Scatter is a gather read backwards: walk the block, write into the result's strides.
        switch (result.Data)
        {
            case float[] f: Scatter(block.Array<float>(), block.Shape, f, offset, rs); break;
            case double[] d: Scatter(block.Array<double>(), block.Shape, d, offset, rs); break;
            case int[] n: Scatter(block.Array<int>(), block.Shape, n, offset, rs); break;
        }
    }

    private static void Scatter<T>(T[] src, Shape shape, T[] dst, int offset, int[] strides)
    {
        if (src.Length == 0) return;
        var (dims, st) = Strided.Collapse(shape.ToArray(), shape.Strides(), strides);
        int n = dims[^1], s = st[1][^1];
        Strided.ForEachRow(dims, st, off =>
        {
            int to = offset + off[1];
            if (s == 1) Array.Copy(src, off[0], dst, to, n);
            else for (int i = 0; i < n; i++) dst[to + i * s] = src[off[0] + i];
        });
    }
}
