using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace FunctionalAD;

/// <summary>
/// Hash-consing of expression nodes: equal applications are one object. Entries are weak, so an
/// expression nobody holds can still be collected.
/// </summary>
/// <remarks>
/// Keys are small structs (the primitive's key string, the tape scope and the arguments' ids), not strings, so
/// building a node that already exists allocates nothing beyond its argument array, and a new one only its
/// table entry: a tape step rebuilds its whole graph each step, and this is most of what building costs.
/// Keys hold ids, never the argument nodes, so a dead node's entry keeps no tensor alive until it is swept.
/// </remarks>
internal static class Interning
{
    private static readonly ConcurrentDictionary<ApplyKey, WeakReference<Expr>> Applications = new();
    private static readonly ConcurrentDictionary<LeafKey, WeakReference<Expr>> Leaves = new();
    private static int _sinceSweep;

    /// <summary>
    /// Nonzero while gradient tapes exist on this thread: applications built then are interned apart from those
    /// built before, after, or while the tapes were in another state, so a tape records executions, not
    /// equal nodes (an expression built before a tape stays constant to it even if built again inside).
    /// Variables and literals are leaves and stay shared.
    /// </summary>
    internal static long Scope
    {
        get => _scope;
        set
        {
            if (value == _scope) return;
            _scope = value;
            // Nothing can ask for the old scope again (scopes are numbered once per process), so its nodes go.
            _scoped?.Clear();
        }
    }

    [ThreadStatic] private static long _scope;

    /// <summary>
    /// The applications built in the current <see cref="Scope"/> on this thread, by primitive type and arguments (a
    /// value is one <see cref="FunctionalAD.Apply"/> or a list of those differing in parameters). A scope belongs to one
    /// thread and ends for good, so this needs neither locks nor weak references, and a primitive's key string is
    /// formatted only when another application of its type to the same arguments exists: a tape step rebuilds its
    /// whole graph each step, and this is most of what building costs there.
    /// </summary>
    [ThreadStatic] private static ScopedApplications? _scoped;

    /// <summary>Beyond this many applications in one scope, the oldest stop being shared (equal nodes are then distinct, still correct).</summary>
    private const int ScopedLimit = 1 << 16;

    /// <summary>The one application of <paramref name="op"/> to <paramref name="args"/> in the current scope, made by <paramref name="create"/> if there is none.</summary>
    public static Apply Apply<TState>(Primitive op, Expr[] args, TState state, Func<Primitive, Expr[], TState, Apply> create)
    {
        if (_scope != 0) return Scoped(op, args, state, create);
        return (Apply)Intern(Applications, new ApplyKey(op.InternKey, 0, args), (op, args, state, create),
            static s => s.create(s.op, s.args, s.state));
    }

    private static Apply Scoped<TState>(Primitive op, Expr[] args, TState state, Func<Primitive, Expr[], TState, Apply> create)
    {
        JustMade = null;
        var table = _scoped ??= new ScopedApplications();
        if (table.Count >= ScopedLimit) table.Clear();
        ref var slot = ref table.Slot(op.GetType(), args);
        if (slot is null)
        {
            var made = create(op, args, state);
            slot = made;
            return JustMade = made;
        }
        if (slot is Apply one)
        {
            if (SameOp(one.Op, op)) return one;
            var made = create(op, args, state);
            slot = new List<Apply> { one, made };
            return JustMade = made;
        }
        var list = (List<Apply>)slot!;
        foreach (var c in list)
            if (SameOp(c.Op, op)) return c;
        var added = create(op, args, state);
        list.Add(added);
        return JustMade = added;
    }

    /// <summary>
    /// The application the last scoped build on this thread made new, until the tapes have recorded it (null when
    /// that build found an existing one): no other thread can hold it yet, so a tape marks it without an atomic.
    /// </summary>
    [ThreadStatic] internal static Apply? JustMade;

    private static bool SameOp(Primitive a, Primitive b) => ReferenceEquals(a, b) || a.SameParameters(b);

