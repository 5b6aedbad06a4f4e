namespace FunctionalAD;

/// <summary>
/// Reads of <see cref="Variable"/>s seen from the functional API: a read is a constant holding the value read, and
/// also stands for its variable, so <c>Ad.Grad(y, v.Var)</c>, an <see cref="Env"/> binding of <c>v.Var</c> and
/// <c>Ad.Compile(..., v.Var)</c> reach the reads of v inside y.
/// </summary>
internal static class Reads
{
    /// <summary>
    /// <paramref name="roots"/> with every read of a variable whose leaf is among <paramref name="leaves"/> replaced by
    /// that leaf: the same expressions, as functions of those variables.
    /// </summary>
    public static Expr[] ToLeaves(IReadOnlyList<Expr> roots, IEnumerable<Expr> leaves)
    {
        var wanted = new HashSet<Expr>(leaves.Where(l => l is not null), ReferenceEqualityComparer.Instance);
        Dictionary<Expr, Expr>? map = null;
        if (wanted.Count > 0)
            foreach (var n in Graph.Reachable(roots))
                if (n is Const { ReadOf: { } v } && wanted.Contains(v.Var))
                    (map ??= new Dictionary<Expr, Expr>(ReferenceEqualityComparer.Instance))[n] = v.Var;
        return map is null ? roots.ToArray() : Substitute.Run(roots, map);
    }

    /// <summary>
    /// The variable's leaf for a read of it, else <paramref name="e"/> itself: where an API needs a variable and is
    /// given a <see cref="Variable"/> through its conversion to <see cref="Expr"/> (which reads it).
    /// </summary>
    public static Expr LeafOf(Expr e) => e is Const { ReadOf: { } v } ? v.Var : e;

    /// <summary>The value of a read: the binding of its variable's leaf in <paramref name="env"/>, else the value read.</summary>
    public static Tensor Value(Const c, Env env) =>
        c.ReadOf is { } v && !ReferenceEquals(env, Env.Empty) && v.Var is Var leaf && env.TryFind(leaf, out var bound) ? bound : c.Value;
}
