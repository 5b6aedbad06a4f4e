using System.Collections.Concurrent;

namespace FunctionalAD;

/// <summary>
/// The structural key of a graph, as an integer code: equal keys mean graphs that differ only in the values
/// of their leaves, so one compiled plan serves both.
/// </summary>
internal sealed class StructureKey : IEquatable<StructureKey>
{
    private readonly int[] _code;
    private readonly int _hash;

    public StructureKey(int[] code)
    {
        _code = code;
        _hash = HashOf(code);
    }

    /// <summary>The hash of a key whose code is <paramref name="code"/>, so a code can be looked up before it is copied into a key.</summary>
    /// <remarks>
    /// Every tape step hashes its whole code (a few hundred numbers), so this takes them eight bytes at a time in two
    /// independent multiply-rotate chains and mixes at the end; equal codes still decide, so the hash only spreads.
    /// </remarks>
    public static int HashOf(ReadOnlySpan<int> code)
    {
        const ulong K1 = 0x9E3779B97F4A7C15UL, K2 = 0xC2B2AE3D27D4EB4FUL;
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<int, ulong>(code);
        ulong h1 = (ulong)code.Length * K1, h2 = 0x632BE59BD9B4E019UL;
        int i = 0;
        for (; i + 1 < words.Length; i += 2)
        {
            h1 = System.Numerics.BitOperations.RotateLeft((h1 ^ words[i]) * K1, 29);
            h2 = System.Numerics.BitOperations.RotateLeft((h2 ^ words[i + 1]) * K2, 31);
        }
        if (i < words.Length) h1 = System.Numerics.BitOperations.RotateLeft((h1 ^ words[i]) * K1, 29);
        if ((code.Length & 1) != 0) h2 = System.Numerics.BitOperations.RotateLeft((h2 ^ (uint)code[^1]) * K2, 31);
        ulong h = h1 ^ System.Numerics.BitOperations.RotateLeft(h2, 17);
        h = (h ^ (h >> 33)) * 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        return (int)h ^ (int)(h >> 32);
    }

    public int Length => _code.Length;

    /// <summary>True when this key's code is <paramref name="code"/>.</summary>
    public bool Is(ReadOnlySpan<int> code) => code.SequenceEqual(_code);

    /// <summary>Compares keys, and codes with keys: a lookup with a code as it is being built copies nothing.</summary>
    public sealed class Comparer : IEqualityComparer<StructureKey>, IAlternateEqualityComparer<ReadOnlySpan<int>, StructureKey>
    {
        public static readonly Comparer Instance = new();

        public bool Equals(StructureKey? x, StructureKey? y) => x is null ? y is null : x.Equals(y);

        public int GetHashCode(StructureKey k) => k._hash;

        public bool Equals(ReadOnlySpan<int> code, StructureKey k) => k.Is(code);

        public int GetHashCode(ReadOnlySpan<int> code) => HashOf(code);

        public StructureKey Create(ReadOnlySpan<int> code) => new(code.ToArray());
    }

    public bool Equals(StructureKey? other) =>
        other is not null && other._hash == _hash && other._code.AsSpan().SequenceEqual(_code);

    public override bool Equals(object? obj) => Equals(obj as StructureKey);

    public override int GetHashCode() => _hash;
}

/// <summary>
/// A graph seen as structure plus leaf values: every variable and every data constant becomes an input slot
/// (in first-reached order), while literal numbers written in code (<c>x * 2</c>) and the primitives with their
/// parameters form the structure. This is what lets a training loop that rebuilds the same graph each step
/// with new data, new variable values or a new learning rate reuse one compiled plan.
/// </summary>
internal sealed class Abstracted
{
    private const int LeafCode = 1, LiteralCode = 2, ApplyCode = 3, OutputCode = 4;

    // Primitive keys and literal values, numbered once per process; keys are few (one per distinct op and parameters).
    private static readonly ConcurrentDictionary<string, int> Names = new();
    private static int _nextName;

    /// <summary>Every node reachable from the roots, in topological (creation) order.</summary>
    public List<Expr> Nodes { get; }

    /// <summary>The position of each node in <see cref="Nodes"/> (made when first asked for: compiling, finding a tape's sources).</summary>
    public Dictionary<Expr, int> Index
    {
        get
        {
            if (_index is null)
            {
                var index = new Dictionary<Expr, int>(Nodes.Count, ExprIdentity.Instance);
                for (int i = 0; i < Nodes.Count; i++) index[Nodes[i]] = i;
                _index = index;
            }
            return _index;
        }
    }

    private Dictionary<Expr, int>? _index;

