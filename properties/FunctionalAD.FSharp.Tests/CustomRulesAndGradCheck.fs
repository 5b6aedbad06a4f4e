/// Custom derivative rules from F#, and the FunctionalAD.Testing toolkit used from F# with FsCheck.
module FunctionalAD.FSharp.Tests.CustomRulesAndGradCheck

open System
open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open FunctionalAD
open type FunctionalAD.Ex
open FunctionalAD.FSharp
open FunctionalAD.Testing

/// log(1 + eˣ) written so its value is exact for large x; its own derivative is NaN there (0 · ∞ in the untaken branch).
let body (x: Expr) = Where(Greater(x, 30.0f), x, log (1.0f + exp x))
let log1pexp = customVjp "log1pexp" body (fun x _ g -> g * Sigmoid x)

let atScalar (x: Expr) (v: float32) (e: Expr) = e |> eval [ x, Tensor.Scalar v ] |> Tensor.toScalar

[<Fact>]
let ``customVjp log1pexp at 100: gradient 1 and second derivative 0 where the body's own gives NaN`` () =
    let x = var "x" []
    Assert.True(Double.IsNaN(grad body x |> atScalar x 100.0f))
    Assert.Equal(1.0, grad log1pexp x |> atScalar x 100.0f)
    Assert.Equal(0.0, grad (grad log1pexp) x |> atScalar x 100.0f)
    Assert.Equal("log1pexp(x)", (log1pexp x).ToString())

[<Fact>]
let ``customJvp serves forward mode and, transposed, reverse mode`` () =
    let softplus = customJvp "softplus2" (fun x -> log (1.0 + exp x)) (fun x t -> t * Sigmoid x)
    let x = var64 "x" []
    let at v e = e |> eval [ x, Tensor.Scalar(v: float) ] |> Tensor.toScalar
    let s = 1.0 / (1.0 + Math.Exp -0.5)
    let _, dy = jvp softplus x (constant (Tensor.Scalar 1.0))
    Assert.Equal(s, at 0.5 dy, 12)
    Assert.Equal(s, at 0.5 (grad softplus x), 12)
    Assert.Equal(s * (1.0 - s), at 0.5 (hessian softplus x), 12)

[<Fact>]
let ``customGradient clips a gradient; customVjpN gives each input its cotangent`` () =
    let clip = customGradient "clip" (fun x -> x, fun g -> Minimum(Maximum(g, -1.0f), 1.0f))
    let x = var "x" [ 2 ]
    let g = grad (fun z -> Sum(clip z * Const(3.0f, 0.5f))) x |> eval [ x, Tensor.From [| 1.0f; 1.0f |] ]
    Assert.Equal<float32[]>([| 1.0f; 0.5f |], g.ToFloatArray())
    let mul = customVjpN "mul" (fun v -> v.[0] * v.[1]) (fun v _ g -> [ Some(g * v.[1]); None ])
    let a, b = var "a" [], var "b" []
    let ga = Sum(mul [ a; b ]) |> gradient a |> eval [ a, Tensor.Scalar 2.0f; b, Tensor.Scalar 5.0f ]
    Assert.Equal(5.0, ga.ToScalar())

[<Fact>]
let ``GradCheck from F#: a correct function passes to order 2, a wrong rule names its element`` () =
    let report = GradCheck.Run((fun (v: Expr[]) -> Sum(tanh v.[0] * v.[1])), [| Tensor.From [| 0.2; -0.4 |]; Tensor.From [| 1.5; 2.0 |] |], order = 2)
    Assert.True(report.Passed, report.ToString())
    let wrong = customVjp "wrongsin" sin (fun x _ g -> g * Where(Greater(x, 1.0), 2.0 * cos x, cos x))
    let e = Assert.Throws<GradientCheckException>(fun () -> GradCheck.Assert(Func<Expr, Expr> wrong, Tensor.From [| 0.5; 1.5 |], mode = CheckMode.Reverse))
    Assert.Equal<int[]>([| 1 |], e.Failure.InputIndex)
    Assert.Equal(Math.Cos 1.5, e.Failure.Numeric, 6)

/// A user's property, as an FsCheck.Xunit test: the custom rule is right, so it holds.
[<Property(MaxTest = 50)>]
let ``log1pexp's rule matches central differences on [-5, 5]`` () =
    let f = customVjp "log1pexp64" (fun x -> log (1.0 + exp x)) (fun x _ g -> g * Sigmoid x)
    GradCheck.Property(Func<Expr, Expr> f, Domain.Bounded(-5.0, 5.0))

[<Fact>]
let ``a wrong rule's property fails and shrinks to one scalar in the wrong region`` () =
    let wrong = customVjp "wrongsin" sin (fun x _ g -> g * Where(Greater(x, 1.0), 2.0 * cos x, cos x))
    let property = GradCheck.Property(Func<Expr, Expr> wrong, Domain.Any)
    let e = Assert.ThrowsAny<exn>(fun () -> Check.One(Config.QuickThrowOnFailure.WithMaxTest 200, property))
    let shrunk = e.Message.Substring(e.Message.IndexOf "Shrunk")
    let m = Text.RegularExpressions.Regex.Match(shrunk, @"x0\(\) = \[([-0-9.]+)\]")
    Assert.True(m.Success, shrunk)
    let v = float m.Groups.[1].Value
    Assert.InRange(v, 1.0001, 2.0)
