namespace FunctionalAD;

/// <summary>
/// Algebraic clean-up so derivatives read like math: each primitive's own identities (x·1, x+0, --x,
/// reshape of reshape...), constant folding of small constant subtrees, and sharing of equal subterms,
/// which interning gives for free. Values never change.
/// </summary>
internal static class Simplifier
{
    /// <summary>Largest constant result folded into a literal; bigger ones stay as computations.</summary>
    private const int FoldLimit = 64;

    public static Expr[] Run(IReadOnlyList<Expr> roots)
    {
        var memo = new Dictionary<Expr, Expr>(ReferenceEqualityComparer.Instance);
        return Graph.Rebuild(roots, (node, args) => Node(node, args, memo, 0));
    }

    private static Expr Node(Expr node, Expr[] args, Dictionary<Expr, Expr> memo, int depth)
    {
        if (node is not Apply a) return node;
        var rebuilt = Graph.SameArgs(a, args) ? a : Primitive.Build(a.Op, args);
        if (memo.TryGetValue(rebuilt, out var known)) return known;
        var result = rebuilt;
        if (rebuilt is Apply r && depth < 64)
        {
            if (r.Op.Simplify(r.Args.ToArray()) is { } s && !ReferenceEquals(s, r))
                // A rule's output is built from already simple parts, but may itself match another rule.
                result = Resimplify(s, memo, depth + 1);
            else if (Fold(r) is { } c)
                result = c;
        }
        memo[rebuilt] = result;
        memo[result] = result;
        return result;
    }

    /// <summary>
    /// Simplifies the nodes of a rule's output that are not simplified yet. The walk stops at nodes already in
    /// <paramref name="memo"/>, so a rule that wraps a long simplified chain costs the size of the new part, not of the chain.
    /// </summary>
    private static Expr Resimplify(Expr s, Dictionary<Expr, Expr> memo, int depth)
    {
        var fresh = new List<Expr>();
        var seen = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Expr>();
        stack.Push(s);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (!seen.Add(e) || e is not Apply || memo.ContainsKey(e)) continue;
            fresh.Add(e);
            foreach (var a in e.Args) stack.Push(a);
        }
        fresh.Sort((a, b) => a.Id.CompareTo(b.Id));
        var done = new Dictionary<Expr, Expr>(ReferenceEqualityComparer.Instance);
        Expr Get(Expr e) => done.TryGetValue(e, out var r) ? r : memo.TryGetValue(e, out r) ? r : e;
        foreach (var n in fresh)
        {
            var args = new Expr[n.Args.Count];
            for (int i = 0; i < args.Length; i++) args[i] = Get(n.Args[i]);
            done[n] = Node(n, args, memo, depth);
        }
        return Get(s);
    }

    private static Expr? Fold(Apply a)
    {
        if (a.Shape.Size > FoldLimit) return null;
        foreach (var x in a.Args)
            if (x is not Const) return null;
        var value = Tensor.Uninitialized(a.Shape, a.DType);
        a.Op.Forward(a.Args.Select(x => ((Const)x).Value).ToArray(), value);
        return a.Shape.Rank == 0 && a.DType.IsFloat() ? Ex.Literal(value.At(0), a.DType) : new Const(value);
    }
}
