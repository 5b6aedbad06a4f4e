namespace FunctionalAD;

/// <summary>
/// Node → position for one graph walk on this thread (see <see cref="Abstracted"/>): a direct-mapped table indexed
/// by the node's creation number, which needs no hashing, no comparer and no clearing between walks (each slot
/// remembers the walk that filled it). A node whose slot another node of the same walk holds goes to a dictionary,
/// so any graph fits; the nodes of one graph are mostly made one after another, so they rarely collide.
/// </summary>
internal sealed class WalkTable
{
    private const int Bits = 11, Mask = (1 << Bits) - 1;

    private struct Slot
    {
        public long Id;
        public int Walk;
        public int Position;
    }

    private readonly Slot[] _slots = new Slot[1 << Bits];
    private readonly Dictionary<Expr, int> _spill = new(ExprIdentity.Instance);
    private int _walk;

    [ThreadStatic] private static WalkTable? _current;

    /// <summary>This thread's table, emptied for a new walk. A walk must end before the next begins on the thread.</summary>
    public static WalkTable Begin()
    {
        var t = _current ??= new WalkTable();
        if (++t._walk == int.MaxValue)
        {
            Array.Clear(t._slots);
            t._walk = 1;
        }
        if (t._spill.Count > 0) t._spill.Clear();
        return t;
    }

    /// <summary>Adds <paramref name="e"/> at <paramref name="position"/>; false (and nothing changed) when it is already in.</summary>
    public bool TryAdd(Expr e, int position)
    {
        ref var s = ref _slots[(int)e.Id & Mask];
        if (s.Walk != _walk)
        {
            s.Walk = _walk;
            s.Id = e.Id;
            s.Position = position;
            return true;
        }
        if (s.Id == e.Id) return false;
        return _spill.TryAdd(e, position);
    }

    /// <summary>The position of <paramref name="e"/>, which must be in the table.</summary>
    public int this[Expr e]
    {
        get
        {
            ref var s = ref _slots[(int)e.Id & Mask];
            return s.Walk == _walk && s.Id == e.Id ? s.Position : _spill[e];
        }
        set
        {
            ref var s = ref _slots[(int)e.Id & Mask];
            if (s.Walk == _walk && s.Id == e.Id) s.Position = value;
            else _spill[e] = value;
        }
    }
}