    /// <summary>The position of <paramref name="e"/> in <see cref="Nodes"/>, or -1; a leaf is found without <see cref="Index"/>.</summary>
    public int PositionOf(Expr e)
    {
        if (IsInput(e))
        {
            for (int i = 0; i < Leaves.Length; i++)
                if (ReferenceEquals(Leaves[i], e)) return _leafPositions[i];
            return -1;
        }
        return Index.TryGetValue(e, out int at) ? at : -1;
    }

    private readonly int[] _leafPositions;

    /// <summary>The leaves that are plan inputs, in input order.</summary>
    public Expr[] Leaves { get; }

    /// <summary>The roots, as positions in <see cref="Nodes"/>.</summary>
    public int[] Roots { get; }

    /// <summary>Elements computed by one run (the sizes of the applications added up): how much an interpreted run would cost.</summary>
    public long Work { get; private init; }

    /// <summary>True when some node has no elements: nothing to compute, and not worth a plan.</summary>
    public bool HasEmpty { get; private init; }

    /// <summary>The structure, extensible by callers that key more than evaluation (the tape adds what it recorded).</summary>
    public List<int> Code { get; }

    /// <summary>The roots themselves, and the kind they were abstracted for: what a cached abstraction is checked against.</summary>
    private Expr[] _rootNodes = [];
    private int _kind;
    private StructureKey? _key;

    private Abstracted(List<Expr> nodes, Expr[] leaves, int[] leafPositions, int[] roots, List<int> code)
    {
        Nodes = nodes;
        _leafPositions = leafPositions;
        Leaves = leaves;
        Roots = roots;
        Code = code;
    }

    /// <summary>True for a leaf whose value is data (a plan input) rather than structure.</summary>
    public static bool IsInput(Expr e) => e is Var || e is Const { IsLiteral: false };

    /// <summary>
    /// The abstraction of <paramref name="roots"/> for evaluation, reused when the same roots are evaluated again: nodes
    /// are immutable, so their structure and leaves cannot have changed, and a loop that evaluates one graph with new
    /// bindings (<c>Ad.Eval(outputs, env)</c> each step) walks it once. Kept on the first root, so it lives as long
    /// as the graph does. Callers must not extend its <see cref="Code"/>.
    /// </summary>
    public static Abstracted Shared(IReadOnlyList<Expr> roots, int kind)
    {
        if (roots.Count > 0 && roots[0].Abstraction is { } known && known._kind == kind && known.HasRoots(roots)) return known;
        var a = Run(roots, kind);
        a._rootNodes = roots.ToArray();
        a._kind = kind;
        a.Key();
        if (roots.Count > 0) roots[0].Abstraction = a;
        return a;
    }

    private bool HasRoots(IReadOnlyList<Expr> roots)
    {
        if (roots.Count != _rootNodes.Length) return false;
        for (int i = 0; i < _rootNodes.Length; i++)
            if (!ReferenceEquals(roots[i], _rootNodes[i])) return false;
        return true;
    }

    /// <summary>
    /// Abstracts the graph under <paramref name="roots"/>; <paramref name="kind"/> keeps keys of different uses apart.
    /// With <paramref name="connected"/> (a tape's), also lists the applications in it (<see cref="Connected"/>), and
    /// the node and code lists come from this thread's spares: the caller hands them back with <see cref="Recycle"/>.
    /// </summary>
    public static Abstracted Run(IReadOnlyList<Expr> roots, int kind, ConnectedNodes? connected = null)
    {
        List<Expr>? order = null;
        List<int>? code0 = null;
        if (connected is not null)
        {
            // Taken, not shared: a walk that starts while these are out (compiling inside the caller) makes its own.
            (order, _spareOrder) = (_spareOrder, null);
            (code0, _spareCode) = (_spareCode, null);
        }
        List<int>? through0 = null;
        if (connected is not null) (through0, _spareConnected) = (_spareConnected, null);
        // The leaf lists are copied out at the end of every walk, so they are this thread's spares for any walk.
        List<Expr>? leaves0;
        List<int>? leafPositions0;
        (leaves0, _spareLeaves) = (_spareLeaves, null);
        (leafPositions0, _spareLeafPositions) = (_spareLeafPositions, null);
        var walk = new Walk(roots.Count, kind, connected, order, code0, through0, leaves0, leafPositions0);
        PostOrder(roots, ref walk);
        var (nodes, code, index) = (walk.Order, walk.Code, walk.Index);
        _lastLeaves = walk.Leaves.Count;
        var rootIndex = new int[roots.Count];
        code.Add(OutputCode);
        code.Add(roots.Count);
        for (int i = 0; i < rootIndex.Length; i++) code.Add(rootIndex[i] = index[roots[i]]);
        _lastCode = code.Count;
        var leaves = walk.Leaves.ToArray();
        var leafPositions = walk.LeafPositions.ToArray();
        walk.Leaves.Clear();
        walk.LeafPositions.Clear();
        (_spareLeaves, _spareLeafPositions) = (walk.Leaves, walk.LeafPositions);
        return new Abstracted(nodes, leaves, leafPositions, rootIndex, code)
        {
            HasEmpty = walk.Empty,
            Work = walk.Work,
            Connected = walk.Connected,
            _recyclable = connected is not null,
        };
    }

