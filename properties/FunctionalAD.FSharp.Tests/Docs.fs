/// Every C# and F# code block in README.md and docs/*.md compiles and runs, and a line that prints with a
/// `// text` comment prints that text: the docs cannot drift from the library.
module FunctionalAD.FSharp.Tests.Docs

open System
open System.IO
open System.Text.RegularExpressions
open Microsoft.CodeAnalysis.CSharp.Scripting
open Microsoft.CodeAnalysis.Scripting
open Xunit
open FunctionalAD.FSharp.Tests.Processes

/// One fenced block: its page, line, language, and the code with any hidden setup before it.
type Block =
    { Page: string
      Line: int
      Lang: string
      Code: string
      SkipReason: string option }

let pages () =
    [ yield inRepo "README.md"
      yield! Directory.GetFiles(inRepo "docs", "*.md") |> Array.sort ]

/// A block may be preceded by `<!-- doc-test setup: code -->` (definitions the page's prose leaves implicit)
/// (`\n` in it starts a new line) or `<!-- doc-test skip: reason -->` (a block that cannot run here, e.g. one that installs a package).
let blocks (page: string) =
    let lines = File.ReadAllLines page
    let rel = Path.GetRelativePath(repoRoot, page)
    [ let mutable i = 0
      let mutable setup = ""
      let mutable skip = None
      while i < lines.Length do
          let l = lines.[i].Trim()
          let m = Regex.Match(l, @"^<!-- doc-test (setup|skip): (.*) -->$")
          if m.Success then
              if m.Groups.[1].Value = "setup" then setup <- setup + m.Groups.[2].Value.Replace("\\n", "\n") + "\n" else skip <- Some m.Groups.[2].Value
              i <- i + 1
          elif l.StartsWith "```" then
              let lang = l.Substring(3).Trim()
              let start = i + 1
              i <- i + 1
              while i < lines.Length && not (lines.[i].Trim().StartsWith "```") do i <- i + 1
              let code = String.Join("\n", lines.[start .. i - 1])
              if lang = "csharp" || lang = "fsharp" then
                  yield { Page = rel; Line = start; Lang = lang; Code = setup + code; SkipReason = skip }
              setup <- ""
              skip <- None
              i <- i + 1
          else
              if l <> "" then (setup <- ""; skip <- None)
              i <- i + 1 ]

let allBlocks = lazy (pages () |> List.collect blocks)

/// The texts a block says it prints: `Console.WriteLine(...); // text` in C#, `printfn ... // text` in F#.
let expectedPrints (b: Block) =
    [ for line in b.Code.Split('\n') do
          let m = Regex.Match(line, @"^\s*(Console\.WriteLine|printfn)\b.*?//\s*(.+?)\s*$")
          if m.Success then yield m.Groups.[2].Value ]

let private consoleLock = obj ()

/// A block's using directives go before its hidden setup, where C# requires them.
let usingsFirst (code: string) =
    let isUsing (l: string) = Regex.IsMatch(l, @"^\s*using\s+(static\s+)?[A-Za-z_.]+\s*;\s*$")
    let lines = code.Split('\n')
    String.Join("\n", Array.append (Array.filter isUsing lines) (Array.filter (isUsing >> not) lines))

/// Runs a page's C# blocks in order as script submissions (so a later block sees an earlier one's names and may
/// redefine them), capturing what they print.
let runCSharp (page: Block list) =
    let options =
        ScriptOptions.Default
            .AddReferences(typeof<FunctionalAD.Expr>.Assembly, typeof<LanguageExt.Unit>.Assembly, typeof<FunctionalAD.Testing.GradCheck>.Assembly)
            .AddImports("System", "System.Linq", "System.Collections.Generic", "FunctionalAD", "FunctionalAD.Ex")
    lock consoleLock (fun () ->
        let out = new StringWriter()
        let saved = Console.Out
        Console.SetOut out
        try
            let mutable state: ScriptState<obj> option = None
            for b in page do
                try
                    state <-
                        Some(
                            match state with
                            | None -> CSharpScript.RunAsync(usingsFirst b.Code, options).Result
                            | Some s -> s.ContinueWithAsync(usingsFirst b.Code, options).Result
                        )
                with e ->
                    let inner = match e with :? AggregateException as a when not (isNull a.InnerException) -> nonNull a.InnerException | e -> e
                    failwithf "%s line %d (csharp) failed: %s\n%s" b.Page b.Line (inner.GetType().Name) inner.Message
            out.ToString()
        finally
            Console.SetOut saved)

[<Fact>]
let ``the docs have C# and F# blocks to check, and every skipped block says why`` () =
    let all = allBlocks.Force()
    Assert.True(all |> List.exists (fun b -> b.Lang = "csharp"))
    Assert.True(all |> List.exists (fun b -> b.Lang = "fsharp"))
    for b in all do
        match b.SkipReason with
        | Some reason -> Assert.True(reason.Length > 10, $"{b.Page} line {b.Line}: a skip needs a reason")
        | None -> ()

[<Fact>]
let ``every C# block in the README and docs compiles, runs and prints what it says`` () =
    let byPage = allBlocks.Force() |> List.filter (fun b -> b.Lang = "csharp" && b.SkipReason.IsNone) |> List.groupBy (fun b -> b.Page)
    for page, bs in byPage do
        let out = runCSharp bs
        for b in bs do
            for text in expectedPrints b do
                Assert.True(out.Contains text, $"{page} line {b.Line}: expected the block to print '{text}'; it printed:\n{out}")

[<Fact>]
let ``every F# block in the README and docs compiles, runs and prints what it says`` () =
    let byPage = allBlocks.Force() |> List.filter (fun b -> b.Lang = "fsharp" && b.SkipReason.IsNone) |> List.groupBy (fun b -> b.Page)
    let bin = inRepo $"src/FunctionalAD.FSharp/bin/{configuration}/net10.0"
    let runs =
        [ for page, bs in byPage ->
              // Each block is its own interaction (ended by ;;), so a later block may redefine a name as the page does.
              let header = $"#I @\"{bin}\"\n#r \"FunctionalAD.dll\"\n#r \"FunctionalAD.FSharp.dll\"\n;;\n"
              let body = bs |> List.map (fun b -> $"# {b.Line} \"{b.Page}\"\n{b.Code}\n;;\n") |> String.concat ""
              page, bs, dotnet [ "fsi"; "--quiet"; "--nologo" ] (tempFolder "doc-fsi") [] (Some(header + body + "#quit;;\n")) ]
    for page, bs, run in runs do
        let r = run.Result
        // Interactive fsi goes on after an error, so errors are read from what it prints.
        Assert.True((r.ExitCode = 0 && not ((r.Out + r.Err).Contains("error FS"))), $"{page}: the F# blocks failed: {r}")
        for b in bs do
            for text in expectedPrints b do
                Assert.True(r.Out.Contains text, $"{page} line {b.Line}: expected the block to print '{text}'; it printed:\n{r.Out}")
