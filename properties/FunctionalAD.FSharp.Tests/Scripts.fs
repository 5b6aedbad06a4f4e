/// The examples run as users run them, and print the numbers worked out here by hand or in plain F#.
module FunctionalAD.FSharp.Tests.Scripts

open System
open System.IO
open System.Text.RegularExpressions
open Xunit
open FunctionalAD
open FunctionalAD.FSharp.Tests.Numbers
open FunctionalAD.FSharp.Tests.Processes

/// The examples point at the Release build; a Debug test run points them at its own build instead.
let forThisBuild (script: string) =
    let path = inRepo script
    if configuration = "Release" then path
    else
        let text = File.ReadAllText(path).Replace("\"../", $"\"{repoRoot}/").Replace("/bin/Release/", $"/bin/{configuration}/")
        let copy = Path.Combine(tempFolder "script", nonNull (Path.GetFileName path))
        File.WriteAllText(copy, text)
        copy

/// Scripts that fail, one at run time and one at compile time, written to a temp folder.
let failing =
    lazy
        (let dir = tempFolder "failing-scripts"
         let write name (lines: string list) =
             let path = Path.Combine(dir, name)
             File.WriteAllText(path, String.concat "\n" lines)
             path
         write "throws.csx" [ "#r \"nuget: FunctionalAD\""; "using static FunctionalAD.Ex;"; "var bad = Var(\"a\", 2) + Var(\"b\", 3);" ],
         write "typo.csx" [ "#r \"nuget: FunctionalAD\""; "using static FunctionalAD.Ex;"; "var x = Var(\"x\", 2);"; "Console.WriteLine(y);" ])

/// Every example starts at once (each process costs seconds to start); each test waits for its own.
let runs =
    lazy
        (dict
            [ "tour.fsx", dotnet [ "fsi"; "--quiet"; "--exec"; forThisBuild "examples/tour.fsx" ] repoRoot [] None
              "tape-basics.csx", dotnet [ replDll; "--script"; forThisBuild "examples/tape-basics.csx" ] repoRoot [] None
              "local-build.csx", dotnet [ replDll; "--script"; forThisBuild "examples/local-build.csx" ] repoRoot [] None
              "render-loss.cs", dotnet [ "run"; "-c"; configuration; "examples/render-loss.cs" ] repoRoot [] None
              "throws.csx", dotnet [ replDll; "--script"; fst failing.Value ] repoRoot [] None
              "typo.csx", dotnet [ replDll; "--script"; snd failing.Value ] repoRoot [] None ])

let output (name: string) =
    let r = runs.Force().[name].Result
    Assert.True((r.ExitCode = 0), $"{name} failed: {r}")
    r.Out

let assertClose (tolerance: float) (expected: float[]) (actual: float[]) =
    Assert.True(close tolerance tolerance actual expected, sprintf "expected %A\n  actual %A" expected actual)

[<Fact>]
let ``tour.fsx: derivatives of x·sin x, jvp, vjp, Hessian and a relu layer's gradients`` () =
    let out = output "tour.fsx"
    let xs = [| 0.0; 1.0; 2.0 |]
    assertClose 2e-6 (xs |> Array.map (fun x -> sin x + x * cos x)) (numbersAfter "f'([0 1 2])" out)
    assertClose 2e-6 (xs |> Array.map (fun x -> 2.0 * cos x - x * sin x)) (numbersAfter "f''([0 1 2])" out)
    assertClose 2e-6 (Array.map2 (fun x t -> 2.0 * exp x * t) xs [| 1.0; 0.5; 0.25 |]) (numbersAfter "jvp" out)
    assertClose 2e-6 (xs |> Array.map (fun x -> 1.0 - tanh x ** 2.0)) (numbersAfter "vjp" out)
    assertClose 2e-6 [| 0.0; 0.0; 0.0; 0.0; 6.0; 0.0; 0.0; 0.0; 12.0 |] (numbersAfter "hessian" out)
    // relu(x w + b)² averaged over 2×2 entries; d/dz = 2·relu(z)/4 where z > 0.
    let x = [| [| 1.0; 2.0; 3.0 |]; [| -1.0; 0.0; 1.0 |] |]
    let w = [| [| 0.1; -0.2 |]; [| 0.3; 0.4 |]; [| -0.5; 0.6 |] |]
    let b = [| 0.5; -0.5 |]
    let z = x |> Array.map (fun row -> Array.init 2 (fun j -> b.[j] + Array.sum (Array.init 3 (fun k -> row.[k] * w.[k].[j]))))
    let dz = z |> Array.map (Array.map (fun v -> if v > 0.0 then 2.0 * v / 4.0 else 0.0))
    assertClose 1e-5 [| (z |> Array.sumBy (Array.sumBy (fun v -> (max v 0.0) ** 2.0))) / 4.0 |] (numbersAfter "loss" out)
    assertClose 1e-5 [| for k in 0..2 do for j in 0..1 -> dz.[0].[j] * x.[0].[k] + dz.[1].[j] * x.[1].[k] |] (numbersAfter "dloss/dw" out)
    assertClose 1e-5 [| dz.[0].[0] + dz.[1].[0]; dz.[0].[1] + dz.[1].[1] |] (numbersAfter "dloss/db" out)
    Assert.Contains("dloss/db as LaTeX: ", out)