    /// <summary>The one variable with this name, shape and dtype.</summary>
    public static Var Variable(string name, Shape shape, DType dtype) =>
        (Var)Intern(Leaves, new LeafKey(name, shape, dtype, 0), (name, shape, dtype), static s => new Var(s.name, s.shape, s.dtype));

    /// <summary>The one literal with this value (compared bit for bit) and dtype.</summary>
    public static Const Literal(double value, DType dtype)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        // Code writes the same few numbers again and again (1, 0, the batch size, a learning rate); a small
        // per-thread table of them answers without the shared table's hashing and weak references.
        var recent = _recentLiterals ??= new Const?[RecentLiterals];
        int slot = (int)((ulong)(bits ^ (bits >> 29) ^ ((long)dtype << 7)) * 0x9E3779B97F4A7C15UL >> 58) & (RecentLiterals - 1);
        if (recent[slot] is { } c && c.DType == dtype && c.LiteralBits == bits) return c;
        var made = (Const)Intern(Leaves, new LeafKey(null, null, dtype, bits), (value, dtype),
            static s => new Const(Tensor.Full(Shape.Scalar, s.value, s.dtype), literal: true));
        made.LiteralBits = bits;
        recent[slot] = made;
        return made;
    }

    private const int RecentLiterals = 64;
    [ThreadStatic] private static Const?[]? _recentLiterals;

    private static Expr Intern<TKey, TState>(ConcurrentDictionary<TKey, WeakReference<Expr>> table, TKey key, TState state, Func<TState, Expr> create)
        where TKey : notnull
    {
        while (true)
        {
            if (table.TryGetValue(key, out var weak))
            {
                if (weak.TryGetTarget(out var existing)) return existing;
                var fresh = create(state);
                if (table.TryUpdate(key, new WeakReference<Expr>(fresh), weak)) return fresh;
                continue;
            }
            var made = create(state);
            if (table.TryAdd(key, new WeakReference<Expr>(made)))
            {
                if (Interlocked.Increment(ref _sinceSweep) % 65536 == 0) Sweep();
                return made;
            }
        }
    }

    private static void Sweep()
    {
        foreach (var kv in Applications)
            if (!kv.Value.TryGetTarget(out _)) Applications.TryRemove(kv);
        foreach (var kv in Leaves)
            if (!kv.Value.TryGetTarget(out _)) Leaves.TryRemove(kv);
    }

    /// <summary>An application's identity: primitive key (or, in a scope, type), scope and argument ids (three inline, more in an array).</summary>
    private readonly struct ApplyKey : IEquatable<ApplyKey>
    {
        private readonly object _op;
        private readonly long _scope, _a0, _a1, _a2;
        private readonly long[]? _rest;
        private readonly int _count, _hash;

        public ApplyKey(object op, long scope, Expr[] args)
        {
            _op = op;
            _scope = scope;
            _count = args.Length;
            _a0 = args.Length > 0 ? args[0].Id : 0;
            _a1 = args.Length > 1 ? args[1].Id : 0;
            _a2 = args.Length > 2 ? args[2].Id : 0;
            _rest = null;
            var h = HashCode.Combine(op, scope, _count, _a0, _a1, _a2);
            if (args.Length > 3)
            {
                _rest = new long[args.Length - 3];
                for (int i = 0; i < _rest.Length; i++)
                {
                    _rest[i] = args[i + 3].Id;
                    h = HashCode.Combine(h, _rest[i]);
                }
            }
            _hash = h;
        }

        public bool Equals(ApplyKey o) =>
            _hash == o._hash && _count == o._count && _a0 == o._a0 && _a1 == o._a1 && _a2 == o._a2 && _scope == o._scope
            && (ReferenceEquals(_op, o._op) || _op.Equals(o._op))
            && (_rest is null || _rest.AsSpan().SequenceEqual(o._rest));

        public override bool Equals(object? obj) => obj is ApplyKey k && Equals(k);

        public override int GetHashCode() => _hash;
    }

    /// <summary>A variable's identity (name, shape, dtype) or a literal's (dtype, value bits; no name).</summary>
    private readonly record struct LeafKey(string? Name, Shape? Shape, DType DType, long Bits);
}
