/// The engine's plan cache and TensorFlow's eager semantics for variables, as F# code uses them.
module FunctionalAD.FSharp.Tests.EngineAndEagerValues

open Xunit
open FunctionalAD
open type FunctionalAD.Ex
open FunctionalAD.FSharp

[<Fact>]
let ``a loop that rebuilds one structure with new data runs from the cache`` () =
    let x = var64 "x_engine_fs" [ 5 ]
    let before = Engine.statistics ()
    for step in 1..10 do
        let data = Tensor.ofArray64 (Array.init 5 (fun i -> float (i + step)))
        let y = Sum(constant data * x * x) * 0.25
        let got = y |> eval [ x, Tensor.ofArray64 (Array.create 5 2.0) ] |> Tensor.toScalar
        Assert.Equal(float (Array.sum (Array.init 5 (fun i -> i + step))), got, 12)
    let after = Engine.statistics ()
    // Other tests may use the cache at the same time, so count only what this loop must have added.
    Assert.True(after.Hits - before.Hits >= 8L, $"{before} -> {after}")
    Assert.True(after.Capacity >= 1)

[<Fact>]
let ``a value computed from a Variable keeps the value read, as in TensorFlow`` () =
    let v = Variable(3.0f, "v_fs")
    let y = v * 2.0f
    v.Assign(Tensor.Scalar 5.0f) |> ignore
    Assert.Equal(6.0, y.Eval().ToScalar())
    use tape = new GradientTape()
    let loss = Square(v - 3.0f)
    match tape.Gradient(loss, v) with
    | null -> failwith "no gradient for v"
    | g -> Assert.Equal(4.0, g.Value.ToScalar())

[<Fact>]
let ``a symbolic var on a tape says to use a Variable or a Const`` () =
    let c = Const 2.0
    use tape = new GradientTape()
    tape.Watch c
    let ex = Assert.Throws<TapeException>(fun () -> c * var64 "s_fs" [] |> ignore)
    Assert.Contains("Variable", ex.Message)
