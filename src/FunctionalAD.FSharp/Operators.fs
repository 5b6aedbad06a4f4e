namespace FunctionalAD.FSharp

open FunctionalAD

/// <summary>
/// Expression functions that read well in pipelines (<c>x *@ w + b |&gt; Expr.relu |&gt; Expr.sum</c>) and the
/// matrix-product operator. F#'s own <c>exp</c>, <c>log</c>, <c>tanh</c>, <c>sqrt</c>, <c>abs</c>, <c>sin</c>,
/// <c>cos</c> and <c>**</c> already apply to expressions (<c>Var</c> and <c>Const</c> return <c>Expr</c>) and to
/// tape results (<c>EagerTensor</c>).
/// </summary>
[<AutoOpen>]
module Operators =

    /// <summary>The matrix product a @ b; it binds like <c>*</c>, so <c>x *@ w + b</c> is (x @ w) + b.</summary>
    let ( *@ ) (a: Expr) (b: Expr) : Expr = Ex.MatMul(a, b)

    /// <summary>
    /// Reads a <c>Variable</c> into an expression (TensorFlow's <c>v.read_value()</c>; a recording tape watches it),
    /// so F#'s own functions apply: <c>w |&gt; read |&gt; sin</c>. F#'s <c>sin</c> needs a member
    /// <c>Variable -&gt; Variable</c>, which a variable cannot have; <c>Sin w</c> (from <c>open type Ex</c>) and
    /// <c>w * 2.0f</c> need no read.
    /// </summary>
    let read (v: Variable) : Expr = v.Read()

    /// <summary>Element-wise a &gt; b as 1 or 0 (F#'s own &gt; compares whole values, so the element-wise form has a dot).</summary>
    let ( .> ) (a: Expr) (b: Expr) : Expr = Ex.Greater(a, b)

    /// <summary>Element-wise a ≥ b as 1 or 0.</summary>
    let ( .>= ) (a: Expr) (b: Expr) : Expr = Ex.GreaterEqual(a, b)

    /// <summary>Element-wise a &lt; b as 1 or 0.</summary>
    let ( .< ) (a: Expr) (b: Expr) : Expr = Ex.Less(a, b)

    /// <summary>Element-wise a ≤ b as 1 or 0.</summary>
    let ( .<= ) (a: Expr) (b: Expr) : Expr = Ex.LessEqual(a, b)

    /// <summary>Element-wise a = b as 1 or 0.</summary>
    let ( .= ) (a: Expr) (b: Expr) : Expr = Ex.Equal(a, b)

    /// <summary>Element-wise a ≠ b as 1 or 0.</summary>
    let ( .<> ) (a: Expr) (b: Expr) : Expr = Ex.NotEqual(a, b)

