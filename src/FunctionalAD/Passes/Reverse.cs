namespace FunctionalAD;

/// <summary>
/// Reverse mode: walks the nodes that lie between the sources and the output from the output down,
/// handing each node's cotangent to its primitive's VJP rule and summing what reaches each argument.
/// The result is an expression, so it can be differentiated again.
/// </summary>
internal static class Reverse
{
    /// <summary>
    /// The cotangent reaching each source, or null for a source the output does not depend on. When
    /// <paramref name="through"/> is given, derivatives pass only through the applications it accepts and every
    /// other application is a constant (how a gradient tape ignores work it did not record).
    /// </summary>
    public static Expr?[] Vjp(Expr output, Expr seed, IReadOnlyList<Expr> sources, Func<Apply, bool>? through = null)
    {
        var isSource = new HashSet<Expr>(sources, ReferenceEqualityComparer.Instance);
        var nodes = Graph.Reachable(new[] { output });
        var depends = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        foreach (var n in nodes)
            if (isSource.Contains(n) || (n is Apply a && a.DType.IsFloat() && (through is null || through(a)) && a.Args.Any(depends.Contains)))
                depends.Add(n);

        var ct = new Dictionary<Expr, Expr>(ReferenceEqualityComparer.Instance);
        if (depends.Contains(output)) ct[output] = seed;
        for (int k = nodes.Count - 1; k >= 0; k--)
        {
            if (nodes[k] is not Apply node || !ct.TryGetValue(node, out var g)) continue;
            if (through is not null && !through(node)) continue;
            for (int i = 0; i < node.Args.Count; i++)
            {
                var arg = node.Arg(i);
                if (!depends.Contains(arg) || !arg.DType.IsFloat() || !node.Op.Differentiable(i)) continue;
                var c = node.Op.Vjp(node, i, g);
                ct[arg] = ct.TryGetValue(arg, out var prev) ? prev + c : c;
            }
        }
        return sources.Select(s => ct.TryGetValue(s, out var g) ? g : null).ToArray();
    }
}
