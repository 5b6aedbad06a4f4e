/// Bad input from F# gets FunctionalAD's own errors (docs/errors.md), and the numerics table holds from F# too.
module FunctionalAD.FSharp.Tests.Hardening

open System
open Xunit
open FunctionalAD
open type FunctionalAD.Ex

[<Fact>]
let ``an axis past the rank, an undefined dtype and a null are the library's own errors`` () =
    Assert.Throws<AxisException>(fun () -> Shape(2, 3).[5] |> ignore) |> ignore
    Assert.Throws<AxisException>(fun () -> Shape.Scalar.[0] |> ignore) |> ignore
    let x = Var64("x", 3)
    let e = Assert.Throws<DTypeException>(fun () -> Cast(x, enum<DType> 5) |> ignore)
    Assert.Contains("not a DType", e.Message)
    let n = Assert.Throws<ArgumentNullException>(fun () -> Slice(Unchecked.defaultof<Expr>, [| 0 |], [| 1 |]) |> ignore)
    Assert.Equal("x", n.ParamName)
    Assert.Throws<ShapeException>(fun () -> Slice(x, [| 2147483646 |], [| 2 |]) |> ignore) |> ignore

[<Fact>]
let ``float to int32 saturates and NaN becomes 0`` () =
    let t = Tensor.From [| nan; 3e9; -3e9; 2.7 |]
    Assert.Equal<int[]>([| 0; Int32.MaxValue; Int32.MinValue; 2 |], t.Cast(DType.Int32).ToArray<int>())

[<Fact>]
let ``an out-of-range sparse label is an error naming the label`` () =
    let logits = Const(Tensor.From([| 1.0; 2.0; 3.0; 1.0; 2.0; 3.0 |], Shape(2, 3)))
    let loss = Losses.SparseCategoricalCrossentropy(Const([| 1; 7 |]), logits, fromLogits = true)
    let e = Assert.Throws<FunctionalADException>(fun () -> loss.Eval() |> ignore)
    Assert.Contains("label 7", e.Message)

[<Fact>]
let ``binary cross-entropy from logits keeps its accuracy at y = 1, z = 20`` () =
    let loss = Losses.BinaryCrossentropy(Const([| 1.0f |]), Const([| 20.0f |]), fromLogits = true)
    let v = loss.Eval().ToScalar()
    Assert.True(abs (v - exp -20.0) < 1e-6 * exp -20.0, sprintf "got %g" v)
