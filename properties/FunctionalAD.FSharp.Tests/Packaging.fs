/// dotnet pack gives packages with readme, licence, docs, SourceLink and symbols, and they install from a
/// local folder into an F# script and into a fresh C# console project.
module FunctionalAD.FSharp.Tests.Packaging

open System
open System.IO
open System.IO.Compression
open System.Text
open System.Threading.Tasks
open Xunit
open FunctionalAD.FSharp.Tests.Processes

/// A version no earlier run used, so the NuGet cache can never hand back a stale package.
let version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}{Random.Shared.Next(1000):D3}"

let feed = lazy (tempFolder "functionalad-feed")

let packed =
    lazy
        (task {
            let pack project =
                dotnet [ "pack"; inRepo project; "--no-build"; "-c"; configuration; "-o"; feed.Value; $"-p:PackageVersion={version}" ] repoRoot [] None
            // Both at once: with --no-build each only reads its own project's outputs.
            let! both = Task.WhenAll [| pack "src/FunctionalAD/FunctionalAD.csproj"; pack "src/FunctionalAD.FSharp/FunctionalAD.FSharp.fsproj" |]
            return List.ofArray both
        })

let requirePacked () =
    for r in packed.Force().Result do Assert.True((r.ExitCode = 0), $"dotnet pack failed: {r}")

let entries (file: string) =
    use zip = ZipFile.OpenRead file
    zip.Entries |> Seq.map (fun e -> e.FullName) |> Set.ofSeq

let readEntry (file: string) (name: string) =
    use zip = ZipFile.OpenRead file
    use s =
        match zip.GetEntry name with
        | null -> failwithf "%s has no %s" file name
        | e -> e.Open()
    use m = new MemoryStream()
    s.CopyTo m
    m.ToArray()

let nuspec (id: string) = Encoding.UTF8.GetString(readEntry (Path.Combine(feed.Value, $"{id}.{version}.nupkg")) $"{id}.nuspec")

/// Removes this run's packages from the NuGet cache once both consumers are done.
let forget () =
    let cache =
        Environment.GetEnvironmentVariable "NUGET_PACKAGES"
        |> Option.ofObj
        |> Option.defaultValue (Path.Combine(Environment.GetFolderPath Environment.SpecialFolder.UserProfile, ".nuget", "packages"))
    for id in [ "functionalad"; "functionalad.fsharp" ] do
        let dir = Path.Combine(cache, id, version.ToLowerInvariant())
        if Directory.Exists dir then Directory.Delete(dir, true)

[<Fact>]
let ``the packages carry readme, MIT licence, XML docs, repository, symbols with SourceLink, and a version`` () =
    requirePacked ()
    let core = Path.Combine(feed.Value, $"FunctionalAD.{version}.nupkg")
    let files = entries core
    for f in [ "README.md"; "lib/net10.0/FunctionalAD.dll"; "lib/net10.0/FunctionalAD.xml" ] do Assert.Contains(f, files)
    let spec = nuspec "FunctionalAD"
    Assert.Contains($"<version>{version}</version>", spec)
    Assert.Contains("<license type=\"expression\">MIT</license>", spec)
    Assert.Contains("<readme>README.md</readme>", spec)
    Assert.Contains("<repository type=\"git\"", spec)
    Assert.Contains("id=\"LanguageExt.Core\"", spec)
    let symbols = Path.Combine(feed.Value, $"FunctionalAD.{version}.snupkg")
    Assert.True(File.Exists symbols, "no .snupkg beside the package")
    // SourceLink writes its URL map into the portable PDB as UTF-8 JSON.
    let pdb = Encoding.UTF8.GetString(readEntry symbols "lib/net10.0/FunctionalAD.pdb")
    Assert.Contains("\"documents\":", pdb)
    Assert.Contains("raw.githubusercontent.com", pdb)
    let fsSpec = nuspec "FunctionalAD.FSharp"
    Assert.Contains($"id=\"FunctionalAD\" version=\"{version}\"", fsSpec)
    Assert.Contains("id=\"FSharp.Core\" version=\"10.1.401\"", fsSpec)
    let fsFiles = entries (Path.Combine(feed.Value, $"FunctionalAD.FSharp.{version}.nupkg"))
    for f in [ "README.md"; "lib/net10.0/FunctionalAD.FSharp.dll"; "lib/net10.0/FunctionalAD.FSharp.xml" ] do Assert.Contains(f, fsFiles)
    Assert.True(File.Exists(Path.Combine(feed.Value, $"FunctionalAD.FSharp.{version}.snupkg")), "no .snupkg for FunctionalAD.FSharp")

