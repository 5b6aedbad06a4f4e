/// Running the examples, the REPL and the package consumers as a user would: as separate processes.
module FunctionalAD.FSharp.Tests.Processes

open System
open System.Diagnostics
open System.IO
open System.Reflection
open System.Text.RegularExpressions
open System.Threading.Tasks

type Marker = class end

/// The folder holding FunctionalAD.sln.
let repoRoot =
    let rec up (dir: DirectoryInfo | null) =
        match dir with
        | null -> failwith "FunctionalAD.sln not found above the test assembly"
        | d when File.Exists(Path.Combine(d.FullName, "FunctionalAD.sln")) -> d.FullName
        | d -> up d.Parent
    up (DirectoryInfo AppContext.BaseDirectory)

/// Debug or Release: the configuration these tests (and so the projects they reference) were built in.
let configuration =
    match typeof<Marker>.Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>() with
    | null -> failwith "the test assembly has no configuration attribute"
    | a -> a.Configuration

let inRepo (relative: string) = Path.Combine(repoRoot, relative)

/// The REPL and .csx runner as built alongside these tests.
let replDll = inRepo $"src/FunctionalAD.Repl/bin/{configuration}/net10.0/FunctionalAD.Repl.dll"

type Run =
    { ExitCode: int
      Out: string
      Err: string }
    override r.ToString() = $"exit {r.ExitCode}\n--- stdout\n{r.Out}\n--- stderr\n{r.Err}"

/// Runs a command to completion (or kills it after the timeout) and returns what it printed.
let run (file: string) (args: string list) (cwd: string) (env: (string * string) list) (stdin: string option) (timeout: TimeSpan) : Task<Run> =
    task {
        let info = ProcessStartInfo(file, WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false)
        for a in args do info.ArgumentList.Add a
        for k, v in [ "DOTNET_NOLOGO", "1"; "DOTNET_CLI_TELEMETRY_OPTOUT", "1"; "DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "1" ] @ env do
            info.Environment.[k] <- v
        use p =
            match Process.Start info with
            | null -> failwithf "could not start %s" file
            | p -> p
        let out = p.StandardOutput.ReadToEndAsync()
        let err = p.StandardError.ReadToEndAsync()
        match stdin with
        | Some text -> do! p.StandardInput.WriteAsync text
        | None -> ()
        p.StandardInput.Close()
        use cts = new Threading.CancellationTokenSource(timeout)
        try
            do! p.WaitForExitAsync cts.Token
        with :? OperationCanceledException ->
            p.Kill true
            failwithf "%s %s did not finish within %O" file (String.Join(" ", args)) timeout
        let! o = out
        let! e = err
        return { ExitCode = p.ExitCode; Out = o; Err = e }
    }

/// Starts dotnet on the thread pool, away from the test runner's synchronisation context, so tests may block on it.
let dotnet (args: string list) (cwd: string) (env: (string * string) list) (stdin: string option) =
    Task.Run<Run>(fun () -> run "dotnet" args cwd env stdin (TimeSpan.FromMinutes 4.0))

/// A fresh folder under the system temp folder.
let tempFolder (prefix: string) =
    let dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}")
    Directory.CreateDirectory dir |> ignore
    dir

/// The numbers after "name =" on the line that starts with name.
let numbersAfter (name: string) (output: string) : float[] =
    let line =
        output.Split('\n')
        |> Array.tryFind (fun l -> l.StartsWith(name + " =") || l.StartsWith(name + "="))
        |> Option.defaultWith (fun () -> failwithf "no line '%s = ...' in:\n%s" name output)
    let rest = line.Substring(line.IndexOf('=') + 1)
    Regex.Matches(rest, @"-?\d+(\.\d+)?([eE][-+]?\d+)?") |> Seq.map (fun m -> float m.Value) |> Seq.toArray
