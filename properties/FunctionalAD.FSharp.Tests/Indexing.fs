/// Argmax, gather, gather_nd, scatter and embedding from F#, piped, against values worked out by hand.
module FunctionalAD.FSharp.Tests.Indexing

open Xunit
open FunctionalAD
open FunctionalAD.FSharp

let private ints (v: int[]) (dims: int[]) = Ex.Const(Tensor.From(v, Shape(dims)))
let private floats (v: float32[]) (dims: int[]) = Ex.Const(Tensor.From(v, Shape(dims)))

[<Fact>]
let ``argmax and argmin pipe and take the first tie`` () =
    let x = floats [| 1.f; 5.f; 5.f; 0.f; -2.f; 7.f |] [| 2; 3 |]
    Assert.Equal<int[]>([| 1; 2 |], (x |> Indexing.argmax 1).Eval().ToArray<int>())
    Assert.Equal<int[]>([| 1; 1; 0 |], (x |> Indexing.argmin 0).Eval().ToArray<int>())

[<Fact>]
let ``gather, gather_nd and scatter agree with tf's examples`` () =
    let x = floats [| 1.f; 2.f; 3.f; 4.f; 5.f; 6.f |] [| 2; 3 |]
    Assert.Equal<float32[]>([| 3.f; 1.f; 6.f; 4.f |], (x |> Indexing.gather 1 (ints [| 2; 0 |] [| 2 |])).Eval().ToFloatArray())
    Assert.Equal<float32[]>([| 3.f; 1.f; 5.f; 5.f |], (x |> Indexing.gatherBatched 1 1 (ints [| 2; 0; 1; 1 |] [| 2; 2 |])).Eval().ToFloatArray())
    Assert.Equal<float32[]>([| 6.f; 2.f |], (x |> Indexing.gatherNd (ints [| 1; 2; 0; 1 |] [| 2; 2 |])).Eval().ToFloatArray())
    let added = x |> Indexing.scatterNdAdd (ints [| 0; 0 |] [| 2; 1 |]) (floats [| 1.f; 1.f; 1.f; 2.f; 2.f; 2.f |] [| 2; 3 |])
    Assert.Equal<float32[]>([| 4.f; 5.f; 6.f; 4.f; 5.f; 6.f |], added.Eval().ToFloatArray())

[<Fact>]
let ``the gradient of an embedding lookup adds up repeated ids`` () =
    let table = Ex.Var("table", 3, 2)
    let loss = ints [| 1; 1; 0 |] [| 3 |] |> Indexing.embedding table |> fun e -> Ex.Sum(e)
    let g = Ad.Grad(loss, table).[0]
    let got = Ad.Eval(g, Env.Of(struct (table, Tensor.Zeros(Shape(3, 2))))).ToFloatArray()
    Assert.Equal<float32[]>([| 1.f; 1.f; 2.f; 2.f; 0.f; 0.f |], got)

[<Fact>]
let ``an index out of range names itself`` () =
    let x = floats [| 1.f; 2.f |] [| 2 |]
    let e = Assert.ThrowsAny<FunctionalADException>(fun () -> (x |> Indexing.gather 0 (ints [| 5 |] [| 1 |])).Eval() |> ignore)
    Assert.Contains("index 5", e.Message)

[<Fact>]
let ``F# indexing and inclusive slicing pick what they say`` () =
    // x[i, j] = 10 i + j, shape (3, 4)
    let x = floats (Array.init 12 (fun f -> float32 (10 * (f / 4) + f % 4))) [| 3; 4 |]
    let vals (e: Expr) = e.Eval().ToFloatArray()
    Assert.Equal<float32[]>([| 10.f; 11.f; 12.f; 13.f |], vals x.[1])
    Assert.Equal<float32[]>([| 23.f |], vals (Ex.Reshape(x.[2, 3], 1)))
    Assert.Equal<float32[]>([| 11.f; 12.f; 21.f; 22.f |], vals x.[1..2, 1..2])
    Assert.True((Shape(2, 2) = (x.[1..2, 1..2]).Shape))
    Assert.Equal<float32[]>([| 1.f; 11.f; 21.f |], vals x.[*, 1])
    Assert.Equal<float32[]>([| 22.f; 23.f |], vals x.[2, 2..])
    Assert.Equal<float32[]>([| 20.f; 21.f; 22.f; 23.f |], vals x.[-1..])
    Assert.True((Shape(1, 4) = (x.[-1..]).Shape))
    Assert.Throws<ShapeException>(fun () -> x.[3, *] |> ignore) |> ignore

[<Fact>]
let ``topK pipes and returns values and positions`` () =
    let values, positions = floats [| 3.f; 8.f; 8.f; 1.f |] [| 4 |] |> Indexing.topK 3
    Assert.Equal<float32[]>([| 8.f; 8.f; 3.f |], values.Eval().ToFloatArray())
    Assert.Equal<int[]>([| 1; 2; 0 |], positions.Eval().ToArray<int>())
