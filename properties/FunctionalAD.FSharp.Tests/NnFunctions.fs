/// The Nn module: activations, scans, dropout and normalisation as pipeline functions, and F#'s atan2 on expressions.
module FunctionalAD.FSharp.Tests.NnFunctions

open Xunit
open FsCheck.Xunit
open FunctionalAD
open FunctionalAD.FSharp
open FunctionalAD.FSharp.Tests.Numbers

let xVar (xs: float[]) = var64 "x" [ xs.Length ]
let at (x: Expr) (xs: float[]) (e: Expr) = e |> eval [ x, Tensor.ofArray64 xs ] |> Tensor.toArray

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``pipelines of Nn functions agree with F# arithmetic on floats`` (xs: float[]) =
    let x = xVar xs
    let sigmoid v = 1.0 / (1.0 + exp -v)
    close 1e-12 1e-14 (at x xs (x |> Nn.leakyRelu 0.2)) (xs |> Array.map (fun v -> if v > 0.0 then v else 0.2 * v))
    && close 1e-12 1e-14 (at x xs (x |> Nn.softsign)) (xs |> Array.map (fun v -> v / (1.0 + abs v)))
    && close 1e-12 1e-14 (at x xs (x |> Nn.logSigmoid)) (xs |> Array.map (fun v -> log (sigmoid v)))
    && close 1e-12 1e-14 (at x xs (x |> Nn.elu 1.5)) (xs |> Array.map (fun v -> if v > 0.0 then v else 1.5 * (exp v - 1.0)))
    && close 1e-12 1e-14 (at x xs (x |> Nn.clip -0.5 0.5)) (xs |> Array.map (fun v -> max -0.5 (min 0.5 v)))
    && close 1e-12 1e-12 (at x xs (x |> Nn.cumsum 0)) (Array.scan (+) 0.0 xs |> Array.tail)
    && close 1e-12 1e-12 (at x xs (x |> Nn.cumsumWith 0 true false)) (Array.scan (+) 0.0 xs |> Array.take xs.Length)
    && close 1e-12 1e-12 (at x xs (x |> Nn.cumprod 0)) (Array.scan (*) 1.0 xs |> Array.tail)

[<Fact>]
let ``gradients flow through the Nn pipeline and F#'s atan2`` () =
    let xs = [| -1.5; -0.2; 0.4; 2.0 |]
    let x = xVar xs
    let g = grad (fun z -> z |> Nn.gelu |> Nn.cumsum 0 |> Expr.sum) x |> at x xs
    // d/dxₖ Σᵢ Σ_{j≤i} gelu(xⱼ) = (n - k)·gelu'(xₖ), gelu'(x) = Φ(x) + x φ(x).
    let phi v = exp (-v * v / 2.0) / sqrt (2.0 * System.Math.PI)
    let cdf v = 0.5 * (1.0 + (at x xs (Nn.erf (constant (Tensor.ofArray64 [| v / sqrt 2.0 |]))) |> Array.head))
    let want = xs |> Array.mapi (fun k v -> float (xs.Length - k) * (cdf v + v * phi v))
    Assert.True(close 1e-12 1e-12 g want, sprintf "%A vs %A" g want)
    let angle = atan2 x (constant (Tensor.ofArray64 [| 1.0; 1.0; 1.0; 1.0 |])) |> at x xs
    Assert.True(close 1e-15 1e-15 angle (xs |> Array.map (fun v -> atan2 v 1.0)))

[<Fact>]
let ``dropout is seeded, moments pair up, layerNorm normalises`` () =
    let x = var64 "x" [ 2; 50 ]
    let values = Tensor.RandomNormal(Shape(2, 50), seed = 3L, dtype = DType.Float64)
    let run e = e |> eval [ x, values ] |> Tensor.toArray
    Assert.Equal<float[]>(run (x |> Nn.dropout 0.5 7L), run (x |> Nn.dropout 0.5 7L))
    Assert.NotEqual<float[]>(run (x |> Nn.dropout 0.5 7L), run (x |> Nn.dropout 0.5 8L))
    let mean, variance = x |> Nn.moments [ 1 ]
    let y = x |> Nn.layerNorm (constant (Tensor.ofArray64 (Array.create 50 1.0))) (constant (Tensor.ofArray64 (Array.zeroCreate 50)))
    let m2, v2 = y |> Nn.moments [ 1 ]
    Assert.True(close 1e-12 1e-12 (run m2) [| 0.0; 0.0 |])
    let vs = run variance
    Assert.True(close 1e-9 1e-9 (run v2) (vs |> Array.map (fun v -> v / (v + 1e-3))))
    Assert.Equal(2, (run mean).Length)
    Assert.True(close 1e-12 1e-12 (run (x |> Nn.variance [ 1 ])) vs)

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``Nn.sort agrees with Array.sort and argsort indexes it`` (xs: float[]) =
    let x = xVar xs
    let idx = x |> Nn.argsort |> eval [ x, Tensor.ofArray64 xs ]
    close 0.0 0.0 (at x xs (Nn.sort x)) (Array.sort xs)
    && close 0.0 0.0 (idx.ToArray<int>() |> Array.map (fun i -> xs.[i])) (Array.sort xs)
    && close 0.0 0.0 (at x xs (Nn.sortDescending x)) (Array.sort xs |> Array.rev)
