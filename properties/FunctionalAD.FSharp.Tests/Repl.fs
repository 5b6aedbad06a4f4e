/// The REPL driven through standard input, as a user at a terminal would, checked on its transcript.
module FunctionalAD.FSharp.Tests.Repl

open System
open Xunit
open FunctionalAD.FSharp.Tests.Numbers
open FunctionalAD.FSharp.Tests.Processes

let start (input: string) = dotnet [ replDll ] repoRoot [] (Some input)

let transcript (session: Threading.Tasks.Task<Run>) =
    let r = session.Result
    Assert.True((r.ExitCode = 0), $"REPL failed: {r}")
    r.Out

let sessionInput =
    String.concat "\n" [
        "var x = Var64(\"x\", 3);"
        "var y = Sum("
        "    Tanh(x) * 2);"
        "y"
        "var at = Env.Of((x, Tensor.From(new[] { 0.0, 1.0, 2.0 })));"
        "Ad.Grad(y, x)[0].Eval(at)"
        "undefinedName + 1"
        "Var(\"a\", 2) + Var(\"b\", 3)"
        "var k = 20;"
        "k + 22"
        "x.Shape"
        "#help"
        "#quit"
        "\"after quit\"" ]

/// Both sessions start together, since each REPL start costs seconds.
let sessions = lazy (start sessionInput, start "var z = 6 * 7;\nz")

[<Fact>]
let ``the REPL keeps state, continues open lines, prints values, survives errors, lists help and quits`` () =
    let out = transcript (fst (sessions.Force()))
    // Values: an expression as math, a tensor as TensorFlow prints it, numbers from state kept across lines.
    Assert.Contains("> y\nsum(tanh(x) * 2)\n", out)
    Assert.Contains("* ", out)
    let gradLine = out.Split('\n') |> Array.find (fun l -> l.StartsWith "tf.Tensor(")
    Assert.Contains("dtype=float64", gradLine)
    let numbers = gradLine.Substring(10, gradLine.IndexOf("shape=") - 10).Split([| ' '; '['; ']'; ',' |], System.StringSplitOptions.RemoveEmptyEntries) |> Array.map float
    Assert.True(close 1e-7 1e-8 numbers ([| 0.0; 1.0; 2.0 |] |> Array.map (fun v -> 2.0 * (1.0 - tanh v ** 2.0))), gradLine)
    Assert.Contains("error CS0103: The name 'undefinedName' does not exist", out)
    Assert.Contains("ShapeException: ", out)
    Assert.Contains("> k + 22\n42\n", out)
    Assert.Contains("> x.Shape\n(3,)\n", out)
    // #help lists the combinators and derivatives that are there, by their names.
    for name in [ "#quit"; "MatMul"; "Softmax"; "Grad"; "Jacobian"; "ToLatex"
                  "GradientTape"; "Variable"; "SparseCategoricalCrossentropy"; "Adam"; "Sgd" ] do Assert.Contains(name, out)
    Assert.DoesNotContain("after quit", out)

[<Fact>]
let ``the end of input ends the REPL cleanly, running what was typed last`` () =
    let out = transcript (snd (sessions.Force()))
    Assert.Contains("> z\n42", out)
