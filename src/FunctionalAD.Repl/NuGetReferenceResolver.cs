using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace FunctionalAD.Repl;

/// <summary>
/// Resolves dotnet-script's <c>#r "nuget: Id, Version"</c>. FunctionalAD and its dependencies ship with this runner,
/// so they resolve to its own copies; any other package is taken from the local NuGet cache when it is there
/// (this runner does not download: restore it once with a project, or use dotnet-script). Paths go to the inner resolver.
/// </summary>
public sealed class NuGetReferenceResolver(MetadataReferenceResolver inner) : MetadataReferenceResolver
{
    private readonly MetadataReferenceResolver _inner = inner;

    private const string Prefix = "nuget:";

    /// <summary>
    /// Packages this runner ships. Roslyn takes one assembly per #r; the package's dependencies come in through
    /// <see cref="ResolveMissingAssembly"/> when the compilation meets them.
    /// </summary>
    private static readonly Dictionary<string, string> Bundled = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FunctionalAD"] = "FunctionalAD.dll",
        ["LanguageExt.Core"] = "LanguageExt.Core.dll",
        ["System.Numerics.Tensors"] = "System.Numerics.Tensors.dll",
    };

    /// <inheritdoc/>
    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
    {
        if (!reference.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return _inner.ResolveReference(reference, baseFilePath, properties);
        var parts = reference[Prefix.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return ImmutableArray<PortableExecutableReference>.Empty;
        var id = parts[0];
        var version = parts.Length > 1 ? parts[1] : null;

        if (Bundled.TryGetValue(id, out var file))
            return ImmutableArray.Create(MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, file), properties));
        return FromCache(id, version, properties);
    }

    /// <summary>lib/&lt;best framework&gt;/*.dll of the package in the global packages folder, or nothing.</summary>
    private static ImmutableArray<PortableExecutableReference> FromCache(string id, string? version, MetadataReferenceProperties properties)
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var package = Path.Combine(root, id.ToLowerInvariant());
        if (!Directory.Exists(package)) return ImmutableArray<PortableExecutableReference>.Empty;
        var dir = version is not null
            ? Path.Combine(package, version.ToLowerInvariant())
            : Directory.GetDirectories(package).OrderBy(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version()).LastOrDefault();
        if (dir is null || !Directory.Exists(Path.Combine(dir, "lib"))) return ImmutableArray<PortableExecutableReference>.Empty;
        var frameworks = Directory.GetDirectories(Path.Combine(dir, "lib"));
        string[] preference = { "net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "netstandard2.1", "netstandard2.0" };
        var lib = preference.Select(p => frameworks.FirstOrDefault(f => Path.GetFileName(f) == p)).FirstOrDefault(f => f is not null);
        if (lib is null) return ImmutableArray<PortableExecutableReference>.Empty;
        return Directory.GetFiles(lib, "*.dll").Select(f => MetadataReference.CreateFromFile(f, properties)).ToImmutableArray();
    }

    /// <inheritdoc/>
    public override bool ResolveMissingAssemblies => true;

    /// <summary>A dependency of a referenced assembly: the runner's own copy when it ships one.</summary>
    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity)
    {
        var local = Path.Combine(AppContext.BaseDirectory, referenceIdentity.Name + ".dll");
        return File.Exists(local) ? MetadataReference.CreateFromFile(local) : _inner.ResolveMissingAssembly(definition, referenceIdentity);
    }

    /// <inheritdoc/>
    public override bool Equals(object? other) => other is NuGetReferenceResolver r && r._inner.Equals(_inner);

    /// <inheritdoc/>
    public override int GetHashCode() => _inner.GetHashCode();
}