    [ThreadStatic] private static List<Expr>? _spareOrder, _spareLeaves;
    [ThreadStatic] private static List<int>? _spareCode, _spareConnected, _spareLeafPositions;
    private bool _recyclable;

    /// <summary>
    /// Gives this abstraction's node and code lists back to the thread for the next tape walk. Only for an abstraction
    /// made with a tape (see <see cref="Run"/>), when its caller is done with it: it must not be used afterwards.
    /// </summary>
    public void Recycle()
    {
        if (!_recyclable) return;
        _recyclable = false;
        Nodes.Clear();
        Code.Clear();
        Connected.Clear();
        _spareOrder = Nodes;
        _spareCode = Code;
        _spareConnected = Connected;
    }

    /// <summary>The positions of the applications the tape given to <see cref="Run"/> connected, in order (else empty).</summary>
    public List<int> Connected { get; private init; } = [];

    /// <summary>What one walk builds: the nodes in order, the code, the leaves. Each node's code is written when its arguments are done.</summary>
    private struct Walk(int roots, int kind, ConnectedNodes? connected, List<Expr>? order, List<int>? code,
        List<int>? through, List<Expr>? leaves, List<int>? leafPositions)
    {
        // Sized like the last walk on this thread: a loop walks graphs of one size, and growing lists node by node
        // would cost more than the walk.
        public readonly WalkTable Index = WalkTable.Begin();
        public readonly List<Expr> Order = order ?? new(_lastNodes);
        public readonly List<int> Code = Start(code ?? new(Math.Max(_lastCode, 6 * _lastNodes) + roots + 8), kind);

        private static List<int> Start(List<int> code, int kind)
        {
            code.Add(kind);
            return code;
        }
        public readonly List<Expr> Leaves = leaves ?? new(_lastLeaves);
        public readonly List<int> LeafPositions = leafPositions ?? new(_lastLeaves);
        public readonly List<int> Connected = connected is null ? [] : through ?? new(_lastNodes);
        private readonly ConnectedNodes? _tape = connected;
        public bool Empty;
        public long Work;

        /// <summary>Gives <paramref name="n"/>, whose arguments are done, its position and writes its code.</summary>
        public void Finish(Expr n)
        {
            int i = Order.Count;
            Index[n] = i;
            Order.Add(n);
            Empty |= n.Shape.Size == 0;
            var code = Code;
            switch (n)
            {
                case Apply a:
                    Work += a.Shape.Size;
                    code.Add(ApplyCode);
                    code.Add(KeyId(a.Op));
                    var args = a.Arguments;
                    code.Add(args.Length);
                    for (int j = 0; j < args.Length; j++) code.Add(Index[args[j]]);
                    if (_tape is { } tape && tape.Contains(a)) Connected.Add(i);
                    break;
                case Const { IsLiteral: true } l:
                    code.Add(LiteralCode);
                    code.Add(l.LiteralId != 0 ? l.LiteralId : l.LiteralId = NameId(LiteralName(l)));
                    break;
                default:
                    Leaves.Add(n);
                    LeafPositions.Add(i);
                    code.Add(LeafCode);
                    code.Add((int)n.DType);
                    code.Add(n.Rank);
                    foreach (var d in n.Shape.Dims) code.Add(d);
                    break;
            }
        }
    }

    /// <summary>The key of <see cref="Code"/> as it stands at the first call (callers extend the code before asking).</summary>
    public StructureKey Key() => _key ??= new(Code.ToArray());