/// <summary>
/// Curried expression functions, for pipelines: the subject comes last, so <c>x |&gt; Expr.sumAlong 1</c> is
/// Sum(x, 1) and <c>x |&gt; Expr.matmul w</c> is x @ w. F#'s own <c>sin</c>, <c>exp</c>, <c>log</c>, <c>tanh</c>,
/// <c>sqrt</c>, <c>abs</c>, <c>cos</c>, <c>+ - * /</c>, unary minus and <c>**</c> are the forms of those
/// combinators; the element-wise comparisons are <c>.&gt; .&gt;= .&lt; .&lt;= .= .&lt;&gt;</c>.
/// </summary>
module Expr =

    // ---- reductions: all elements, one axis, or several axes with keepDims ----

    /// <summary>Σ of all elements.</summary>
    let sum (x: Expr) : Expr = Ex.Sum(x)

    /// <summary>Σ along one axis.</summary>
    let sumAlong (axis: int) (x: Expr) : Expr = Ex.Sum(x, axis)

    /// <summary>Σ over the given axes, keeping them as size 1 when <paramref name="keepDims"/>.</summary>
    let sumOver (axes: int list) (keepDims: bool) (x: Expr) : Expr = Ex.Sum(x, Array.ofList axes, keepDims)

    /// <summary>The mean of all elements.</summary>
    let mean (x: Expr) : Expr = Ex.Mean(x)

    /// <summary>The mean along one axis.</summary>
    let meanAlong (axis: int) (x: Expr) : Expr = Ex.Mean(x, axis)

    /// <summary>The mean over the given axes.</summary>
    let meanOver (axes: int list) (keepDims: bool) (x: Expr) : Expr = Ex.Mean(x, Array.ofList axes, keepDims)

    /// <summary>The largest element.</summary>
    let max (x: Expr) : Expr = Ex.Max(x)

    /// <summary>The largest element along one axis.</summary>
    let maxAlong (axis: int) (x: Expr) : Expr = Ex.Max(x, axis)

    /// <summary>The largest element over the given axes.</summary>
    let maxOver (axes: int list) (keepDims: bool) (x: Expr) : Expr = Ex.Max(x, Array.ofList axes, keepDims)

    /// <summary>The smallest element.</summary>
    let min (x: Expr) : Expr = Ex.Min(x)

    /// <summary>The smallest element along one axis.</summary>
    let minAlong (axis: int) (x: Expr) : Expr = Ex.Min(x, axis)

    /// <summary>The smallest element over the given axes.</summary>
    let minOver (axes: int list) (keepDims: bool) (x: Expr) : Expr = Ex.Min(x, Array.ofList axes, keepDims)

    /// <summary>log Σ exp(x) over all elements, shifted by the maximum so it never overflows.</summary>
    let logSumExp (x: Expr) : Expr = Ex.LogSumExp(x)

    /// <summary>log Σ exp(x) along one axis.</summary>
    let logSumExpAlong (axis: int) (x: Expr) : Expr = Ex.LogSumExp(x, axis)

    /// <summary>log Σ exp(x) over the given axes.</summary>
    let logSumExpOver (axes: int list) (keepDims: bool) (x: Expr) : Expr = Ex.LogSumExp(x, Array.ofList axes, keepDims)

    /// <summary>‖x‖₂ over all elements.</summary>
    let norm (x: Expr) : Expr = Ex.Norm x

    /// <summary>‖x‖₂ over the given axes.</summary>
    let normOver (axes: int list) (keepDims: bool) (x: Expr) : Expr = Ex.Norm(x, Array.ofList axes, keepDims)

    // ---- element-wise ----

    /// <summary>x² element-wise.</summary>
    let square (x: Expr) : Expr = Ex.Square x

    /// <summary>max(x, 0) element-wise.</summary>
    let relu (x: Expr) : Expr = Ex.Relu x

    /// <summary>1 / (1 + e⁻ˣ) element-wise.</summary>
    let sigmoid (x: Expr) : Expr = Ex.Sigmoid x

    /// <summary>log(1 + eˣ) element-wise.</summary>
    let softplus (x: Expr) : Expr = Ex.Softplus x

    /// <summary>-1, 0 or 1 by the sign of x, element-wise.</summary>
    let sign (x: Expr) : Expr = Ex.Sign x

    /// <summary>x, with a zero derivative: nothing flows back through it.</summary>
    let stopGradient (x: Expr) : Expr = Ex.StopGradient x

    /// <summary>max(x, y) element-wise: <c>x |&gt; Expr.maximum y</c>.</summary>
    let maximum (y: Expr) (x: Expr) : Expr = Ex.Maximum(x, y)

    /// <summary>min(x, y) element-wise: <c>x |&gt; Expr.minimum y</c>.</summary>
    let minimum (y: Expr) (x: Expr) : Expr = Ex.Minimum(x, y)

    /// <summary>xʸ element-wise for an expression y: <c>x |&gt; Expr.pow y</c> (for a number, <c>x ** 2.0</c>).</summary>
    let pow (y: Expr) (x: Expr) : Expr = Ex.Pow(x, y)

    /// <summary>1 where x &gt; y, ½ where x = y, 0 elsewhere: x's share of d max(x, y).</summary>
    let tieShare (y: Expr) (x: Expr) : Expr = Ex.TieShare(x, y)

    /// <summary>x where <paramref name="condition"/> is non-zero, else y: <c>condition |&gt; Expr.where x y</c>.</summary>
    let where (x: Expr) (y: Expr) (condition: Expr) : Expr = Ex.Where(condition, x, y)

    /// <summary>The values converted to <paramref name="dtype"/>.</summary>
    let cast (dtype: DType) (x: Expr) : Expr = Ex.Cast(x, dtype)

    // ---- softmax and friends ----

    /// <summary>exp(xᵢ) / Σⱼ exp(xⱼ) along the last axis.</summary>
    let softmax (x: Expr) : Expr = Ex.Softmax x

    /// <summary>Softmax along the given axis.</summary>
    let softmaxAlong (axis: int) (x: Expr) : Expr = Ex.Softmax(x, axis)

    /// <summary>xᵢ - log Σⱼ exp(xⱼ) along the last axis.</summary>
    let logSoftmax (x: Expr) : Expr = Ex.LogSoftmax x

    /// <summary>Log-softmax along the given axis.</summary>
    let logSoftmaxAlong (axis: int) (x: Expr) : Expr = Ex.LogSoftmax(x, axis)

    /// <summary>-Σ labels · log softmax(logits) along the last axis, in one fused step: <c>logits |&gt; Expr.softmaxCrossEntropyWithLogits labels</c>.</summary>
    let softmaxCrossEntropyWithLogits (labels: Expr) (logits: Expr) : Expr = Ex.SoftmaxCrossEntropyWithLogits(labels, logits)

    /// <summary>One-hot rows (float32) for int32 labels: <c>labels |&gt; Expr.oneHot 3</c>.</summary>
    let oneHot (depth: int) (labels: Expr) : Expr = Ex.OneHot(labels, depth)

    // ---- products and layout ----

    /// <summary>x @ w: <c>x |&gt; Expr.matmul w</c>.</summary>
    let matmul (w: Expr) (x: Expr) : Expr = Ex.MatMul(x, w)

    /// <summary>xᵀ for a matrix (all axes reversed).</summary>
    let transpose (x: Expr) : Expr = Ex.Transpose(x)

    /// <summary>The axes of x in the order <paramref name="perm"/>.</summary>
    let permute (perm: int list) (x: Expr) : Expr = Ex.Transpose(x, Array.ofList perm)

    /// <summary>The same elements in a new shape (one dimension may be -1).</summary>
    let reshape (dims: int list) (x: Expr) : Expr = Ex.Reshape(x, Array.ofList dims)

    /// <summary>x repeated along new or size-1 axes to the given dimensions.</summary>
    let broadcastTo (dims: int list) (x: Expr) : Expr = Ex.BroadcastTo(x, Shape(Array.ofList dims))

    /// <summary>Σ over the axes along which <paramref name="dims"/> broadcasts to x's shape: the adjoint of broadcasting.</summary>
    let sumTo (dims: int list) (x: Expr) : Expr = Ex.SumTo(x, Shape(Array.ofList dims))

    /// <summary>The expressions joined along an axis.</summary>
    let concat (axis: int) (xs: Expr list) : Expr = Ex.Concat(Array.ofList xs, axis)

    /// <summary>The block of x from <paramref name="start"/> with extent <paramref name="size"/> (-1: to the end).</summary>
    let slice (start: int list) (size: int list) (x: Expr) : Expr = Ex.Slice(x, Array.ofList start, Array.ofList size)

    /// <summary>x with zeros added before and after each axis.</summary>
    let pad (before: int list) (after: int list) (x: Expr) : Expr = Ex.Pad(x, Array.ofList before, Array.ofList after)

    // ---- filled tensors ----

    /// <summary>Float32 zeros of the given dimensions.</summary>
    let zeros (dims: int list) : Expr = Ex.Zeros(Shape(Array.ofList dims))

    /// <summary>Float32 ones of the given dimensions.</summary>
    let ones (dims: int list) : Expr = Ex.Ones(Shape(Array.ofList dims))

    /// <summary>A float32 number everywhere in the given dimensions.</summary>
    let fill (value: float) (dims: int list) : Expr = Ex.Fill(value, Shape(Array.ofList dims))

    /// <summary>Zeros with x's shape and dtype.</summary>
    let zerosLike (x: Expr) : Expr = Ex.ZerosLike x

    /// <summary>Ones with x's shape and dtype.</summary>
    let onesLike (x: Expr) : Expr = Ex.OnesLike x

    /// <summary>The value with no bindings (an expression without variables, or with Variables at their values).</summary>
    let value (x: Expr) : Tensor = x.Eval(Env.Empty)
