/// The F# tutorial (examples/Tutorial.fsx) and the C# one (examples/Tutorial) print the same thing, line for line.
module FunctionalAD.FSharp.Tests.TutorialFSharp

open System
open Xunit
open FunctionalAD.FSharp.Tests.Processes
open FunctionalAD.FSharp.Tests.Scripts

let lines (text: string) = text.Replace("\r\n", "\n").TrimEnd().Split('\n')

[<Fact>]
let ``Tutorial.fsx prints what the C# tutorial prints, line for line, for every section`` () =
    let csharpDll = inRepo $"examples/Tutorial/bin/{configuration}/net10.0/Tutorial.dll"
    let fsharp = dotnet [ "fsi"; "--quiet"; "--exec"; forThisBuild "examples/Tutorial.fsx" ] repoRoot [] None
    let csharp = dotnet [ csharpDll ] repoRoot [] None
    let fs, cs = fsharp.Result, csharp.Result
    Assert.True((cs.ExitCode = 0), $"the C# tutorial failed: {cs}")
    Assert.True((fs.ExitCode = 0), $"Tutorial.fsx failed: {fs}")
    let fsLines, csLines = lines fs.Out, lines cs.Out
    // Both printing little or nothing would agree too; every section of the seed tutorial must be there.
    for header in [ "== 1.1 "; "== 1.3 "; "== 3.1 "; "== 3.2 "; "== 3.3 "; "== 3.4 "; "== 4 " ] do
        Assert.True(csLines |> Array.exists (fun l -> l.StartsWith header), $"the C# tutorial has no section '{header}':\n{cs.Out}")
    Assert.True(csLines |> Array.exists (fun l -> l.Contains "tf.Tensor("), $"the C# tutorial printed no tensor:\n{cs.Out}")
    // Section 1.1 by hand: y = x², z = x⁴ at x = 3 give 6 and 108; an unwatched or unconnected source gives None.
    for expected in [ "dy/dx = tf.Tensor(6.0,"; "dz/dx = tf.Tensor(108.0,"; "watch_accessed_variables=False: None"
                      "watched by hand: tf.Tensor(6.0,"; "unconnected, None: None"; "unconnected, Zero: tf.Tensor(0.0," ] do
        Assert.True(csLines |> Array.exists (fun l -> l.StartsWith expected), $"the C# tutorial has no line starting '{expected}':\n{cs.Out}")
    // Section 4: gradient descent with a small step lowers the loss at every step.
    let losses =
        csLines
        |> Array.filter (fun l -> l.StartsWith "step ")
        |> Array.map (fun l -> Text.RegularExpressions.Regex.Match(l, @"tf\.Tensor\(([-0-9.e]+)").Groups.[1].Value |> float)
    Assert.Equal(5, losses.Length)
    Assert.True(Array.pairwise losses |> Array.forall (fun (a, b) -> b < a), sprintf "the loss did not fall at every step: %A" losses)
    for i in 0 .. max fsLines.Length csLines.Length - 1 do
        let at (ls: string[]) = if i < ls.Length then ls.[i] else "<no line>"
        Assert.True((at fsLines = at csLines), $"line {i + 1} differs:\n  C#: {at csLines}\n  F#: {at fsLines}\n--- F# output\n{fs.Out}")

[<Fact>]
let ``Tutorial.fsx runs one section when named, and refuses an unknown one`` () =
    let one = (dotnet [ "fsi"; "--quiet"; "--exec"; forThisBuild "examples/Tutorial.fsx"; "3.3" ] repoRoot [] None).Result
    Assert.True((one.ExitCode = 0), $"{one}")
    Assert.Equal("== 3.3 cross-entropy ==", (lines one.Out).[0])
    Assert.DoesNotContain("== 3.4", one.Out)
    let bad = (dotnet [ "fsi"; "--quiet"; "--exec"; forThisBuild "examples/Tutorial.fsx"; "9.9" ] repoRoot [] None).Result
    Assert.Equal(1, bad.ExitCode)
    Assert.Contains("unknown section", bad.Err)
