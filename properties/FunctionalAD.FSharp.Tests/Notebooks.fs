/// FunctionalAD.Interactive from F#: values render through the notebook formatters, and the F# notebook's
/// cells run in dotnet fsi with the package's assemblies, as the F# kernel would run them.
module FunctionalAD.FSharp.Tests.Notebooks

open System
open System.IO
open System.Text.Json
open System.Text.Json.Nodes
open System.Text.RegularExpressions
open Xunit
open FunctionalAD
open FunctionalAD.FSharp
open FunctionalAD.Interactive
open Microsoft.DotNet.Interactive.Formatting
open type FunctionalAD.Ex
open FunctionalAD.FSharp.Tests.Processes

[<Fact>]
let ``an F# expression renders as typeset math and a piped tensor as a heatmap table`` () =
    NotebookFormatters.Register()
    let x = var "x" [ 2; 3 ]
    let e = tanh x * 2.0f
    let latex = e.ToDisplayString "text/latex"
    Assert.StartsWith("$$", latex)
    Assert.Contains(@"\tanh", latex)
    Assert.Contains(@"\mathbb{R}^{2 \times 3}", latex)
    let html = Tensor.From([| -1.0f; 0.0f; 1.0f; 2.0f |], Shape(2, 2)) |> Notebook.Heatmap |> fun t -> t.ToDisplayString "text/html"
    Assert.Equal(4, Regex.Matches(html, "<td style=\"[^\"]*background-color:#").Count)
    let history = TrainingHistory().Record(1, [ "loss", 0.5; "accuracy", 0.9 ]).Record(2, [ "loss", 0.25 ])
    Assert.Equal<float[]>([| 0.5; 0.25 |], history.Values "loss")
    Assert.Equal(2, Regex.Matches(history.ToSvg(), "<polyline ").Count)

/// The notebook's cells as one script: package directives replaced by references to the assemblies these
/// tests were built with, the extension's registration run as loading the package runs it, the kernel's
/// display, and each cell's final value displayed as the kernel displays it.
let script (cells: string list) =
    let bin = AppContext.BaseDirectory
    let dlls = [ "FunctionalAD"; "FunctionalAD.FSharp"; "FunctionalAD.Interactive"; "Microsoft.DotNet.Interactive.Formatting"; "Microsoft.AspNetCore.Html.Abstractions"; "LanguageExt.Core"; "System.Numerics.Tensors" ]
    let prelude =
        [ yield $"#I @\"{bin}\""
          for d in dlls -> $"#r \"{d}.dll\""
          yield "FunctionalAD.Interactive.NotebookFormatters.Register()"
          yield "let display (value: obj) ="
          yield "    let shown = Microsoft.DotNet.Interactive.Formatting.DisplayedValue(value, Microsoft.DotNet.Interactive.Formatting.FormattedValue.CreateManyFromObject(value))"
          yield "    printfn \"<<<display>>>\""
          yield "    for f in shown.FormattedValues do printfn \"<<<%s>>>\\n%s\\n<<<end>>>\" f.MimeType f.Value"
          yield "    shown" ]
    let isDirective (l: string) = l.StartsWith("#i \"nuget:") || l.StartsWith("#r \"nuget:")
    let cell (i: int) (source: string) =
        let lines = source.Replace("\r\n", "\n").Split('\n') |> Array.filter (isDirective >> not) |> Array.toList
        // The cell's last top-level expression (with the lines piped into it) is its value, as the kernel shows it.
        let starts = [ "let "; "open "; "for "; "match "; "type "; "do "; "//"; "#"; "|"; " "; ")" ]
        let last = lines |> List.findIndexBack (fun l -> l.Length > 0 && not (l.StartsWith "|>") && not (l.StartsWith " "))
        let body, tail = List.splitAt last lines
        let valueLine = tail.Head
        let value =
            if starts |> List.exists (fun s -> valueLine.StartsWith s) then tail
            else
                [ $"let cellValue{i} ="; yield! tail |> List.map (fun l -> "    " + l)
                  $"if not (isNull (box cellValue{i})) && typeof<unit> <> cellValue{i}.GetType() then display (box cellValue{i}) |> ignore" ]
        [ $"printfn \"<<<cell {i}>>>\""; yield! body; yield! value ]
    String.concat "\n" (prelude @ (cells |> List.mapi cell |> List.concat))

