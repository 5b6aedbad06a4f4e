namespace FunctionalAD.FSharp

open FunctionalAD

/// <summary>
/// Positions, gathers and scatters (<c>tf.math.argmax</c>, <c>tf.gather</c>, <c>tf.gather_nd</c>,
/// <c>tf.tensor_scatter_nd_add</c>, <c>tf.nn.embedding_lookup</c>) curried with the tensor last, so they pipe:
/// <c>logits |&gt; Indexing.argmax 1</c>, <c>x |&gt; Indexing.gather 0 ids</c>. Indices are int32; an index outside
/// its axis fails at evaluation naming it and its position.
/// </summary>
module Indexing =

    /// <summary>The int32 position of the largest element along <paramref name="axis"/> (first on ties), the axis dropped.</summary>
    let argmax (axis: int) (x: Expr) : Expr = Ex.ArgMax(x, axis)

    /// <summary>The int32 position of the smallest element along <paramref name="axis"/> (first on ties), the axis dropped.</summary>
    let argmin (axis: int) (x: Expr) : Expr = Ex.ArgMin(x, axis)

    /// <summary>tf.gather(x, indices, axis): shape x.shape[:axis] + indices.shape + x.shape[axis+1:].</summary>
    let gather (axis: int) (indices: Expr) (x: Expr) : Expr = Ex.Gather(x, indices, axis)

    /// <summary>tf.gather(x, indices, axis, batch_dims): the first batchDims axes of x and indices matched one to one.</summary>
    let gatherBatched (batchDims: int) (axis: int) (indices: Expr) (x: Expr) : Expr = Ex.Gather(x, indices, axis, batchDims)

    /// <summary>tf.gather_nd(x, indices): the blocks named by the index tuples on the last axis of indices.</summary>
    let gatherNd (indices: Expr) (x: Expr) : Expr = Ex.GatherNd(x, indices)

    /// <summary>tf.tensor_scatter_nd_add(x, indices, updates): x with each update block added where its tuple points.</summary>
    let scatterNdAdd (indices: Expr) (updates: Expr) (x: Expr) : Expr = Ex.ScatterNdAdd(x, indices, updates)

    /// <summary>tf.nn.embedding_lookup(table, ids): the table's rows for the ids, so <c>ids |&gt; Indexing.embedding table</c>.</summary>
    let embedding (table: Expr) (ids: Expr) : Expr = Ex.Embedding(table, ids)
