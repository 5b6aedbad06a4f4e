/// Checkpoints from F#: maps in and out of .npy, .npz and safetensors, variables restored by name, errors as Result.
module FunctionalAD.FSharp.Tests.Checkpoints

open System
open System.IO
open Xunit
open FsCheck
open FsCheck.Xunit
open FunctionalAD
open FunctionalAD.FSharp

let private scratch (name: string) =
    let dir = Path.Combine(Path.GetTempPath(), "functionalad-fsharp-checkpoints", Guid.NewGuid().ToString "N")
    Directory.CreateDirectory dir |> ignore
    Path.Combine(dir, name)

let private bits (t: Tensor) = t.ToArray<float>() |> Array.map BitConverter.DoubleToInt64Bits

[<Property(MaxTest = 50)>]
let ``a map of tensors survives safetensors, npz and npy`` (rows: NonNegativeInt) (seed: int) =
    let n = rows.Get % 5
    let w = Tensor.RandomNormal(Shape(n, 3), seed = int64 seed)
    let b = Tensor.RandomNormal(Shape(3), seed = int64 seed + 1L, dtype = DType.Float64)
    let labels = Tensor.From(Array.init n (fun i -> i - seed))
    let tensors = Map [ "w", w; "b", b; "labels", labels ]
    let same (m: Map<string, Tensor>) =
        m |> Map.forall (fun k t -> t.Shape = tensors.[k].Shape && t.DType = tensors.[k].DType && bits t = bits tensors.[k])
    let st = scratch "m.safetensors"
    tensors |> Checkpoint.saveWithMetadata st (Map [ "epoch", string n ])
    let npz = scratch "m.npz"
    tensors |> Npz.saveCompressed npz
    let npy = scratch "w.npy"
    w |> Npy.save npy
    same (Checkpoint.load st) && Checkpoint.metadata st = Map [ "epoch", string n ]
    && same (Npz.load npz) && (Npz.load npz).Count = 3
    && bits (Npy.load npy) = bits w
    && (Checkpoint.loadOnly [ "b" ] st |> Map.toList |> List.map fst) = [ "b" ]
    && (Checkpoint.describe st |> List.map (fun e -> e.Name, e.StoredDType)) = [ "b", "F64"; "w", "F32"; "labels", "I32" ]

[<Fact>]
let ``variables restore by name, all or nothing, and a bad file is an Error`` () =
    let w = Variable(Tensor.Ones(2, 2), "w")
    let b = Variable(Tensor.Zeros(2), "b")
    let path = scratch "model.safetensors"
    [ w; b ] |> Checkpoint.saveVariables path
    w.Assign(Tensor.Zeros(2, 2)) |> ignore
    [ w; b ] |> Checkpoint.restore path
    Assert.Equal<float32>([| 1f; 1f; 1f; 1f |], w.Value.ToArray<float32>())

    let other = Variable(Tensor.Full(Shape(2, 2), 7.0), "w")
    let missing = Variable(Tensor.Zeros(1), "missing")
    match [ other; missing ] |> Checkpoint.tryRestore path with
    | Error(:? CheckpointMismatchException as e) -> Assert.Contains("'missing': not in the checkpoint", e.Message)
    | r -> failwithf "expected a mismatch, got %A" r
    Assert.Equal<float32>([| 7f; 7f; 7f; 7f |], other.Value.ToArray<float32>())

    let bad = scratch "bad.safetensors"
    File.WriteAllBytes(bad, [| 1uy; 2uy; 3uy |])
    match Checkpoint.tryLoad bad with
    | Error(:? CheckpointFormatException as e) -> Assert.Contains("too short", e.Message)
    | r -> failwithf "expected a format error, got %A" r
    match Npy.tryLoad (scratch "absent.npy") with
    | Error(:? FileNotFoundException) -> ()
    | r -> failwithf "expected a missing file, got %A" r

[<Fact>]
let ``F# rectangular and jagged arrays convert both ways`` () =
    let cube = Array3D.init 2 3 4 (fun i j k -> float32 (100 * i + 10 * j + k))
    let t = TensorArrays.ofArray3D cube
    Assert.True((Shape(2, 3, 4) = t.Shape))
    let back = TensorArrays.toArray3D t
    Assert.True(Seq.forall id (seq { for i in 0..1 do for j in 0..2 do for k in 0..3 -> back.[i, j, k] = float cube.[i, j, k] }))
    let rows = [| [| 1.0; 2.0 |]; [| 3.0; 4.0 |] |]
    Assert.Equal<float[]>(rows, TensorArrays.ofJagged64 rows |> TensorArrays.toJagged)
    let e = Assert.Throws<ArgumentException>(fun () -> TensorArrays.ofJagged [| [| 1f |]; [||] |] |> ignore)
    Assert.Contains("ragged", e.Message)