[<Fact>]
let ``tape-basics.csx (#r "nuget: FunctionalAD"): the tutorial's dy/dw = 2, an MSE gradient, sin'' = -sin`` () =
    let out = output "tape-basics.csx"
    assertClose 1e-12 [| 2.0 |] (numbersAfter "dy/dw" out |> Array.last |> Array.singleton)
    // inputs [[1 2 3] [4 5 6]], a = [0.5 -1 0.25]: predictions [-0.75 -1.5], errors [-1.75 -1.5] against [1 0].
    assertClose 1e-6 [| (1.75 ** 2.0 + 1.5 ** 2.0) / 2.0 |] (numbersAfter "mse" out)
    assertClose 1e-5 [| -1.75 * 1.0 - 1.5 * 4.0; -1.75 * 2.0 - 1.5 * 5.0; -1.75 * 3.0 - 1.5 * 6.0 |] (numbersAfter "dmse/da" out)
    assertClose 1e-12 [| -(sin 0.5); -(sin 1.5) |] (numbersAfter "d2 sin" out)

[<Fact>]
let ``local-build.csx (#r "path.dll"): the softmax Jacobian is diag(s) - s sᵀ`` () =
    let out = output "local-build.csx"
    let e = [| 1.0; 2.0; 3.0 |] |> Array.map exp
    let s = e |> Array.map (fun v -> v / Array.sum e)
    assertClose 1e-12 s (numbersAfter "softmax" out)
    assertClose 1e-12 [| for i in 0..2 do for j in 0..2 -> (if i = j then s.[i] else 0.0) - s.[i] * s.[j] |] (numbersAfter "jacobian" out)

/// The numbers printed for a tensor from "name = tf.Tensor(" up to its shape.
let tensorAfter (name: string) (out: string) =
    let start = out.IndexOf(name + " = tf.Tensor(")
    Assert.True(start >= 0, $"no {name} tensor in:\n{out}")
    let body = out.Substring(start + name.Length + 13)
    let body = body.Substring(0, body.IndexOf("shape="))
    Regex.Matches(body, @"-?\d+(\.\d+)?([eE][-+]?\d+)?") |> Seq.map (fun m -> float m.Value) |> Seq.toArray

[<Fact>]
let ``render-loss.cs (dotnet run file.cs): the tutorial's loss and gradient, as text, LaTeX, Graphviz and numbers`` () =
    let out = output "render-loss.cs"
    for section in [ "== text"; "== latex"; "== dot"; "== values" ] do Assert.Contains(section, out)
    let latex = out.Substring(out.IndexOf "== latex", out.IndexOf "== dot" - out.IndexOf "== latex")
    Assert.Contains("\\frac{\\partial \\mathcal{L}}{\\partial w} = ", latex)
    Assert.Equal(latex |> Seq.filter ((=) '{') |> Seq.length, latex |> Seq.filter ((=) '}') |> Seq.length)
    let dot = out.Substring(out.IndexOf "digraph", out.IndexOf "== values" - out.IndexOf "digraph")
    // x @ w is computed once and drawn once, though the loss and both gradients use it.
    Assert.Single(Regex.Matches(dot, "label=\"x @ y\\\\n\\(2, 3\\)\"")) |> ignore
    Assert.Equal(3, Regex.Matches(dot, "peripheries=2").Count)
    // Mean softmax cross-entropy, worked out in plain F# from the same inputs.
    let x = Tensor.RandomNormal(Shape(2, 4), seed = 1).ToDoubleArray() |> Array.chunkBySize 4
    let w = Tensor.RandomNormal(Shape(4, 3), seed = 2).ToDoubleArray() |> Array.chunkBySize 3
    let labels = [| 2; 0 |]
    let logits = x |> Array.map (fun row -> Array.init 3 (fun j -> Array.sum (Array.init 4 (fun k -> row.[k] * w.[k].[j]))))
    let softmax = logits |> Array.map (fun l -> let m = Array.max l in let e = l |> Array.map (fun v -> exp (v - m)) in e |> Array.map (fun v -> v / Array.sum e))
    let loss = (Array.map2 (fun (p: float[]) (c: int) -> -(log p.[c])) softmax labels |> Array.sum) / 2.0
    let dlogits = Array.init 2 (fun i -> Array.init 3 (fun j -> (softmax.[i].[j] - (if labels.[i] = j then 1.0 else 0.0)) / 2.0))
    assertClose 1e-5 [| loss |] (tensorAfter "loss" out)
    assertClose 1e-5 [| for k in 0..3 do for j in 0..2 -> dlogits.[0].[j] * x.[0].[k] + dlogits.[1].[j] * x.[1].[k] |] (tensorAfter "dloss/dw" out)
    assertClose 1e-5 (Array.init 3 (fun j -> dlogits.[0].[j] + dlogits.[1].[j])) (tensorAfter "dloss/db" out)

[<Fact>]
let ``a .csx that throws or does not compile exits with 1 and says where and what`` () =
    let thrown = runs.Force().["throws.csx"].Result
    Assert.Equal(1, thrown.ExitCode)
    Assert.Contains("throws.csx: ShapeException: add: shapes (2,) and (3,) do not broadcast", thrown.Err)
    let typo = runs.Force().["typo.csx"].Result
    Assert.Equal(1, typo.ExitCode)
    Assert.Contains("typo.csx(4,19): error CS0103: The name 'y' does not exist", typo.Err)
