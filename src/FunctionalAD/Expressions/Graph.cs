namespace FunctionalAD;

/// <summary>Walks of the expression DAG shared by the passes.</summary>
internal static class Graph
{
    /// <summary>Every node reachable from <paramref name="roots"/>, each once, in topological (creation) order.</summary>
    public static List<Expr> Reachable(IEnumerable<Expr> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
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
        {
            var args = n.Args.Count == 0 ? Array.Empty<Expr>() : new Expr[n.Args.Count];
            for (int i = 0; i < args.Length; i++) args[i] = done[n.Args[i]];
            done[n] = rewrite(n, args);
        }
        return roots.Select(r => done[r]).ToArray();
    }

    /// <summary>True when <paramref name="args"/> are the node's own arguments, object for object.</summary>
    public static bool SameArgs(Expr node, Expr[] args)
    {
        var own = node.Args;
        if (own.Count != args.Length) return false;
        for (int i = 0; i < args.Length; i++)
            if (!ReferenceEquals(own[i], args[i])) return false;
        return true;
    }
}
