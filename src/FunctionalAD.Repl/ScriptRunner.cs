namespace FunctionalAD.Repl;

/// <summary>
/// Runs a .csx file in dotnet-script's dialect: top-level statements, <c>#r "nuget: Id, Version"</c>,
/// <c>#r "relative/path.dll"</c> and <c>#load "other.csx"</c>. As under dotnet-script, the script references
/// FunctionalAD itself; <c>#r "nuget: FunctionalAD"</c> resolves to the copy this runner ships.
/// </summary>
public static class ScriptRunner
{
    /// <summary>Runs the script; 0 when it completes, 1 when it fails to compile or throws (errors go to <paramref name="error"/>).</summary>
    public static async Task<int> RunAsync(string path, TextWriter output, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"no script at {Path.GetFullPath(path)}");
            return 2;
        }
        var full = Path.GetFullPath(path);
        var session = new Session(Path.GetDirectoryName(full), full, preload: false);
        var outcome = await session.SubmitAsync(await File.ReadAllTextAsync(full));
        if (outcome.Succeeded) return 0;
        var name = Path.GetFileName(full);
        foreach (var e in outcome.Errors) error.WriteLine(e.StartsWith('(') ? name + e : $"{name}: {e}");
        return 1;
    }
}
