namespace FunctionalAD;

/// <summary>
/// Forward mode: pushes tangents from the sources up through every node that depends on them, with each
/// primitive's JVP rule. A true forward pass: its cost follows the number of inputs' directions, not outputs.
/// </summary>
internal static class Forward
{
    /// <summary>The tangent of <paramref name="output"/>, or null where it does not depend on any source.</summary>
    public static Expr? Jvp(Expr output, IReadOnlyList<(Expr Source, Expr Tangent)> seeds)
    {
        var t = new Dictionary<Expr, Expr>(ReferenceEqualityComparer.Instance);
        foreach (var (s, v) in seeds) t[s] = t.TryGetValue(s, out var prev) ? prev + v : v;
        foreach (var n in Graph.Reachable(new[] { output }))
        {
            if (n is not Apply a || t.ContainsKey(a) || !a.DType.IsFloat()) continue;
            var args = new Expr?[a.Args.Count];
            bool any = false;
            for (int i = 0; i < args.Length; i++)
            {
                if (a.Arg(i).DType.IsFloat() && a.Op.Differentiable(i) && t.TryGetValue(a.Arg(i), out var ti)) { args[i] = ti; any = true; }
            }
            if (any) t[a] = a.Op.Jvp(a, args);
        }
        return t.TryGetValue(output, out var r) ? r : null;
    }
}
