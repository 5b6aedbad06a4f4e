namespace FunctionalAD.FSharp

open System.IO
open FunctionalAD

/// <summary>
/// ONNX export from F#: <c>[ loss; yield! grads ] |> Onnx.export "step.onnx" [ x; w ]</c> writes the outputs
/// (named output0, output1, ...) as one ONNX graph whose inputs are the listed variables.
/// </summary>
[<RequireQualifiedAccess>]
module Onnx =

    /// <summary>Writes the outputs' graph to <paramref name="path"/> at opset 17.</summary>
    let export (path: string) (inputs: Expr list) (outputs: Expr list) : unit =
        FunctionalAD.Onnx.Export(List.toArray outputs, List.toArray inputs, path)

    /// <summary>Writes the outputs' graph to <paramref name="path"/> at the given opset (17 to 21).</summary>
    let exportWith (opset: int) (path: string) (inputs: Expr list) (outputs: Expr list) : unit =
        FunctionalAD.Onnx.Export(List.toArray outputs, List.toArray inputs, path, opset)

    /// <summary>Writes the outputs' graph to a stream at opset 17.</summary>
    let exportTo (stream: Stream) (inputs: Expr list) (outputs: Expr list) : unit =
        FunctionalAD.Onnx.Export(List.toArray outputs, List.toArray inputs, stream)

    /// <summary>The serialized ONNX model of the outputs, at opset 17.</summary>
    let toBytes (inputs: Expr list) (outputs: Expr list) : byte[] =
        FunctionalAD.Onnx.ToBytes(List.toArray outputs, List.toArray inputs)

    /// <summary>The serialized model, or the error that prevented export (an unmapped primitive, a variable not among the inputs).</summary>
    let tryToBytes (inputs: Expr list) (outputs: Expr list) : Result<byte[], exn> =
        try Ok(toBytes inputs outputs)
        with
        | :? FunctionalADException as e -> Error(e :> exn)
        | :? System.ArgumentException as e -> Error(e :> exn)
