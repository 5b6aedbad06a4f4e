/// The F# module: curried derivatives, list-based evaluation, Result for errors, *@ and pipeline functions.
module FunctionalAD.FSharp.Tests.FSharpModule

open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open FunctionalAD
open type FunctionalAD.Ex
open FunctionalAD.FSharp
open FunctionalAD.FSharp.Tests.Numbers

let xVar (xs: float[]) = var64 "x" [ xs.Length ]
let at (x: Expr) (xs: float[]) (e: Expr) = e |> eval [ x, Tensor.ofArray64 xs ] |> Tensor.toArray

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``grad composes: the third derivative of Σ x⁴ is 24 x`` (xs: float[]) =
    let f (z: Expr) = Sum(z ** 4)
    let d3 = grad (grad f >> Expr.sum) >> Expr.sum |> grad
    let x = xVar xs
    close 1e-12 1e-12 (at x xs (d3 x)) (xs |> Array.map (fun v -> 24.0 * v))

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``valueAndGrad gives f x and ∇f x`` (xs: float[]) =
    let x = xVar xs
    let value, g = valueAndGrad (fun z -> Sum(exp z)) x
    close 1e-12 1e-12 (at x xs value) [| xs |> Array.sumBy exp |] && close 1e-12 1e-14 (at x xs g) (Array.map exp xs)

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``jvp is the directional derivative: tangent of sin at x along t is cos x · t`` (xs: float[]) =
    let x = xVar xs
    let ts = xs |> Array.mapi (fun i _ -> float (i + 1))
    let y, dy = jvp sin x (constant (Tensor.ofArray64 ts))
    close 1e-12 1e-14 (at x xs y) (Array.map sin xs)
    && close 1e-12 1e-14 (at x xs dy) (Array.map2 (fun v t -> cos v * t) xs ts)

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``vjp gives the pullback u ↦ u · exp x for exp`` (xs: float[]) =
    let x = xVar xs
    let us = xs |> Array.mapi (fun i _ -> 1.0 - float i)
    let y, pullback = vjp exp x
    close 1e-12 1e-14 (at x xs y) (Array.map exp xs)
    && close 1e-12 1e-14 (at x xs (pullback (constant (Tensor.ofArray64 us)))) (Array.map2 (fun v u -> u * exp v) xs us)

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``hessian of Σ x³ is diag(6 x) and jacobian of tanh is diag(1 - tanh² x)`` (xs: float[]) =
    let x = xVar xs
    let n = xs.Length
    let diag (d: float[]) = Array.init (n * n) (fun k -> if k / n = k % n then d.[k / n] else 0.0)
    close 1e-12 1e-12 (at x xs (hessian (fun z -> Sum(z ** 3)) x)) (diag (xs |> Array.map (fun v -> 6.0 * v)))
    && close 1e-12 1e-14 (at x xs (jacobian tanh x)) (diag (xs |> Array.map (fun v -> 1.0 - tanh v ** 2.0)))

[<Fact>]
let ``gradients of a pipelined model: a linear layer written with the matrix-product operator`` () =
    let w = var "w" [ 3; 2 ]
    let b = var "b" [ 2 ]
    let x = constant (Tensor.ofRows [ [ 1.0f; 2.0f; 3.0f ] ])
    let loss = x *@ w + b |> Expr.square |> Expr.mean
    let wv = Tensor.ofRows [ [ 0.1f; 0.2f ]; [ 0.3f; 0.4f ]; [ 0.5f; 0.6f ] ]
    let bv = Tensor.ofArray [| 1.0f; -1.0f |]
    let bindings = [ w, wv; b, bv ]
    let grads = loss |> gradients [ w; b ] |> evalAll bindings
    // y = x w + b = [3.2, 1.8]; L = mean(y²); dL/dy = y; dL/dw = xᵀ y; dL/db = y
    let y = [| 1.0 * 0.1 + 2.0 * 0.3 + 3.0 * 0.5 + 1.0; 1.0 * 0.2 + 2.0 * 0.4 + 3.0 * 0.6 - 1.0 |]
    Assert.True(close 1e-6 1e-6 (eval bindings loss |> Tensor.toArray) [| (y.[0] ** 2.0 + y.[1] ** 2.0) / 2.0 |])
    Assert.True(close 1e-6 1e-6 (Tensor.toArray grads.[0]) [| for xi in [ 1.0; 2.0; 3.0 ] do for yj in y -> xi * yj |])
    Assert.True(close 1e-6 1e-6 (Tensor.toArray grads.[1]) y)
    // *@ binds like *, so x *@ w + b is (x @ w) + b; interning makes equal expressions one object.
    Assert.Same(Add(MatMul(x, w), b), x *@ w + b)

