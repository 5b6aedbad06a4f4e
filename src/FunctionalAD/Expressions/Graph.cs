namespace FunctionalAD;

/// <summary>Walks of the expression DAG shared by the passes.</summary>
internal static class Graph
{
    /// <summary>Every node reachable from <paramref name="roots"/>, each once, in topological (creation) order.</summary>
    public static List<Expr> Reachable(IEnumerable<Expr> roots)
    {
        var seen = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Expr>(roots);
        var all = new List<Expr>();
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (!seen.Add(e)) continue;
            all.Add(e);
            foreach (var a in e.Args) stack.Push(a);
        }
        all.Sort((a, b) => a.Id.CompareTo(b.Id));
        return all;
    }

    /// <summary>Rebuilds <paramref name="roots"/> bottom-up, replacing each node by <paramref name="rewrite"/> of it with rebuilt arguments.</summary>
    public static Expr[] Rebuild(IReadOnlyList<Expr> roots, Func<Expr, Expr[], Expr> rewrite)
    {
        var done = new Dictionary<Expr, Expr>(ReferenceEqualityComparer.Instance);
        foreach (var n in Reachable(roots))
            done[n] = rewrite(n, n.Args.Select(a => done[a]).ToArray());
        return roots.Select(r => done[r]).ToArray();
    }
}
