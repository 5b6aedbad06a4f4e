using System.Diagnostics;
using System.IO.Compression;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;
using Xunit;

namespace FunctionalAD.Interactive.Tests;

public class PackageTests
{
    [Fact]
    public async Task The_package_carries_the_extension_script_where_dotnet_interactive_looks_for_it()
    {
        var feed = Path.Combine(Path.GetTempPath(), $"functionalad-interactive-{Guid.NewGuid():N}");
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        try
        {
            var (code, output) = await Dotnet("pack", Repo.Path("src/FunctionalAD.Interactive/FunctionalAD.Interactive.csproj"),
                "--no-build", "-c", Repo.Configuration, "-o", feed, $"-p:PackageVersion={version}");
            Assert.True(code == 0, $"dotnet pack failed:\n{output}");
            using var zip = ZipFile.OpenRead(Path.Combine(feed, $"FunctionalAD.Interactive.{version}.nupkg"));
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            foreach (var f in new[] { "interactive-extensions/dotnet/extension.dib", "lib/net10.0/FunctionalAD.Interactive.dll", "lib/net10.0/FunctionalAD.Interactive.xml", "README.md" })
                Assert.Contains(f, entries);
            using var dib = new StreamReader(zip.GetEntry("interactive-extensions/dotnet/extension.dib")!.Open());
            Assert.Equal(File.ReadAllText(Repo.Path("src/FunctionalAD.Interactive/extension.dib")), dib.ReadToEnd());
            var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
            Assert.Contains($"id=\"FunctionalAD\" version=\"{version}\"", nuspec);
            Assert.Contains("id=\"Microsoft.DotNet.Interactive.Formatting\"", nuspec);
            Assert.Contains("<license type=\"expression\">MIT</license>", nuspec);
        }
        finally
        {
            if (Directory.Exists(feed)) Directory.Delete(feed, recursive: true);
        }
    }

    [Fact]
    public async Task Running_the_extension_script_registers_the_formatters()
    {
        Formatter.ResetToDefault();
        Assert.NotEqual("text/latex", Formatter.GetPreferredMimeTypesFor(typeof(Apply)).First());
        var options = ScriptOptions.Default.WithReferences(typeof(NotebookFormatters).Assembly, typeof(Expr).Assembly);
        await CSharpScript.RunAsync(NotebookRunner.ExtensionScript(), options);
        Assert.Equal("text/latex", Formatter.GetPreferredMimeTypesFor(typeof(Apply)).First());
        Assert.StartsWith("$$", Ex.Exp(Ex.Var("x", 2)).ToDisplayString("text/latex"));
    }

    [Fact]
    public void Registering_twice_changes_nothing()
    {
        Render.Reset();
        var t = Tensor.From(new[] { 1f, -1f });
        var once = (Render.Html(t), Render.Plain(t), Render.Latex(Ex.Var("q", 2)));
        NotebookFormatters.Register();
        Assert.Equal(once, (Render.Html(t), Render.Plain(t), Render.Latex(Ex.Var("q", 2))));
        Assert.Equal(new[] { "text/html", "text/plain" }, Formatter.GetPreferredMimeTypesFor(typeof(Tensor)).ToArray());
    }

    private static async Task<(int Code, string Output)> Dotnet(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repo.Root };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }
}