    /// <summary><see cref="Code"/> as it stands, without copying it (for a lookup; see <see cref="StructureKey.Comparer"/>).</summary>
    public ReadOnlySpan<int> CodeSpan => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Code);

    /// <summary>The leaves' values: a variable's binding in <paramref name="env"/> (or its Variable's value), a constant's tensor.</summary>
    public Tensor[] Bind(Env env)
    {
        var values = new Tensor[Leaves.Length];
        for (int i = 0; i < values.Length; i++)
            values[i] = Leaves[i] switch
            {
                Var v => env[v],
                Const c => Reads.Value(c, env),
                var other => throw new InvalidOperationException($"not a leaf: {other}"),
            };
        return values;
    }

    /// <summary>
    /// The same structure over fresh placeholder variables, one per leaf: what gets compiled and cached, so the
    /// cache holds no user data. Returns the canonical node for each node and the placeholders in input order.
    /// </summary>
    public (Expr[] Nodes, Var[] Inputs) Canonical()
    {
        var canon = new Expr[Nodes.Count];
        var inputs = new Var[Leaves.Length];
        int k = 0;
        for (int i = 0; i < canon.Length; i++)
        {
            var n = Nodes[i];
            if (n is Apply a)
            {
                var args = new Expr[a.Args.Count];
                for (int j = 0; j < args.Length; j++) args[j] = canon[Index[a.Args[j]]];
                canon[i] = Primitive.Build(a.Op, args);
            }
            else if (IsInput(n))
            {
                var v = new Var($"%{k}", n.Shape, n.DType);
                inputs[k++] = v;
                canon[i] = v;
            }
            else canon[i] = n;
        }
        return (canon, inputs);
    }

    /// <summary>
    /// Every node under the roots once, arguments before their applications, in depth-first order of the roots and
    /// arguments: an order fixed by the structure alone. (Creation order is not: a literal or variable interned
    /// earlier by other code, or by another thread, would move within it.) Each node goes to the walk as its
    /// arguments are done, which gives it its position and code.
    /// </summary>
    private static void PostOrder(IReadOnlyList<Expr> roots, ref Walk walk)
    {
        var index = walk.Index;
        // In the table, -1 while a node is on the stack; its position once its arguments are done.
        var stack = _stack ??= new (Expr, int)[64];
        for (int r = 0; r < roots.Count; r++)
        {
            if (!index.TryAdd(roots[r], -1)) continue;
            int top = 0;
            stack[top++] = (roots[r], 0);
            while (top > 0)
            {
                ref var frame = ref stack[top - 1];
                var args = frame.Node.ArgArray;
                if (frame.Next < args.Length)
                {
                    var a = args[frame.Next++];
                    if (index.TryAdd(a, -1))
                    {
                        if (top == stack.Length) Array.Resize(ref _stack, 2 * top);
                        stack = _stack!;
                        stack[top++] = (a, 0);
                    }
                    continue;
                }
                walk.Finish(frame.Node);
                top--;
            }
        }
        _lastNodes = walk.Order.Count;
    }

    // The walk's stack, kept per thread (the walk calls nothing that walks again); the sizes of the last walk.
    [ThreadStatic] private static (Expr Node, int Next)[]? _stack;
    [ThreadStatic] private static int _lastNodes, _lastLeaves, _lastCode;

    /// <summary>
    /// The number of a primitive with its parameters. A primitive object remembers its number; a new object (graphs
    /// rebuilt each step make new ones) finds it among the primitives of its type numbered on this thread, compared
    /// by <see cref="Primitive.SameParameters"/>, so its key string is formatted only the first time.
    /// </summary>
    private static int KeyId(Primitive op)
    {
        if (op.KeyId != 0) return op.KeyId;
        // A primitive no other object can equal (a custom rule) has nothing to share and nothing to keep in the tables.
        if (op.OneOfAKind) return op.KeyId = NameId(op.InternKey);
        // First a direct-mapped table of the primitives seen last, by type and parameters: one comparison when a
        // loop rebuilds its graph; then all of this type numbered on this thread.
        var recent = _recentKeys ??= new Primitive[RecentKeys];
        var type = op.GetType();
        int slot = (int)((uint)(((int)(type.TypeHandle.Value >> 3) * 31 + op.ParameterHash) * -1640531527) >> 26);
        if (recent[slot] is { } last && last.GetType() == type && last.SameParameters(op)) return op.KeyId = last.KeyId;
        op.KeyId = KnownKeyId(op);
        recent[slot] = op;
        return op.KeyId;
    }

    private const int RecentKeys = 64;
    [ThreadStatic] private static Primitive[]? _recentKeys;

    private static int KnownKeyId(Primitive op)
    {
        var known = _known ??= new Dictionary<Type, List<Primitive>>();
        if (!known.TryGetValue(op.GetType(), out var same)) known[op.GetType()] = same = new List<Primitive>();
        foreach (var p in same)
            if (p.SameParameters(op)) return p.KeyId;
        int id = NameId(op.InternKey);
        // A type with many parameter values (reshapes to many shapes) keeps the latest few; others format again.
        if (same.Count >= 64) same.RemoveAt(0);
        same.Add(op);
        return id;
    }

    [ThreadStatic] private static Dictionary<Type, List<Primitive>>? _known;

    private static string LiteralName(Const l) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{l.DType}:{l.Value.At(0):R}");

    private static int NameId(string name)
    {
        if (Names.TryGetValue(name, out int id)) return id;
        return Names.GetOrAdd(name, _ => Interlocked.Increment(ref _nextName));
    }
}
