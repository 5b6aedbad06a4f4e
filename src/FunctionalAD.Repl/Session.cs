using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace FunctionalAD.Repl;

/// <summary>What one submission gave: a value to print, nothing, or the errors that stopped it.</summary>
public sealed record Outcome(bool HasValue, object? Value, IReadOnlyList<string> Errors)
{
    /// <summary>True when the submission compiled and ran.</summary>
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// A chain of C# script submissions with FunctionalAD preloaded. Each submission sees the variables, usings
/// and definitions of the earlier ones; a submission that fails to compile or throws leaves the state as it was.
/// </summary>
public sealed class Session
{
    /// <summary>The assemblies a script can use without #r: FunctionalAD and what its API exposes.</summary>
    public static readonly Assembly[] Preloaded =
    {
        typeof(Expr).Assembly,
        typeof(LanguageExt.Prelude).Assembly,
        typeof(Enumerable).Assembly,
        typeof(List<>).Assembly,
        typeof(ImmutableArray).Assembly,
        typeof(Console).Assembly,
    };

    /// <summary>Namespaces imported before the first line.</summary>
    public static readonly string[] Imports =
        { "System", "System.Linq", "System.Collections.Generic", "FunctionalAD" };

    /// <summary>The static using run before the first line, so Var, Const, Sum, MatMul... need no prefix.</summary>
    public const string Prelude = "using static FunctionalAD.Ex;";

    private readonly ScriptOptions _options;
    private ScriptState<object>? _state;

    private readonly bool _preload;

    /// <summary>
    /// A session whose #r and #load resolve relative to <paramref name="baseDirectory"/>. The REPL preloads FunctionalAD;
    /// a script (<paramref name="preload"/> false) references it itself, as under dotnet-script, with #r "nuget: FunctionalAD" or a path.
    /// </summary>
    public Session(string? baseDirectory = null, string? filePath = null, bool preload = true)
    {
        var dir = baseDirectory ?? Directory.GetCurrentDirectory();
        _preload = preload;
        _options = ScriptOptions.Default
            .WithReferences(preload ? Preloaded : Preloaded.Skip(2))
            .WithImports(preload ? Imports : Imports.Take(3))
            .WithMetadataResolver(new NuGetReferenceResolver(ScriptMetadataResolver.Default.WithBaseDirectory(dir)))
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, dir))
            .WithFilePath(filePath ?? Path.Combine(dir, "repl.csx"))
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithAllowUnsafe(false);
    }

    /// <summary>True when <paramref name="code"/> is a whole submission, not the start of one still being typed.</summary>
    public static bool IsComplete(string code) =>
        SyntaxFactory.IsCompleteSubmission(SyntaxFactory.ParseSyntaxTree(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script)));

    /// <summary>Compiles and runs <paramref name="code"/> after everything submitted before.</summary>
    public async Task<Outcome> SubmitAsync(string code)
    {
        try
        {
            if (_state is null && _preload) _state = await CSharpScript.RunAsync(Prelude, _options);
            var script = _state is null
                ? CSharpScript.Create(code, _options)
                : _state.Script.ContinueWith(code, _options);
            var diagnostics = script.Compile();
            var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe).ToList();
            if (errors.Count > 0) return new Outcome(false, null, errors);
            // Roslyn keeps what the code threw in the state it returns; that state is dropped, so a line that
            // throws leaves the session as it was before the line.
            var next = _state is null
                ? await script.RunAsync(catchException: _ => true)
                : await script.RunFromAsync(_state, _ => true);
            if (next.Exception is { } thrown) return Failure(thrown);
            _state = next;
            return new Outcome(HasValue(script.GetCompilation()), next.ReturnValue, Array.Empty<string>());
        }
        catch (CompilationErrorException e)
        {
            return new Outcome(false, null, e.Diagnostics.Select(Describe).ToList());
        }
        catch (Exception e)
        {
            return Failure(e);
        }
    }

    /// <summary>True when the submission ends in an expression without ';' whose type is not void: its value is shown.</summary>
    private static bool HasValue(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.Last();
        if (tree.GetRoot() is not Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax root
            || root.Members.LastOrDefault() is not Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax
            {
                Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement
            })
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private static Outcome Failure(Exception e)
    {
        while (e is TargetInvocationException or AggregateException && e.InnerException is { } inner) e = inner;
        // The stack trace is noise at the prompt but what one needs when the runner itself misbehaves.
        if (Environment.GetEnvironmentVariable("FUNCTIONALAD_REPL_TRACE") == "1") Console.Error.WriteLine(e);
        return new Outcome(false, null, new[] { $"{e.GetType().Name}: {e.Message}" });
    }

    private static string Describe(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        var where = d.Location.IsInSource ? $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " : "";
        return $"{where}error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>The names the script has defined so far, with their types.</summary>
    public IEnumerable<(string Name, Type Type)> Variables =>
        _state?.Variables.GroupBy(v => v.Name).Select(g => g.Last()).Select(v => (v.Name, v.Type)) ?? Enumerable.Empty<(string, Type)>();
}
