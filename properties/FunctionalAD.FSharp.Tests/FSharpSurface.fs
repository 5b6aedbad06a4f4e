/// The C# surface as F# code uses it directly: F#'s own math functions, lambdas, pipelines, open type.
module FunctionalAD.FSharp.Tests.FSharpSurface

open System
open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open FunctionalAD
open type FunctionalAD.Ex
open FunctionalAD.FSharp.Tests.Numbers

/// Binds x (a float64 vector variable) to xs and evaluates e.
let at (x: Expr) (xs: float[]) (e: Expr) = values (e.Eval(Env.Of(struct (x, Tensor.From xs))))

let vector (xs: float[]) = Var64("x", xs.Length)

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``F#'s exp, tanh, sin, cos, abs work on expressions and agree with F# on floats`` (xs: float[]) =
    let x = vector xs
    [ exp x, exp; tanh x, tanh; sin x, sin; cos x, cos; abs x, abs ]
    |> List.forall (fun (expr, f) -> close 1e-12 1e-15 (at x xs expr) (Array.map f xs))

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``F#'s log, sqrt and ** work on expressions inside their domain`` (xs: float[]) =
    let x = vector xs
    let positive = abs x + 0.5
    let ys = xs |> Array.map (fun v -> abs v + 0.5)
    close 1e-12 1e-15 (at x xs (log positive)) (Array.map log ys)
    && close 1e-12 1e-15 (at x xs (sqrt positive)) (Array.map sqrt ys)
    && close 1e-12 1e-15 (at x xs (positive ** 2.5)) (ys |> Array.map (fun v -> v ** 2.5))
    && close 1e-12 1e-15 (at x xs (positive ** positive)) (ys |> Array.map (fun v -> v ** v))

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``numbers of every F# kind mix with expressions: float, float32 and int`` (xs: float[]) =
    let e = vector xs
    let x = e
    let viaInts = (2 * e - 1) / 4 + 3
    let viaFloats = (2.0 * e - 1.0) / 4.0 + 3.0
    let viaSingles = (2.0f * e - 1.0f) / 4.0f + 3.0f
    let expected = xs |> Array.map (fun v -> (2.0 * v - 1.0) / 4.0 + 3.0)
    [ viaInts; viaFloats; viaSingles ] |> List.forall (fun r -> r.DType = DType.Float64 && close 1e-12 1e-12 (at x xs r) expected)
    && close 1e-12 1e-12 (at x xs (e ** 2)) (xs |> Array.map (fun v -> v * v))

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``Ad.Grad takes an F# lambda: d/dx Σ sin x = cos x, and the result differentiates again`` (xs: float[]) =
    let x = vector xs
    let df = Ad.Grad(fun z -> Sum(sin z))
    let ddf = Ad.Grad(fun z -> Sum(df.Invoke z))
    close 1e-12 1e-14 (at x xs (df.Invoke x)) (Array.map cos xs)
    && close 1e-12 1e-14 (at x xs (ddf.Invoke x)) (xs |> Array.map (fun v -> -(sin v)))

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``a pipeline of F# functions has the gradient finite differences give`` (xs: float[]) =
    let model (z: Expr) =
        z
        |> fun v -> tanh v * 2.0 + sqrt (abs v + 1.0)
        |> fun v -> v - log (cos v ** 2 + 1.0)
        |> Sum
    let reference (v: float[]) =
        v
        |> Array.map (fun a -> tanh a * 2.0 + sqrt (abs a + 1.0))
        |> Array.map (fun a -> a - log (cos a ** 2.0 + 1.0))
        |> Array.sum
    // |x| has a kink at 0; finite differences straddle it within 1e-6.
    let xs = xs |> Array.map (fun v -> if abs v < 1e-3 then v + 0.01 else v)
    let x = vector xs
    let grad = Ad.Grad(model).Invoke x
    close 1e-5 1e-7 (at x xs grad) (numericGradient reference xs)

[<Fact>]
let ``the F# sample of the design runs and its numbers match a hand computation`` () =
    let x = Const(Tensor.RandomNormal(Shape(2, 4), seed = 1))
    let w = Var("w", 4, 3)
    let loss = Mean(tanh (MatMul(x, w)) * 2.0f)
    let g = Ad.Grad(loss, w)
    let df = Ad.Grad(fun z -> Sum(sin z))

    let xv = x.Eval().ToDoubleArray() |> Array.chunkBySize 4
    let wv = Tensor.RandomNormal(Shape(4, 3), seed = 2)
    let wm = wv.ToDoubleArray() |> Array.chunkBySize 3
    let xw = Array.init 2 (fun i -> Array.init 3 (fun j -> Seq.sum (seq { for k in 0..3 -> xv.[i].[k] * wm.[k].[j] })))
    let expectedLoss = (xw |> Array.sumBy (Array.sumBy (fun v -> 2.0 * tanh v))) / 6.0
    // d/dw mean(2 tanh(x w)) = xᵀ (2 (1 - tanh²(x w)) / 6)
    let upstream = xw |> Array.map (Array.map (fun v -> 2.0 * (1.0 - tanh v ** 2.0) / 6.0))
    let expectedGrad = Array.init 4 (fun k -> Array.init 3 (fun j -> Seq.sum (seq { for i in 0..1 -> xv.[i].[k] * upstream.[i].[j] }))) |> Array.concat

    let env = Env.Of(struct (w, wv))
    Assert.Equal(1, g.Length)
    Assert.True(close 1e-5 1e-6 (values (loss.Eval env)) [| expectedLoss |])
    Assert.True(close 1e-4 1e-6 (values (g.[0].Eval env)) expectedGrad)
    let z = Var64("z", 3)
    Assert.True(close 1e-12 0.0 (at z [| 0.0; 1.0; 2.0 |] (df.Invoke z)) [| 1.0; cos 1.0; cos 2.0 |])

[<Fact>]
let ``a variable is an Expr, so F#'s unary minus and exp apply to it`` () =
    let x = Var64("x", 2)
    let e = exp (-x)
    let v = Ad.Eval(e, Env.Of(struct (x, Tensor.From [| 0.0; 1.0 |])))
    Assert.True(close 1e-15 0.0 (values v) [| 1.0; exp -1.0 |])

[<Fact>]
let ``a shape mismatch from F# raises a ShapeException naming both shapes`` () =
    let a = Var("a", 2, 3)
    let b = Var("b", 4)
    let ex = Assert.Throws<ShapeException>(fun () -> a + b |> ignore)
    Assert.Contains("(2, 3)", ex.Message)
    Assert.Contains("(4,)", ex.Message)