/// Each display of cell <paramref name="cell"/> in the script's output: its MIME types and formatted values.
let displays (out: string) (cell: int) =
    let after = out.Substring(out.IndexOf($"<<<cell {cell}>>>"))
    let upto = match after.IndexOf($"<<<cell {cell + 1}>>>") with -1 -> after | n -> after.Substring(0, n)
    [ for d in upto.Split("<<<display>>>") |> Array.skip 1 ->
          [ for m in Regex.Matches(d, "<<<([a-z]+/[-+.a-z]+)>>>\n(.*?)\n<<<end>>>", RegexOptions.Singleline) -> m.Groups[1].Value, m.Groups[2].Value ] ]

/// Writes what the cells showed into the notebook's outputs (FUNCTIONALAD_WRITE_NOTEBOOK_OUTPUTS=1), so it reads
/// with its results where no kernel runs it.
let writeOutputs (path: string) (out: string) =
    let root = nonNull (JsonNode.Parse(File.ReadAllText path))
    let lines (text: string) =
        let parts = text.Replace("\r\n", "\n").Split('\n')
        JsonArray([| for i in 0 .. parts.Length - 1 do
                         if i < parts.Length - 1 then yield JsonValue.Create(parts[i] + "\n") :> JsonNode | null
                         elif parts[i] <> "" then yield JsonValue.Create(parts[i]) :> JsonNode | null |])
    let mutable count = 0
    for c in (nonNull root["cells"]).AsArray() do
        let c = nonNull c
        if (nonNull c["cell_type"]).GetValue<string>() = "code" then
            let outputs = JsonArray()
            for d in displays out count do
                let data = JsonObject()
                for mime, value in d do data[mime] <- lines value
                outputs.Add(JsonObject(dict [ "data", (data :> JsonNode | null); "metadata", JsonObject(); "output_type", JsonValue.Create "display_data" ]))
            count <- count + 1
            c["execution_count"] <- JsonValue.Create count
            c["outputs"] <- outputs
    let options = JsonSerializerOptions(WriteIndented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping)
    File.WriteAllText(path, root.ToJsonString(options) + "\n")

[<Fact>]
let ``the F# notebook's cells run in order and show math, a heatmap and a chart`` () =
    use json = JsonDocument.Parse(File.ReadAllText(inRepo "examples/notebooks/functionalad-fsharp.ipynb"))
    let code =
        [ for c in json.RootElement.GetProperty("cells").EnumerateArray() do
              if c.GetProperty("cell_type").GetString() = "code" then
                  let kernel = c.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelName").GetString()
                  Assert.Equal("fsharp", kernel)
                  yield c.GetProperty("source").EnumerateArray() |> Seq.map (fun s -> nonNull (s.GetString())) |> String.concat "" ]
    Assert.Contains("#r \"nuget: FunctionalAD.Interactive", code.Head)
    let path = Path.Combine(tempFolder "fsharp-notebook", "notebook.fsx")
    File.WriteAllText(path, script code)
    let r = (dotnet [ "fsi"; "--quiet"; "--exec"; path ] repoRoot [] None).Result
    Assert.True((r.ExitCode = 0), $"the notebook's script failed: {r}\n--- script\n{File.ReadAllText path}")
    if Environment.GetEnvironmentVariable "FUNCTIONALAD_WRITE_NOTEBOOK_OUTPUTS" = "1" then
        writeOutputs (inRepo "examples/notebooks/functionalad-fsharp.ipynb") r.Out
    let shown (cell: int) = displays r.Out cell |> List.concat
    // Cell 1: the gradient as an equation, then the cell's value, the gradient itself, as math.
    let math = shown 1 |> List.filter (fst >> (=) "text/latex") |> List.map snd
    Assert.Equal(2, math.Length)
    Assert.StartsWith(@"$$\nabla f(x) = ", math[0])
    Assert.Contains(@"\cos", math[1])
    // Cell 2: the Hessian of log-sum-exp, positive diagonal and negative elsewhere.
    let heatmap = shown 2 |> List.find (fst >> (=) "text/html") |> snd
    Assert.Equal(16, Regex.Matches(heatmap, "background-color:#").Count)
    // Cell 3: the chart has a line per series, and descent reached the bowl's bottom.
    let chart = shown 3 |> List.find (fst >> (=) "text/html") |> snd
    Assert.Equal(3, Regex.Matches(chart, "<polyline ").Count)
    let table = shown 3 |> List.find (fst >> (=) "text/plain") |> snd
    let lastRow = table.Split('\n') |> Array.last |> fun l -> l.Split(' ', StringSplitOptions.RemoveEmptyEntries) |> Array.map float
    Assert.Equal(25.0, lastRow[0])
    Assert.True(lastRow[1] < 0.02 && abs (lastRow[2] - 3.0) < 0.05 && abs (lastRow[3] + 1.0) < 0.05, $"last step: %A{lastRow}")
