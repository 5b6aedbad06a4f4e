using System.Collections.Concurrent;

namespace FunctionalAD.Bench.Ours;

/// <summary>
/// The plans (<see cref="CompiledFunction.Describe"/>) of the compiled cases set up in this process, so the report can
/// say how many steps each compiled function has and which of them run through the interpreter instead of a
/// compiled kernel.
/// </summary>
public static class CompiledPlans
{
    private static readonly ConcurrentDictionary<(string Type, string Method), string> Plans = new();

    /// <summary>Remembers the plan of <paramref name="type"/>'s <paramref name="method"/> case.</summary>
    public static void Record(string type, string method, string plan) => Plans[(type, method)] = plan;

    /// <summary>The plan recorded for a case, or null.</summary>
    public static string? Find(string type, string method) => Plans.TryGetValue((type, method), out var plan) ? plan : null;

    /// <summary>The step lines of a plan: those that start with a step number ("3: gemm ..."), trimmed.</summary>
    public static string[] Steps(string plan) =>
        plan.Split('\n').Select(l => l.Trim()).Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+:")).ToArray();

    /// <summary>Steps that run a primitive through the interpreter (described as "interpret ...") rather than a compiled kernel.</summary>
    public static string[] Interpreted(string plan) =>
        Steps(plan).Where(l => l.Contains("interpret", StringComparison.OrdinalIgnoreCase)).ToArray();
}
