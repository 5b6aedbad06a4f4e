namespace FunctionalAD.FSharp

open System
open FunctionalAD

/// <summary>
/// Derivatives as curried F# functions. A function <c>Expr -&gt; Expr</c> goes in, a function comes out, so
/// <c>grad (grad f)</c> and pipelines compose as in JAX.
/// </summary>
[<AutoOpen>]
module Derivatives =

    /// <summary>∇f: the gradient function of a scalar function, <c>grad f x</c> = ∂f/∂x at x, shaped like x.</summary>
    let grad (f: Expr -> Expr) : Expr -> Expr =
        let g = Ad.Grad(Func<Expr, Expr> f)
        fun x -> g.Invoke x

    /// <summary>f(x) and ∇f(x) together.</summary>
    let valueAndGrad (f: Expr -> Expr) (x: Expr) : Expr * Expr = f x, grad f x

    /// <summary>f(x) and the pullback u ↦ uᵀ ∂f/∂x, as JAX's <c>vjp</c>.</summary>
    let vjp (f: Expr -> Expr) (x: Expr) : Expr * (Expr -> Expr) =
        let struct (y, pullback) = Ad.Vjp(Func<Expr, Expr> f, x)
        y, (fun u -> pullback.Invoke u)

    /// <summary>f(x) and the directional derivative ∂f/∂x · t by forward mode, as JAX's <c>jvp</c>.</summary>
    let jvp (f: Expr -> Expr) (x: Expr) (t: Expr) : Expr * Expr =
        let struct (y, dy) = Ad.Jvp(Func<Expr, Expr> f, x, t)
        y, dy

    /// <summary>The Jacobian function: <c>jacobian f x</c> = ∂f/∂x, shaped f(x).shape + x.shape.</summary>
    let jacobian (f: Expr -> Expr) : Expr -> Expr =
        let j = Ad.Jacobian(Func<Expr, Expr> f)
        fun x -> j.Invoke x

    /// <summary>The Hessian function of a scalar function: <c>hessian f x</c> = ∂²f/∂x², shaped x.shape + x.shape.</summary>
    let hessian (f: Expr -> Expr) : Expr -> Expr =
        let h = Ad.Hessian(Func<Expr, Expr> f)
        fun x -> h.Invoke x

    /// <summary>∂target/∂x for each x in <paramref name="wrt"/> (variables or any subexpressions): <c>loss |&gt; gradients [w; b]</c>.</summary>
    let gradients (wrt: Expr list) (target: Expr) : Expr list =
        Ad.GradOf(target, Array.ofList wrt) |> List.ofArray

    /// <summary>∂target/∂x for one x: <c>loss |&gt; gradient w</c>.</summary>
    let gradient (wrt: Expr) (target: Expr) : Expr = Ad.GradOf(target, [| wrt |]).[0]

    /// <summary>Σᵢ uᵢ ∂yᵢ/∂x for each x, with the cotangent u shaped like y.</summary>
    let vjpOf (wrt: Expr list) (cotangent: Expr) (y: Expr) : Expr list =
        Ad.Vjp(y, cotangent, Array.ofList wrt) |> List.ofArray

    /// <summary>Σⱼ ∂y/∂xⱼ · tⱼ by forward mode, one (x, t) pair per variable.</summary>
    let jvpOf (tangents: (Expr * Expr) list) (y: Expr) : Expr =
        Ad.Jvp(y, tangents |> List.map fst |> Array.ofList, tangents |> List.map snd |> Array.ofList)

    /// <summary>∂y/∂x for a variable or subexpression x, shaped y.shape + x.shape: <c>y |&gt; jacobianOf x</c>.</summary>
    let jacobianOf (x: Expr) (y: Expr) : Expr = Ad.Jacobian(y, x)

    /// <summary>The second derivatives of a one-element y, shaped x.shape + x.shape: <c>loss |&gt; hessianOf w</c>.</summary>
    let hessianOf (x: Expr) (y: Expr) : Expr = Ad.Hessian(y, x)

    /// <summary>The target and its gradients with respect to the variables: <c>loss |&gt; valueAndGradients [w; b]</c>.</summary>
    let valueAndGradients (wrt: Expr list) (target: Expr) : Expr * Expr list =
        let struct (value, grads) = Ad.ValueAndGrad(target, Array.ofList wrt)
        value, List.ofArray grads

    /// <summary>An equal expression with identities applied, constants folded and subterms shared.</summary>
    let simplify (e: Expr) : Expr = Ad.Simplify e
