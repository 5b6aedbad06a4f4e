/// What an F# user types first, on plain variables made with Var: F#'s own math functions and operators,
/// pipelines, gradients of lambdas, tapes over lists of variables, and F#'s functions on tape results.
module FunctionalAD.FSharp.Tests.FirstSteps

open Xunit
open FsCheck.Xunit
open FunctionalAD
open type FunctionalAD.Ex
open FunctionalAD.FSharp
open FunctionalAD.FSharp.Tests.Numbers

/// Evaluates e with x bound to xs (float32, as Var makes it) and returns doubles.
let at (x: Expr) (xs: float[]) (e: Expr) =
    e.Eval(Env.Of(struct (x, Tensor.From(Array.map float32 xs)))) |> values

[<Fact>]
let ``the issue's snippet compiles and prints its gradient: d/dx Σ(sin x · x + eˣ/2) = cos x · x + sin x + eˣ/2`` () =
    let x = Var("x", 3)
    let y = Sum(sin x * x + exp x / 2.0f)
    let g = Ad.Grad(y, x).[0]
    let printed = sprintf "%O" g
    Assert.Contains("cos(x)", printed)
    Assert.Contains("exp(x)", printed)
    let xs = [| -1.0; 0.5; 2.0 |]
    let expected = xs |> Array.map (fun v -> cos v * v + sin v + exp v / 2.0)
    Assert.True(close 1e-5 1e-6 (at x xs g) expected, sprintf "%s at %A" printed xs)

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``F#'s sin, cos, exp, tanh, abs apply to a Var and agree with F# on floats`` (xs: float[]) =
    let x = Var("x", xs.Length)
    [ sin x, sin; cos x, cos; exp x, exp; tanh x, tanh; abs x, abs ]
    |> List.forall (fun (e, f) -> close 1e-5 1e-6 (at x xs e) (Array.map f xs))

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``F#'s log, sqrt and ** apply to a Var, with float32, float and int exponents`` (xs: float[]) =
    let x = Var("x", xs.Length)
    let ys = xs |> Array.map (fun v -> v * v + 0.5)
    let p = x ** 2.0f + 0.5f
    close 1e-5 1e-6 (at x xs p) ys
    && close 1e-5 1e-6 (at x xs (log p)) (Array.map log ys)
    && close 1e-5 1e-6 (at x xs (sqrt p)) (Array.map sqrt ys)
    && close 1e-5 1e-6 (at x xs (x ** 3)) (xs |> Array.map (fun v -> v ** 3.0))
    && (x ** 2.0).DType = DType.Float32

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``numbers on either side of + - * / and unary minus on a Var`` (xs: float[]) =
    let x = Var("x", xs.Length)
    let e = (2.0f * x - x * 3.0f + (1.0f - x) / 4.0f - x / 2.0f + -x + 1 + 2 * x) / 1.5f
    let f v = (2.0 * v - v * 3.0 + (1.0 - v) / 4.0 - v / 2.0 - v + 1.0 + 2.0 * v) / 1.5
    e.DType = DType.Float32 && close 1e-5 1e-5 (at x xs e) (Array.map f xs)

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``a pipeline on a Var: x |> tanh |> Expr.sum, and its gradient 1 - tanh² x`` (xs: float[]) =
    let x = Var("x", xs.Length)
    let y = x |> tanh |> Expr.sum
    close 1e-5 1e-6 (at x xs y) [| xs |> Array.sumBy tanh |]
    && close 1e-5 1e-6 (at x xs (y |> gradient x)) (xs |> Array.map (fun v -> 1.0 - tanh v ** 2.0))

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``gradients of F# lambdas on a Var, by grad and by Ad.Grad, to second order`` (xs: float[]) =
    let x = Var("x", xs.Length)
    let f (z: Expr) = Sum(sin z * z)
    let df = grad f
    let d2 = grad (df >> Expr.sum)
    let viaAd = Ad.Grad(fun z -> Sum(sin z * z)).Invoke x
    let expected = xs |> Array.map (fun v -> sin v + v * cos v)
    close 1e-5 1e-5 (at x xs (df x)) expected
    && close 1e-5 1e-5 (at x xs viaAd) expected
    && close 1e-5 1e-5 (at x xs (d2 x)) (xs |> Array.map (fun v -> 2.0 * cos v - v * sin v))

