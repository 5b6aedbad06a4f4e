namespace FunctionalAD;

public static partial class Ex
{
    /// <summary>
    /// Slices of <paramref name="x"/> along <paramref name="axis"/> at the int32 <paramref name="indices"/> (any rank):
    /// <c>tf.gather(x, indices, axis, batch_dims)</c>. The result has shape
    /// x.shape[:axis] + indices.shape[batchDims:] + x.shape[axis+1:]; with batchDims = b the first b axes of x and of
    /// the indices are matched one to one (b ≤ axis). Negative axis and batchDims count from the end, as in TensorFlow.
    /// A combinator over <see cref="GatherNd"/> (its derivative is a <see cref="ScatterNdAdd"/>, so gradients scatter-add
    /// into the gathered rows and higher derivatives follow). An index outside the axis fails at evaluation, naming it.
    /// </summary>
    public static Expr Gather(Expr x, Expr indices, int axis = 0, int batchDims = 0)
    {
        NotNull(x, nameof(x), "gather");
        NotNull(indices, nameof(indices), "gather");
        if (indices.DType != DType.Int32) throw new DTypeException($"gather: indices must be int32, got {indices.DType.Name()} (use Cast)\n  in: gather({x}, {indices})");
        int b = batchDims < 0 ? batchDims + indices.Rank : batchDims;
        if (b < 0 || b > indices.Rank)
            throw new ArgumentOutOfRangeException(nameof(batchDims), batchDims, $"gather: batch_dims must lie in {-indices.Rank}..{indices.Rank} for indices {indices.Shape}");
        int a = Shape.NormalizeAxis(axis, x.Rank, "gather");
        if (a < b) throw new ArgumentOutOfRangeException(nameof(axis), axis, $"gather: axis {a} must not be less than batch_dims {b}");
        int r = x.Rank, ni = indices.Rank - b, np = a - b;
        // Bring the gathered axis right after the batch axes, gather index tuples of length one, then put the
        // index axes where the gathered axis was.
        var front = Enumerable.Range(0, b).Append(a).Concat(Enumerable.Range(b, np)).Concat(Enumerable.Range(a + 1, r - a - 1)).ToArray();
        var moved = np == 0 ? x : Transpose(x, front);
        var gathered = GatherNd(moved, Reshape(indices, new Shape(indices.Shape.Append(1).ToArray())), b);
        if (np == 0) return gathered;
        var back = Enumerable.Range(0, b).Concat(Enumerable.Range(b + ni, np)).Concat(Enumerable.Range(b, ni))
            .Concat(Enumerable.Range(b + ni + np, gathered.Rank - b - ni - np)).ToArray();
        return Transpose(gathered, back);
    }

    /// <summary>
    /// The rows of <paramref name="table"/> (shape [vocabulary, …]) for the int32 <paramref name="ids"/> (any shape):
    /// <c>tf.nn.embedding_lookup(table, ids)</c>, i.e. gather along axis 0. The gradient scatter-adds into the rows
    /// looked up (a repeated id gets the sum). An id outside the vocabulary fails at evaluation, naming it.
    /// </summary>
    public static Expr Embedding(Expr table, Expr ids)
    {
        NotNull(table, nameof(table), "embedding");
        NotNull(ids, nameof(ids), "embedding");
        if (table.Rank == 0) throw new ShapeException($"embedding: the table needs a vocabulary axis, got a scalar\n  in: {table}");
        return Gather(table, ids);
    }
}
