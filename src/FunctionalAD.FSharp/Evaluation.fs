namespace FunctionalAD.FSharp

open FunctionalAD

/// <summary>
/// Variables and constants in curried form, and evaluation from F# lists. Like <c>Ex.Var</c>, they are typed
/// <c>Expr</c>, so F#'s own <c>exp</c>, <c>sin</c>, unary minus and <c>**</c> apply to them.
/// </summary>
[<AutoOpen>]
module Evaluation =

    /// <summary>A float32 input variable of the given dimensions, typed as an expression.</summary>
    let var (name: string) (dims: int list) : Expr = Ex.Var(name, Array.ofList dims)

    /// <summary>A float64 input variable of the given dimensions, typed as an expression.</summary>
    let var64 (name: string) (dims: int list) : Expr = Ex.Var64(name, Array.ofList dims)

    /// <summary>A constant tensor inside an expression.</summary>
    let constant (t: Tensor) : Expr = Ex.Const t

    let private asVar (e: Expr) =
        match e with
        | :? Var as v -> v
        | _ -> raise (FunctionalADException $"env: {e} is not a variable; only variables made with var, var64 or Var can be bound to values")

    /// <summary>Bindings from variables to values: <c>env [x, tensor; w, tensor2]</c>.</summary>
    let env (bindings: (Expr * Tensor) list) : Env =
        bindings |> List.fold (fun (acc: Env) (v, t) -> acc.Bind(asVar v, t)) Env.Empty

    /// <summary>The value of an expression with the given bindings.</summary>
    let eval (bindings: (Expr * Tensor) list) (e: Expr) : Tensor = Ad.Eval(e, env bindings)

    /// <summary>The values of several expressions, evaluated together so shared subterms run once.</summary>
    let evalAll (bindings: (Expr * Tensor) list) (es: Expr list) : Tensor list =
        Ad.Eval(Array.ofList es, env bindings) |> List.ofArray

    /// <summary>The value, or the FunctionalAD error that prevented it (a missing binding, a shape mismatch).</summary>
    let tryEval (bindings: (Expr * Tensor) list) (e: Expr) : Result<Tensor, FunctionalADException> =
        try Ok(eval bindings e) with :? FunctionalADException as ex -> Error ex

    /// <summary>The values of several expressions, or the FunctionalAD error that prevented them.</summary>
    let tryEvalAll (bindings: (Expr * Tensor) list) (es: Expr list) : Result<Tensor list, FunctionalADException> =
        try Ok(evalAll bindings es) with :? FunctionalADException as ex -> Error ex

    /// <summary>The value, failing with a <c>NonFiniteException</c> that names the first node whose value is NaN or infinite.</summary>
    let evalChecked (bindings: (Expr * Tensor) list) (e: Expr) : Tensor = Ad.Eval(e, env bindings, checkFinite = true)

    /// <summary>
    /// The outputs compiled as a function of the inputs, in that order: fused, scheduled, allocation-free to run
    /// (<c>f.Run(values)</c>). Every variable the outputs depend on must be an input.
    /// </summary>
    let compile (inputs: Expr list) (outputs: Expr list) : CompiledFunction = Ad.Compile(Array.ofList outputs, Array.ofList inputs)

    /// <summary>The outputs lowered once into a reusable plan (<c>plan.Run(env)</c>).</summary>
    let lower (outputs: Expr list) : Plan = Ad.Lower(Array.ofList outputs)

/// <summary>Tensors from and to F# arrays.</summary>
module Tensor =

    /// <summary>A float32 vector.</summary>
    let ofArray (values: float32[]) : Tensor = Tensor.From values

    /// <summary>A float64 vector.</summary>
    let ofArray64 (values: float[]) : Tensor = Tensor.From values

    /// <summary>A float32 matrix from a 2-D array.</summary>
    let ofArray2D (values: float32[,]) : Tensor = Tensor.From(values :> System.Array)

    /// <summary>A float64 matrix from a 2-D array.</summary>
    let ofArray2D64 (values: float[,]) : Tensor = Tensor.From(values :> System.Array)

    /// <summary>A float32 matrix from rows given as lists: <c>Tensor.ofRows [[1f; 2f]; [3f; 4f]]</c>.</summary>
    let ofRows (rows: float32 list list) : Tensor = array2D rows |> ofArray2D

    /// <summary>The elements in row-major order, as float.</summary>
    let toArray (t: Tensor) : float[] = t.ToDoubleArray()

    /// <summary>The elements of a matrix as a 2-D float array.</summary>
    let toArray2D (t: Tensor) : float[,] =
        if t.Shape.Rank <> 2 then raise (ShapeException $"Tensor.toArray2D: the tensor has shape {t.Shape}; it needs rank 2")
        let flat = t.ToDoubleArray()
        Array2D.init t.Shape.[0] t.Shape.[1] (fun i j -> flat.[i * t.Shape.[1] + j])

    /// <summary>The value of a one-element tensor.</summary>
    let toScalar (t: Tensor) : float = t.ToScalar()