[<Fact>]
let ``a list of Vars in gradients, Ad.Grad and Env, and a Const rebinds like any expression`` () =
    let w = Var("w", 2)
    let b = Var("b", 1)
    let labels = Const(1, 0)
    let labels = OneHot(labels, 2) |> fun l -> Cast(l, DType.Float32)
    let loss = Sum(sin w * labels + b ** 2)
    let bindings = [ w, Tensor.ofArray [| 0.5f; 1.0f |]; b, Tensor.ofArray [| 3.0f |] ]
    let grads = loss |> gradients [ w; b ] |> evalAll bindings |> List.map Tensor.toArray
    let viaAd = Ad.Grad(loss, w, b) |> Array.map (fun g -> g.Eval(Env.Of(struct (w, Tensor.ofArray [| 0.5f; 1.0f |]), struct (b, Tensor.ofArray [| 3.0f |]))) |> values)
    // labels = one_hot([1, 0]) = [[0, 1], [1, 0]]: Σ over rows gives each w entry weight 1; b² is broadcast
    // to the 2×2 shape, so Σ holds 4 b² and d/db = 8b.
    let dw = [| cos 0.5; cos 1.0 |]
    Assert.True(close 1e-6 1e-6 grads.[0] dw)
    Assert.True(close 1e-6 1e-6 grads.[1] [| 24.0 |])
    Assert.True(close 1e-6 1e-6 viaAd.[0] dw)

[<Fact>]
let ``a tape over a list of Variables, F#'s functions on them after read, Sin on them directly`` () =
    let w = Variable(Tensor.ofArray [| 0.5f; 1.0f |], "w")
    let b = Variable(2.0f, "b")
    use tape = new GradientTape(persistent = true)
    let y = Sum((w |> read |> sin) * Sin w + b * 3.0f + 2.0f * b)
    let grads = tape.Gradient(y, [ w; b ])
    // d/dw Σ sin² w = 2 sin w cos w = sin 2w; 3b + 2b is broadcast over w's two entries, so d/db = 10.
    Assert.True(close 1e-6 1e-6 (values (nonNull grads.[0]).Value) [| sin 1.0; sin 2.0 |])
    Assert.True(close 1e-6 1e-6 (values (nonNull grads.[1]).Value) [| 10.0 |])
    Assert.Equal<Variable list>([ w; b ], tape.WatchedVariables() |> List.ofSeq)

[<Fact>]
let ``F#'s own functions and number operators keep a tape result a tape result, with its value`` () =
    let x = Const(Tensor.ofArray64 [| 0.25; 1.0 |])
    use tape = new GradientTape()
    tape.Watch [| x |]
    let g = tape.Gradient(Sum(x ** 3), x) |> nonNull // 3x²
    let three = [| 0.1875; 3.0 |]
    let results: (EagerTensor * (float -> float)) list =
        [ sin g, sin; cos g, cos; exp g, exp; log g, log; tanh g, tanh; sqrt g, sqrt; abs (-g), abs
          g ** 2.0, (fun v -> v ** 2.0); g ** 2, (fun v -> v * v); 1.0 - g, (fun v -> 1.0 - v)
          2.0 / g, (fun v -> 2.0 / v); 1 + g, (fun v -> 1.0 + v); 2.0f * g, (fun v -> 2.0 * v) ]
    for r, f in results do
        Assert.True(close 1e-12 1e-12 (values r.Value) (Array.map f three), sprintf "%O" r.Expr)
    // A tape result still differentiates: d/dx Σ sin(3x²) = 6x cos(3x²).
    let dd = Ad.GradOf(Sum((sin g).Expr), [| x |]).[0].Eval()
    Assert.True(close 1e-12 1e-12 (values dd) (Array.map2 (fun v t -> 6.0 * v * cos t) [| 0.25; 1.0 |] three))

