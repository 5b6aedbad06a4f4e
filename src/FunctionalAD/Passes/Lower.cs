namespace FunctionalAD;

/// <summary>
/// Lowers expressions to a <see cref="Plan"/>: one slot per distinct node (so a shared subexpression is
/// computed once), steps in creation order (a topological order, since arguments are older than their
/// applications), and for each step the slots whose last reader it is, so their memory can go early.
/// </summary>
internal static class Lower
{
    public static Plan Run(IReadOnlyList<Expr> outputs)
    {
        var nodes = Graph.Reachable(outputs);
        var slot = new Dictionary<Expr, int>(ReferenceEqualityComparer.Instance);
        foreach (var n in nodes) slot[n] = slot.Count;
        var lastUse = new Dictionary<int, int>();
        var applies = nodes.OfType<Apply>().ToArray();
        for (int s = 0; s < applies.Length; s++)
            foreach (var a in applies[s].Args) lastUse[slot[a]] = s;
        var keep = outputs.Select(o => slot[o]).ToHashSet();
        var steps = applies.Select((a, s) => new Plan.Step(
            a,
            a.Args.Select(x => slot[x]).ToArray(),
            slot[a],
            a.Args.Select(x => slot[x]).Distinct().Where(i => lastUse[i] == s && !keep.Contains(i)).ToArray())).ToArray();
        return new Plan(
            slot.Count,
            nodes.OfType<Var>().Select(v => (v, slot[v])).ToArray(),
            nodes.OfType<Const>().Select(c => (c.Value, slot[c])).ToArray(),
            steps,
            outputs.Select(o => slot[o]).ToArray(),
            outputs.ToArray())
        {
            Reads = nodes.OfType<Const>().Where(c => c.ReadOf is not null).Select(c => (c, slot[c])).ToArray(),
        };
    }
}
