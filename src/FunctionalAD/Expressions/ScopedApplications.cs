namespace FunctionalAD;

/// <summary>
/// The applications built in one tape scope on one thread (see <see cref="Interning.Scope"/>), found by primitive
/// type and arguments: an open-addressing table whose entries hold only a hash and the applications themselves
/// (one <see cref="Apply"/>, or a list of those differing in parameters), which are compared with what is being
/// built. No key is stored or copied, so finding or adding a node is a hash of a few numbers and one comparison.
/// </summary>
internal sealed class ScopedApplications
{
    private struct Entry
    {
        public int Hash;
        public object? Value;
    }

    private Entry[] _entries = new Entry[64];
    private int _count;

    /// <summary>Applications held.</summary>
    public int Count => _count;

    /// <summary>
    /// The slot for applications of <paramref name="type"/> to <paramref name="args"/>: null when there is none yet
    /// (then the caller stores what it made in the slot, which counts it).
    /// </summary>
    public ref object? Slot(Type type, Expr[] args)
    {
        int h = HashOf(type, args);
        if (2 * (_count + 1) > _entries.Length) Grow();
        int mask = _entries.Length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask)
        {
            ref var e = ref _entries[i];
            if (e.Value is null)
            {
                e.Hash = h;
                _count++;
                return ref e.Value;
            }
            if (e.Hash == h && Matches(e.Value, type, args)) return ref e.Value;
        }
    }

    /// <summary>Forgets every application (a new scope began), keeping the table's size unless it grew large.</summary>
    public void Clear()
    {
        if (_count == 0) return;
        if (_entries.Length > 4096) _entries = new Entry[64];
        else Array.Clear(_entries);
        _count = 0;
    }

    private static bool Matches(object value, Type type, Expr[] args)
    {
        var one = value as Apply ?? ((List<Apply>)value)[0];
        if (one.Op.GetType() != type) return false;
        var have = one.Arguments;
        if (have.Length != args.Length) return false;
        for (int i = 0; i < have.Length; i++)
            if (!ReferenceEquals(have[i], args[i])) return false;
        return true;
    }

    private static int HashOf(Type type, Expr[] args)
    {
        uint h = (uint)(type.TypeHandle.Value >> 3);
        foreach (var a in args) h = (uint.RotateLeft(h, 5) ^ (uint)a.Id) * 0x9E3779B1u;
        return (int)(h ^ (h >> 15));
    }

    private void Grow()
    {
        var old = _entries;
        _entries = new Entry[old.Length * 2];
        int mask = _entries.Length - 1;
        foreach (var e in old)
        {
            if (e.Value is null) continue;
            int i = e.Hash & mask;
            while (_entries[i].Value is not null) i = (i + 1) & mask;
            _entries[i] = e;
        }
    }
}