let consumers =
    lazy
        (task {
            requirePacked ()
            let scriptDir = tempFolder "functionalad-fsx"
            let script = Path.Combine(scriptDir, "consume.fsx")
            File.WriteAllText(script, String.concat "\n" [
                $"#i \"nuget: {feed.Value}\""
                $"#r \"nuget: FunctionalAD, {version}\""
                $"#r \"nuget: FunctionalAD.FSharp, {version}\""
                "open FunctionalAD"
                "open type FunctionalAD.Ex"
                "open FunctionalAD.FSharp"
                "let x = var64 \"x\" [ 2 ]"
                "let g = grad (fun z -> Sum(z ** 3)) x |> eval [ (x, Tensor.ofArray64 [| 1.0; 2.0 |]) ]"
                "printfn \"fsx: %s\" (g.ToDoubleArray() |> Array.map string |> String.concat \" \")" ])
            let project = tempFolder "functionalad-console"
            File.WriteAllText(Path.Combine(project, "nuget.config"), String.concat "\n" [
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                "<configuration>"
                "  <packageSources>"
                "    <clear />"
                $"    <add key=\"local\" value=\"{feed.Value}\" />"
                "    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" protocolVersion=\"3\" />"
                "  </packageSources>"
                "</configuration>" ])
            File.WriteAllText(Path.Combine(project, "Consumer.csproj"), String.concat "\n" [
                "<Project Sdk=\"Microsoft.NET.Sdk\">"
                "  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>"
                $"  <ItemGroup><PackageReference Include=\"FunctionalAD\" Version=\"{version}\" /></ItemGroup>"
                "</Project>" ])
            File.WriteAllText(Path.Combine(project, "Program.cs"), String.concat "\n" [
                "using FunctionalAD;"
                "using static FunctionalAD.Ex;"
                "var w = Var64(\"w\", 2);"
                "var loss = Sum(Square(w - 3.0));"
                "var g = Ad.Grad(loss, w)[0].Eval(Env.Of((w, Tensor.From(new[] { 1.0, 5.0 }))));"
                "Console.WriteLine(\"console: \" + string.Join(\" \", g.ToDoubleArray()));" ])
            let fsx = dotnet [ "fsi"; "--quiet"; "--exec"; script ] scriptDir [] None
            let console = dotnet [ "run" ] project [] None
            let! results = Task.WhenAll [| fsx; console |]
            forget ()
            return results.[0], results.[1]
        })

[<Fact>]
let ``an F# script installs the packages with #r "nuget: FunctionalAD" from the local folder`` () =
    let fsx, _ = consumers.Force().Result
    Assert.True((fsx.ExitCode = 0), $"the .fsx failed: {fsx}")
    // d/dz Σ z³ = 3z² at [1, 2]
    Assert.Contains("fsx: 3 12", fsx.Out)

[<Fact>]
let ``a fresh console project restores FunctionalAD from the local folder and runs`` () =
    let _, console = consumers.Force().Result
    Assert.True((console.ExitCode = 0), $"the console project failed: {console}")
    // d/dw Σ (w - 3)² = 2 (w - 3) at [1, 5]
    Assert.Contains("console: -4 4", console.Out)
