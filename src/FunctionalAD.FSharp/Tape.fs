namespace FunctionalAD.FSharp

open FunctionalAD

/// <summary>
/// <c>GradientTape</c> from F#: sources as F# lists, and a gradient TensorFlow gives as None (an unwatched or
/// unconnected source) as <c>None</c> rather than null. The tape itself is the C# one: <c>use tape = new GradientTape()</c>.
/// </summary>
module Tape =

    /// <summary>∂target/∂source through the recorded work, or <c>None</c> when the source is unwatched or unconnected.</summary>
    let gradient (tape: GradientTape) (target: Expr) (source: Expr) : EagerTensor option =
        tape.Gradient(target, source) |> Option.ofObj

    /// <summary>∂target/∂x for each expression x, in order; <c>None</c> where TensorFlow gives None.</summary>
    let gradients (tape: GradientTape) (target: Expr) (sources: Expr list) : EagerTensor option list =
        tape.Gradient(target, sources) |> Seq.map Option.ofObj |> List.ofSeq

    /// <summary>∂target/∂v for a <c>Variable</c> (watched when read, unless the tape says otherwise).</summary>
    let variableGradient (tape: GradientTape) (target: Expr) (v: Variable) : EagerTensor option =
        tape.Gradient(target, v) |> Option.ofObj

    /// <summary>∂target/∂v for each <c>Variable</c>, in order: <c>Tape.variableGradients tape loss [ w; b ]</c>.</summary>
    let variableGradients (tape: GradientTape) (target: Expr) (variables: Variable list) : EagerTensor option list =
        tape.Gradient(target, variables) |> Seq.map Option.ofObj |> List.ofSeq

    /// <summary>The gradient, or zeros shaped like the source where TensorFlow would give None (<c>unconnected_gradients=ZERO</c>).</summary>
    let gradientOrZeros (tape: GradientTape) (target: Expr) (source: Expr) : EagerTensor =
        tape.Gradient(target, source, unconnectedGradients = UnconnectedGradients.Zero) |> nonNull

    /// <summary>∂target/∂source with shape target.shape + source.shape, or <c>None</c> when unconnected.</summary>
    let jacobian (tape: GradientTape) (target: Expr) (source: Expr) : EagerTensor option =
        tape.Jacobian(target, source) |> Option.ofObj

    /// <summary>Per-example Jacobians ∂target[b]/∂source[b] along the leading (batch) axis, or <c>None</c> when unconnected.</summary>
    let batchJacobian (tape: GradientTape) (target: Expr) (source: Expr) : EagerTensor option =
        tape.BatchJacobian(target, source) |> Option.ofObj

    /// <summary>Watches expressions (constants, intermediates) so gradients with respect to them are recorded.</summary>
    let watch (tape: GradientTape) (sources: Expr list) : unit = tape.Watch(Array.ofList sources)

    /// <summary>Watches variables by hand, as on a tape made with <c>watchAccessedVariables = false</c>.</summary>
    let watchVariables (tape: GradientTape) (variables: Variable list) : unit = tape.Watch(Array.ofList variables)

    /// <summary>A gradient as TensorFlow prints it, <c>None</c> included.</summary>
    let show (gradient: EagerTensor option) : string =
        match gradient with
        | Some g -> string g
        | None -> "None"
