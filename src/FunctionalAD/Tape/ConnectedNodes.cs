namespace FunctionalAD;

/// <summary>
/// The nodes a tape has connected to its watched sources (what it differentiates through), as a set. A node
/// carries the mark of the first live tape that connected it, so the usual question (is this node mine?) is one
/// comparison and adding a new node allocates nothing; only a node another live tape marked first (nested tapes,
/// a variable's leaf watched by a persistent tape) goes into a hash set.
/// </summary>
/// <remarks>
/// A set that is cleared retires its mark, and a retired mark may be taken over (atomically: leaves are shared
/// between threads). Every tape step builds its graph anew, so its nodes are new; the leaves it shares with the
/// previous step (a variable's symbolic leaf) pass from the previous step's tape, now cleared, to this one.
/// </remarks>
internal sealed class ConnectedNodes
{
    /// <summary>One set's mark on a node; once <see cref="Retired"/>, no set asks for it again.</summary>
    internal sealed class Mark
    {
        public volatile bool Retired;
    }

    private Mark _mark = new();
    private HashSet<Expr>? _contested;

    /// <summary>True when <paramref name="e"/> is in the set.</summary>
    public bool Contains(Expr e) => ReferenceEquals(e.TapeMark, _mark) || (_contested is { } c && c.Contains(e));

    /// <summary>
    /// Adds <paramref name="e"/>; true when it was not in the set yet. <paramref name="fresh"/> says no other thread
    /// can see the node yet (it was just made on this thread), so it is marked with a plain write.
    /// </summary>
    public bool Add(Expr e, bool fresh = false)
    {
        var m = e.TapeMark;
        if (ReferenceEquals(m, _mark)) return false;
        if (fresh && m is null)
        {
            e.TapeMark = _mark;
            return true;
        }
        if (_contested is { } c && c.Contains(e)) return false;
        if ((m is null || m.Retired) && ReferenceEquals(Interlocked.CompareExchange(ref e.TapeMark, _mark, m), m)) return true;
        return (_contested ??= new HashSet<Expr>(ExprIdentity.Instance)).Add(e);
    }

    /// <summary>Empties the set: its mark retires, so nodes marked with it are no longer in it and others may mark them.</summary>
    public void Clear()
    {
        _mark.Retired = true;
        _mark = new Mark();
        _contested = null;
    }
}
