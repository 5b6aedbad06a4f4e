/// Large results recycled through the result pool, as F# code sees it: no Dispose, values never disturbed.
module FunctionalAD.FSharp.Tests.Memory

open System
open Xunit
open FunctionalAD
open type FunctionalAD.Ex
open FunctionalAD.FSharp

[<Fact>]
let ``a loop of large evaluations reuses dropped results and keeps live ones intact`` () =
    let n = 100_207
    let x = var "x_memory_fs" [ n ]
    let y = x * 3.0f + 1.0f
    let kept = y |> eval [ x, Tensor.From(Array.create n 1.0f) ]
    let before = Memory.statistics ()
    for step in 1..6 do
        let r = y |> eval [ x, Tensor.From(Array.create n (float32 step)) ]
        Assert.Equal(float (3 * step + 1), (Tensor.toArray r).[n - 1])
        GC.Collect()
        GC.WaitForPendingFinalizers()
    let after = Memory.statistics ()
    // Other tests use the pool at the same time, so count only what this loop must have added.
    Assert.True(after.Hits - before.Hits >= 4L, $"{before} -> {after}")
    Assert.All(Tensor.toArray kept, fun v -> Assert.Equal(4.0, v))

[<Fact>]
let ``a negative pool size is refused with the setting's name`` () =
    let e = Assert.Throws<ArgumentOutOfRangeException>(fun () -> Memory.setPoolBytes -1L)
    Assert.Contains("ResultPoolBytes", e.Message)
    Memory.setPoolBytes Settings.ResultPoolBytes