[<Fact>]
let ``gradient and vjpOf and jvpOf agree on a two-variable function`` () =
    let a = var64 "a" [ 2 ]
    let b = var64 "b" [ 2 ]
    let y = a * b + sin a
    let av, bv = [| 0.5; -1.0 |], [| 2.0; 3.0 |]
    let bindings = [ a, Tensor.ofArray64 av; b, Tensor.ofArray64 bv ]
    let ones = constant (Tensor.ofArray64 [| 1.0; 1.0 |])
    let da = y |> Expr.sum |> gradient a |> eval bindings |> Tensor.toArray
    let pulled = y |> vjpOf [ a; b ] ones |> evalAll bindings |> List.map Tensor.toArray
    let pushed = y |> jvpOf [ a, ones; b, constant (Tensor.ofArray64 [| 0.0; 0.0 |]) ] |> eval bindings |> Tensor.toArray
    let expected = Array.map2 (fun x z -> z + cos x) av bv
    Assert.True(close 1e-12 0.0 da expected)
    Assert.True(close 1e-12 0.0 pulled.[0] expected)
    Assert.True(close 1e-12 0.0 pulled.[1] av)
    Assert.True(close 1e-12 0.0 pushed expected)

[<Fact>]
let ``tryEval returns Error for a missing binding and names the variable`` () =
    let x = var "lonely" [ 2 ]
    match tryEval [] (x * 2) with
    | Error (:? MissingBindingException as e) -> Assert.Contains("lonely", e.Message)
    | other -> failwithf "expected a missing binding, got %A" other

[<Fact>]
let ``env refuses to bind a value to an expression that is not a variable`` () =
    let x = var "x" [ 2 ]
    let ex = Assert.Throws<FunctionalADException>(fun () -> env [ x * 2, Tensor.ofArray [| 1.0f; 2.0f |] ] |> ignore)
    Assert.Contains("not a variable", ex.Message)

[<Fact>]
let ``Tensor.toArray2D refuses a vector and says what rank it needs`` () =
    let ex = Assert.Throws<ShapeException>(fun () -> Tensor.ofArray [| 1.0f |] |> Tensor.toArray2D |> ignore)
    Assert.Contains("rank 2", ex.Message)

[<Fact>]
let ``a compiled loss from logits with a norm penalty runs no interpreted step and equals eval`` () =
    let logits = Ex.Var("z", 4, 5)
    let w = Ex.Var("w", 5, 3)
    let labels = constant (Tensor.ofRows [ [ 1f; 0f; 0f; 0f; 0f ]; [ 0f; 1f; 0f; 0f; 0f ]; [ 0f; 0f; 1f; 0f; 0f ]; [ 0f; 0f; 0f; 0f; 1f ] ])
    let loss = Mean(SoftmaxCrossEntropyWithLogits(labels, logits)) + 0.1f * Norm(w)
    let f = Ad.Compile([| loss |], logits, w)
    Assert.Empty(f.InterpretedSteps)
    let z = Tensor.RandomNormal(Shape(4, 5), seed = 1L)
    let wv = Tensor.RandomNormal(Shape(5, 3), seed = 2L)
    let compiled = (f.Run(z, wv)).[0] |> Tensor.toArray
    let asExpr (e: Expr) = e
    let evaluated = loss |> eval [ asExpr logits, z; asExpr w, wv ] |> Tensor.toArray
    Assert.True(close 1e-6 1e-6 compiled evaluated)
