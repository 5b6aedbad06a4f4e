using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Formatting;
using DocumentNotebook = Microsoft.DotNet.Interactive.Documents.Jupyter.Notebook;

namespace FunctionalAD.Interactive.Tests;

/// <summary>
/// What a notebook's C# code sees at the top level besides its own variables: the C# kernel's <c>display</c>.
/// Public because the script engine compiles against it.
/// </summary>
public sealed class NotebookGlobals
{
    internal List<DisplayedValue> Displayed { get; } = new();

    /// <summary>As the kernel's display: formats the value by its preferred MIME types (or the ones given) and shows it.</summary>
    public DisplayedValue display(object value, params string[] mimeTypes)
    {
        var shown = new DisplayedValue(value, FormattedValue.CreateManyFromObject(value, mimeTypes));
        Displayed.Add(shown);
        return shown;
    }
}

/// <summary>One code cell as run: its source, what it displayed or returned (formatted), and what it wrote to the console.</summary>
internal sealed record CellRun(int Element, string Code, IReadOnlyList<DisplayedValue> Displayed, IReadOnlyList<FormattedValue>? Result, string Console);

/// <summary>
/// Runs a C# notebook's code cells in order through the Roslyn script engine, each continuing the state of the
/// one before, as the .NET Interactive C# kernel does (it runs on the same engine). Cells are read with
/// .NET Interactive's own notebook reader, so the kernel each cell names is the one Polyglot Notebooks picks.
/// The package directives of the first cell are honoured the way the kernel honours them: the assemblies are
/// the test's own, and loading FunctionalAD.Interactive runs its extension.dib.
/// </summary>
internal static class NotebookRunner
{
    public static readonly string[] KernelImports = { "System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks" };

    public static KernelInfoCollection Kernels()
    {
        var kernels = new KernelInfoCollection { DefaultKernelName = "csharp" };
        kernels.Add(new KernelInfo("csharp", "C#", new[] { "c#", "cs" }));
        kernels.Add(new KernelInfo("fsharp", "F#", new[] { "f#", "fs" }));
        return kernels;
    }

    public static InteractiveDocument Read(string path) => DocumentNotebook.Parse(File.ReadAllText(path), Kernels());

    public static async Task<IReadOnlyList<CellRun>> RunCSharp(string path)
    {
        var doc = Read(path);
        var globals = new NotebookGlobals();
        var options = ScriptOptions.Default
            .WithReferences(typeof(Expr).Assembly, typeof(NotebookFormatters).Assembly, typeof(Formatter).Assembly,
                typeof(NotebookGlobals).Assembly, typeof(Enumerable).Assembly, typeof(List<>).Assembly,
                typeof(ImmutableArray).Assembly, typeof(Console).Assembly)
            .WithImports(KernelImports)
            .WithLanguageVersion(LanguageVersion.Latest);
        ScriptState<object>? state = null;
        var runs = new List<CellRun>();
        var console = Console.Out;
        // The kernel listens for displayed values (DisplayedValue.Update republishes one); with no listener the
        // Formatting package writes each update to the console instead.
        using var listener = Formatter.SubscribeToDisplayedValues(_ => { });
        try
        {
            for (int i = 0; i < doc.Elements.Count; i++)
            {
                var cell = doc.Elements[i];
                if (cell.KernelName != "csharp") continue;
                var code = Directives(cell.Contents, i, out var loadsExtension);
                if (loadsExtension) state = await Run(state, ExtensionScript(), options, globals, $"extension.dib (loaded by cell {i})");
                int before = globals.Displayed.Count;
                var written = new StringWriter();
                Console.SetOut(written);
                state = await Run(state, code, options, globals, $"cell {i}");
                Console.SetOut(console);
                var result = EndsInValue(state) ? FormattedValue.CreateManyFromObject(state.ReturnValue!) : null;
                runs.Add(new CellRun(i, cell.Contents, globals.Displayed.Skip(before).ToArray(), result, written.ToString()));
            }
        }
        finally
        {
            Console.SetOut(console);
        }
        return runs;
    }

    /// <summary>The C# of the package's extension.dib, the script .NET Interactive runs when the package loads.</summary>
    public static string ExtensionScript()
    {
        var dib = File.ReadAllText(Repo.Path("src/FunctionalAD.Interactive/extension.dib"));
        var lines = dib.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count == 0 || lines[0] != "#!csharp") throw new InvalidOperationException("extension.dib must start with #!csharp: the kernel runs it as C#");
        return string.Join("\n", lines.Skip(1));
    }

    /// <summary>
    /// The cell's code without its #i/#r package directives, which the test stands in for; any other directive
    /// (a magic command this runner does not know) fails the test rather than be skipped silently.
    /// </summary>
    private static string Directives(string contents, int index, out bool loadsExtension)
    {
        loadsExtension = false;
        var code = new List<string>();
        foreach (var line in contents.Split('\n'))
        {
            var t = line.Trim();
            if (t.StartsWith("#i \"nuget:", StringComparison.Ordinal)) { code.Add(""); continue; }
            if (t.StartsWith("#r \"nuget:", StringComparison.Ordinal))
            {
                if (!t.Contains("FunctionalAD.Interactive", StringComparison.Ordinal))
                    throw new InvalidOperationException($"cell {index} references a package the test does not provide: {t}");
                loadsExtension = true;
                code.Add("");
                continue;
            }
            if (t.StartsWith("#!", StringComparison.Ordinal) || t.StartsWith("#i ", StringComparison.Ordinal) || t.StartsWith("#r ", StringComparison.Ordinal))
                throw new InvalidOperationException($"cell {index} has a directive the test cannot stand in for: {t}");
            code.Add(line);
        }
        return string.Join("\n", code);
    }

    private static async Task<ScriptState<object>> Run(ScriptState<object>? state, string code, ScriptOptions options, NotebookGlobals globals, string what)
    {
        var script = state is null ? CSharpScript.Create(code, options, typeof(NotebookGlobals)) : state.Script.ContinueWith(code, options);
        var errors = script.Compile().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
            throw new InvalidOperationException($"{what} does not compile:\n{string.Join("\n", errors.Select(e => e.ToString()))}\n--- code ---\n{code}");
        var next = state is null ? await script.RunAsync(globals, _ => true) : await script.RunFromAsync(state, _ => true);
        if (next.Exception is { } e) throw new InvalidOperationException($"{what} threw {e.GetType().Name}: {e.Message}\n--- code ---\n{code}", e);
        return next;
    }

    /// <summary>True when the cell's last line is an expression without a semicolon: the kernel shows its value.</summary>
    private static bool EndsInValue(ScriptState<object> state)
    {
        var tree = state.Script.GetCompilation().SyntaxTrees.Last();
        return tree.GetRoot() is Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax root
            && root.Members.LastOrDefault() is Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax
            {
                Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax { SemicolonToken.IsMissing: true }
            }
            && state.ReturnValue is not null;
    }
}

/// <summary>Paths in the repository, found from the test's build folder upward.</summary>
internal static class Repo
{
    public static readonly string Root = Find();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "FunctionalAD.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no FunctionalAD.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The build configuration the tests run in, read from their own folder (bin/Release/net10.0).</summary>
    public static string Configuration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Parent!.Name;
}
