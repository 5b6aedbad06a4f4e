namespace FunctionalAD.FSharp

open System.Collections.Generic
open System.IO
open FunctionalAD

/// Shared by the file modules: F# maps from the dictionaries the C# API returns, and Result for file errors.
module internal FileResult =

    let toMap (d: IReadOnlyDictionary<string, 'T>) : Map<string, 'T> =
        d |> Seq.map (fun kv -> kv.Key, kv.Value) |> Map.ofSeq

    let dict (m: Map<string, 'T>) : IReadOnlyDictionary<string, 'T> = m :> IReadOnlyDictionary<string, 'T>

    /// A file error as a value: a bad file (FunctionalADException) or a file that cannot be opened (IOException, access).
    let attempt (f: unit -> 'T) : Result<'T, exn> =
        try Ok(f ())
        with
        | :? FunctionalADException as e -> Error(e :> exn)
        | :? IOException as e -> Error(e :> exn)
        | :? System.UnauthorizedAccessException as e -> Error(e :> exn)

/// <summary>NumPy .npy files: <c>t |> Npy.save "w.npy"</c>, <c>Npy.load "w.npy"</c>; <c>numpy.load</c> reads ours.</summary>
module Npy =

    /// <summary>Writes the tensor as a .npy file, byte for byte as <c>numpy.save</c> would.</summary>
    let save (path: string) (t: Tensor) : unit = t.SaveNpy path

    /// <summary>Reads a .npy file (format 1.0 to 3.0, C or Fortran order, little- or big-endian).</summary>
    let load (path: string) : Tensor = Tensor.LoadNpy path

    /// <summary>The tensor, or the error that prevented reading it (a bad file, a missing file).</summary>
    let tryLoad (path: string) : Result<Tensor, exn> = FileResult.attempt (fun () -> Tensor.LoadNpy path)

/// <summary>NumPy .npz archives as F# maps from array name to tensor.</summary>
module Npz =

    /// <summary>Writes the arrays as a .npz archive with stored members, as <c>numpy.savez</c>.</summary>
    let save (path: string) (arrays: Map<string, Tensor>) : unit =
        FunctionalAD.Npz.Save(path, FileResult.dict arrays, false)

    /// <summary>Writes the arrays as a .npz archive with deflated members, as <c>numpy.savez_compressed</c>.</summary>
    let saveCompressed (path: string) (arrays: Map<string, Tensor>) : unit =
        FunctionalAD.Npz.Save(path, FileResult.dict arrays, true)

    /// <summary>Reads every array of a .npz archive.</summary>
    let load (path: string) : Map<string, Tensor> = FunctionalAD.Npz.Load path |> FileResult.toMap

    /// <summary>The arrays, or the error that prevented reading them.</summary>
    let tryLoad (path: string) : Result<Map<string, Tensor>, exn> = FileResult.attempt (fun () -> load path)

/// <summary>
/// safetensors checkpoints (PyTorch, Hugging Face) as F# maps, and variables saved and restored by name:
/// <c>[ w; b ] |> Checkpoint.saveVariables "model.safetensors"</c>, then <c>[ w; b ] |> Checkpoint.restore "model.safetensors"</c>.
/// </summary>
module Checkpoint =

    /// <summary>Writes the tensors as a safetensors file.</summary>
    let save (path: string) (tensors: Map<string, Tensor>) : unit =
        FunctionalAD.Checkpoint.Save(path, FileResult.dict tensors, null)

    /// <summary>Writes the tensors as a safetensors file with string metadata in its header.</summary>
    let saveWithMetadata (path: string) (metadata: Map<string, string>) (tensors: Map<string, Tensor>) : unit =
        FunctionalAD.Checkpoint.Save(path, FileResult.dict tensors, FileResult.dict metadata)

    /// <summary>Reads every tensor of a safetensors file.</summary>
    let load (path: string) : Map<string, Tensor> = FunctionalAD.Checkpoint.Load(path: string) |> FileResult.toMap

    /// <summary>The tensors, or the error that prevented reading them (a bad file, a missing file).</summary>
    let tryLoad (path: string) : Result<Map<string, Tensor>, exn> = FileResult.attempt (fun () -> load path)

    /// <summary>Reads only the named tensors, seeking past the others.</summary>
    let loadOnly (names: string list) (path: string) : Map<string, Tensor> =
        FunctionalAD.Checkpoint.Load(path, (names :> seq<string>)) |> FileResult.toMap

    /// <summary>The entries (name, shape, dtype, data position) from the header alone, in data order.</summary>
    let describe (path: string) : CheckpointEntry list = FunctionalAD.Checkpoint.Describe path |> List.ofSeq

    /// <summary>The header's metadata, read without the tensor data.</summary>
    let metadata (path: string) : Map<string, string> = FunctionalAD.Checkpoint.LoadMetadata path |> FileResult.toMap

    /// <summary>Writes the variables' current values, each under its name.</summary>
    let saveVariables (path: string) (variables: Variable list) : unit =
        FunctionalAD.Checkpoint.Save(path, (variables :> seq<Variable>), null)

    /// <summary>
    /// Assigns each variable the tensor saved under its name, all or nothing: a missing name or a shape or dtype
    /// difference raises <c>CheckpointMismatchException</c> listing every problem before any variable changes.
    /// </summary>
    let restore (path: string) (variables: Variable list) : unit =
        FunctionalAD.Checkpoint.Restore(path, (variables :> seq<Variable>), false)

    /// <summary>As <c>restore</c>, but every tensor in the file must also belong to a variable.</summary>
    let restoreStrict (path: string) (variables: Variable list) : unit =
        FunctionalAD.Checkpoint.Restore(path, (variables :> seq<Variable>), true)

    /// <summary>As <c>restore</c>, with the error (bad file, mismatch, missing file) as a value; on Error no variable changed.</summary>
    let tryRestore (path: string) (variables: Variable list) : Result<unit, exn> =
        FileResult.attempt (fun () -> restore path variables)

/// <summary>Tensors from and to F#'s rectangular (<c>[,,]</c>) and jagged (<c>[][]</c>) arrays.</summary>
module TensorArrays =

    /// <summary>A float32 tensor of rank 3 from a 3-D array.</summary>
    let ofArray3D (values: float32[,,]) : Tensor = Tensor.From(values :> System.Array)

    /// <summary>A float64 tensor of rank 3 from a 3-D array.</summary>
    let ofArray3D64 (values: float[,,]) : Tensor = Tensor.From(values :> System.Array)

    /// <summary>A float32 matrix from rows of equal length; ragged rows raise ArgumentException.</summary>
    let ofJagged (rows: float32[][]) : Tensor = Tensor.From rows

    /// <summary>A float64 matrix from rows of equal length; ragged rows raise ArgumentException.</summary>
    let ofJagged64 (rows: float[][]) : Tensor = Tensor.From rows

    /// <summary>The elements of a rank-3 tensor as a float 3-D array.</summary>
    let toArray3D (t: Tensor) : float[,,] = t.ToArray3D<float>()

    /// <summary>The elements of a rank-4 tensor as a float 4-D array.</summary>
    let toArray4D (t: Tensor) : float[,,,] = t.ToArray4D<float>()

    /// <summary>The rows of a matrix as a jagged float array.</summary>
    let toJagged (t: Tensor) : float[][] = t.ToJagged<float>()