[<Fact>]
let ``Tape gives options: Some for a watched source, None for an unwatched one, zeros when asked`` () =
    let a = Const(Tensor.ofArray64 [| 1.0; 2.0 |])
    let c = Const(Tensor.ofArray64 [| 3.0; 4.0 |])
    use tape = new GradientTape(persistent = true)
    Tape.watch tape [ a ]
    let y = Sum(a * a * c)
    match Tape.gradients tape y [ a; c ] with
    | [ Some da; None ] -> Assert.True(close 1e-12 0.0 (values da.Value) [| 6.0; 16.0 |])
    | other -> failwithf "expected [Some; None], got %A" other
    Assert.Equal("None", Tape.gradient tape y c |> Tape.show)
    Assert.True(close 0.0 0.0 (values (Tape.gradientOrZeros tape y c).Value) [| 0.0; 0.0 |])
    // ∂(a ⊙ c)/∂a = diag(c); per row of a batch, the same.
    match Tape.jacobian tape (a * c) a with
    | Some j -> Assert.True(close 1e-12 0.0 (values j.Value) [| 3.0; 0.0; 0.0; 4.0 |])
    | None -> failwith "the Jacobian of a watched source is None"
    Assert.True((Tape.jacobian tape (a * c) c).IsNone)

[<Fact>]
let ``Tape.variableGradients on a tape that watches nothing by itself: None until watched by hand`` () =
    let w = Variable(Tensor.ofArray [| 1.0f; 2.0f |], "tw")
    let b = Variable(0.5f, "tb")
    use tape = new GradientTape(persistent = true, watchAccessedVariables = false)
    Tape.watchVariables tape [ w ]
    let y = Sum(read w * b)
    match Tape.variableGradients tape y [ w; b ] with
    | [ Some dw; None ] -> Assert.True(close 1e-6 0.0 (values dw.Value) [| 0.5; 0.5 |])
    | other -> failwithf "expected [Some; None], got %A" other
    Assert.True((Tape.variableGradient tape y b).IsNone)

[<Fact>]
let ``the expression and the variable operators mix in F# as they do in C#: x * w, g + x, w - g`` () =
    let x = Const(Tensor.ofArray [| 2.0f; 3.0f |])
    let w = Variable(Tensor.ofArray [| 0.5f; -1.0f |], "mix_w")
    use tape = new GradientTape()
    let y = Sum(x * w + w / x - x - w)
    let g = Tape.variableGradient tape y w |> Option.get   // x + 1/x - 1
    Assert.True(close 1e-6 1e-6 (values g.Value) [| 2.0 + 0.5 - 1.0; 3.0 + 1.0 / 3.0 - 1.0 |])
    let mixed: Expr list = [ g + x; x + g; g * w; w - g ]
    let gv = [| 1.5; 3.0 + 1.0 / 3.0 - 1.0 |]
    let expected = [ Array.map2 (+) gv [| 2.0; 3.0 |]; Array.map2 (+) gv [| 2.0; 3.0 |]; Array.map2 (*) gv [| 0.5; -1.0 |]; Array.map2 (-) [| 0.5; -1.0 |] gv ]
    for e, want in List.zip mixed expected do
        Assert.True(close 1e-6 1e-6 (values (Expr.value e)) want, sprintf "%O" e)

[<Property(Arbitrary = [| typeof<Vectors> |])>]
let ``F#'s own functions and operators on a Const agree with F# on floats`` (xs: float[]) =
    let c = Const(Tensor.ofArray64 xs)
    let e = sin c * 2.0 + exp (-c) / 3.0 - abs c ** 1.5 + sqrt (c * c + 1.0) + log (cos c + 2.0) - tanh c
    let f v = sin v * 2.0 + exp -v / 3.0 - abs v ** 1.5 + sqrt (v * v + 1.0) + log (cos v + 2.0) - tanh v
    close 1e-12 1e-12 (values (Expr.value e)) (Array.map f xs)

[<Fact>]
let ``a tape source list mixes a Variable's leaf and a watched constant with no casts`` () =
    let w = Variable(Tensor.ofArray [| 1.0f; 2.0f |], "mixed_w")
    let c = Const(Tensor.ofArray [| 3.0f; 4.0f |])
    use tape = new GradientTape()
    Tape.watch tape [ c ]
    let y = Sum(w * c)
    match Tape.gradients tape y [ w.Var; c ] with
    | [ Some dw; Some dc ] ->
        Assert.True(close 0.0 0.0 (values dw.Value) [| 3.0; 4.0 |])
        Assert.True(close 0.0 0.0 (values dc.Value) [| 1.0; 2.0 |])
    | other -> failwithf "expected two gradients, got %A" other
