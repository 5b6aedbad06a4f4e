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
        var rebuilt = args.SequenceEqual(a.Args, ReferenceEqualityComparer.Instance) ? a : Primitive.Build(a.Op, args);
        if (memo.TryGetValue(rebuilt, out var known)) return known;
        var result = rebuilt;
        if (rebuilt is Apply r && depth < 64)
        {
            if (r.Op.Simplify(r.Args.ToArray()) is { } s && !ReferenceEquals(s, r))
                // A rule's output is built from already simple parts, but may itself match another rule.
                result = Graph.Rebuild(new[] { s }, (n, xs) => Node(n, xs, memo, depth + 1))[0];
            else if (Fold(r) is { } c)
                result = c;
        }
        memo[rebuilt] = result;
        memo[result] = result;
        return result;
    }

    private static Expr? Fold(Apply a)
    {
        if (a.Shape.Size > FoldLimit || !a.Args.All(x => x is Const)) return null;
        var value = Tensor.Uninitialized(a.Shape, a.DType);
        a.Op.Forward(a.Args.Select(x => ((Const)x).Value).ToArray(), value);
        return a.Shape.Rank == 0 && a.DType.IsFloat() ? Ex.Literal(value.At(0), a.DType) : new Const(value);
    }
}
