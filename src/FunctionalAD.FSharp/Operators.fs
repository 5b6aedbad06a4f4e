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

/// <summary>Curried expression functions, for pipelines.</summary>
module Expr =

    /// <summary>Σ of all elements.</summary>
    let sum (x: Expr) : Expr = Ex.Sum(x)

    /// <summary>Σ along one axis.</summary>
    let sumAlong (axis: int) (x: Expr) : Expr = Ex.Sum(x, axis)

    /// <summary>The mean of all elements.</summary>
    let mean (x: Expr) : Expr = Ex.Mean(x)

    /// <summary>The mean along one axis.</summary>
    let meanAlong (axis: int) (x: Expr) : Expr = Ex.Mean(x, axis)

    /// <summary>The largest element.</summary>
    let max (x: Expr) : Expr = Ex.Max(x)

    /// <summary>x² element-wise.</summary>
    let square (x: Expr) : Expr = Ex.Square x

    /// <summary>max(x, 0) element-wise.</summary>
    let relu (x: Expr) : Expr = Ex.Relu x

    /// <summary>1 / (1 + e⁻ˣ) element-wise.</summary>
    let sigmoid (x: Expr) : Expr = Ex.Sigmoid x

    /// <summary>exp(xᵢ) / Σⱼ exp(xⱼ) along the last axis.</summary>
    let softmax (x: Expr) : Expr = Ex.Softmax x

    /// <summary>xᵢ - log Σⱼ exp(xⱼ) along the last axis.</summary>
    let logSoftmax (x: Expr) : Expr = Ex.LogSoftmax x

    /// <summary>‖x‖₂ over all elements.</summary>
    let norm (x: Expr) : Expr = Ex.Norm x

    /// <summary>x @ w: <c>x |&gt; Expr.matmul w</c>.</summary>
    let matmul (w: Expr) (x: Expr) : Expr = Ex.MatMul(x, w)

    /// <summary>xᵀ for a matrix.</summary>
    let transpose (x: Expr) : Expr = Ex.Transpose(x)

    /// <summary>The same elements in a new shape (one dimension may be -1).</summary>
    let reshape (dims: int list) (x: Expr) : Expr = Ex.Reshape(x, Array.ofList dims)

    /// <summary>The value with no bindings (an expression without variables).</summary>
    let value (x: Expr) : Tensor = x.Eval(Env.Empty)
