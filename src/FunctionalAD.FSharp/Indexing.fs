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

    /// <summary>tf.math.top_k(x, k): the k largest entries of each row (last axis), largest first, and their int32 positions.</summary>
    let topK (k: int) (x: Expr) : Expr * Expr = let struct (v, i) = Ex.TopK(x, k) in v, i

/// <summary>
/// F# slicing on expressions: <c>x.[1..2, *]</c>, <c>x.[0, *]</c>, <c>x.[*, ..1]</c> (ranks 1 to 3; mix one fixed
/// position with ranges on rank 2). F# slice ends are <b>inclusive</b> (<c>x.[1..2]</c> is C#'s <c>x[1..3]</c>);
/// negative bounds count from the end. <c>x.[0]</c> and <c>x.[0, 1]</c> are the C# indexer. All lower to
/// <c>Ex.Index</c>: a fixed position drops its axis, a range keeps it, a position out of range fails when built.
/// </summary>
[<AutoOpen>]
module IndexingSlices =
    open System

    /// An F# slice (inclusive, options for open ends) as a C# range.
    let internal span (start: int option) (finish: int option) : Ix =
        let s = match start with Some v when v < 0 -> Index(-v, true) | Some v -> Index(v) | None -> Index.Start
        let e =
            match finish with
            | Some v when v = -1 -> Index.End
            | Some v when v < 0 -> Index(-(v + 1), true)
            | Some v -> Index(v + 1)
            | None -> Index.End
        let r = Range(s, e)
        Ix.op_Implicit r

    let internal at (i: int) : Ix = Ix.op_Implicit(i: int)

    type Expr with
        /// <summary>x.[a..b] (inclusive) on the first axis.</summary>
        member x.GetSlice(a: int option, b: int option) = Ex.Index(x, span a b)
        /// <summary>x.[a..b, c..d] (inclusive).</summary>
        member x.GetSlice(a: int option, b: int option, c: int option, d: int option) = Ex.Index(x, span a b, span c d)
        /// <summary>x.[i, c..d]: position i of the first axis (dropped), a range of the second.</summary>
        member x.GetSlice(i: int, c: int option, d: int option) = Ex.Index(x, at i, span c d)
        /// <summary>x.[a..b, j]: a range of the first axis, position j of the second (dropped).</summary>
        member x.GetSlice(a: int option, b: int option, j: int) = Ex.Index(x, span a b, at j)
        /// <summary>x.[a..b, c..d, e..f] (inclusive).</summary>
        member x.GetSlice(a: int option, b: int option, c: int option, d: int option, e: int option, f: int option) =
            Ex.Index(x, span a b, span c d, span e f)
