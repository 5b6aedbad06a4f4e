/// ONNX export from F#: a loss and its gradient exported from a pipeline, and errors as Result.
module FunctionalAD.FSharp.Tests.OnnxExport

open System
open System.IO
open System.Text
open Xunit
open FunctionalAD
open FunctionalAD.FSharp

[<Fact>]
let ``a loss and its gradient export from a pipeline, as the C# entry point writes them`` () =
    let w = Ex.Var("w", 3, 2)
    let x = Ex.Const(Tensor.RandomNormal(Shape(4, 3), seed = 1L))
    let loss = Ex.Mean(tanh (Ex.MatMul(x, w)))
    let g = Ad.Grad(loss, [| w |]).[0]
    let path = Path.Combine(Path.GetTempPath(), sprintf "functionalad-fsharp-%s.onnx" (Guid.NewGuid().ToString "N"))
    try
        [ loss; g ] |> Onnx.export path [ w ]
        let bytes = File.ReadAllBytes path
        Assert.Equal<byte[]>(FunctionalAD.Onnx.ToBytes([| loss; g |], [| w |]), bytes)
        Assert.Equal<byte[]>(bytes, [ loss; g ] |> Onnx.toBytes [ w ])
        let text = Encoding.ASCII.GetString bytes
        for op in [ "MatMul"; "Tanh"; "output0"; "output1" ] do
            Assert.Contains(op, text)
    finally
        File.Delete path

[<Fact>]
let ``a variable left out of the inputs is an Error naming it`` () =
    let w = Ex.Var("w", 3)
    let b = Ex.Var("bias", 3)
    match [ Ex.Sum(w + b) ] |> Onnx.tryToBytes [ w ] with
    | Error e -> Assert.Contains("'bias'", e.Message)
    | Ok _ -> failwith "expected an error for the unbound variable"
