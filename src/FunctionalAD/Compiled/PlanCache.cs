namespace FunctionalAD;

/// <summary>
/// The process-wide cache of compiled plans behind <see cref="Ad.Eval(Expr[], Env?, bool)"/>, <see cref="Expr.Eval(Env?)"/>,
/// <see cref="Plan.Run"/>, tape gradients, eager values and optimizers. Plans are keyed by the graph's structure
/// (primitives, their parameters, shapes, dtypes and literal numbers), never by the values of constants or
/// variables, which are the plans' inputs: a training loop that rebuilds the same graph each step with new data
/// compiles once. Bounded by <see cref="Settings.PlanCacheCapacity"/> (least recently used goes first) and
/// safe to use from several threads.
/// </summary>
/// <remarks>
/// A structure seen for the first time is interpreted; from its <see cref="Settings.CompileAfterUses"/>-th use on it
/// runs compiled (see docs/engine-cache.md for why and for the measurements).
/// </remarks>
public static class PlanCache
{
    internal sealed class Entry(StructureKey key)
    {
        public readonly StructureKey Key = key;
        public int Uses;
        public volatile object? Plan;
        public volatile bool Failed;
        public LinkedListNode<Entry>? Node;
    }

    private static readonly object Gate = new();
    private static readonly Dictionary<StructureKey, Entry> Map = new(StructureKey.Comparer.Instance);
    private static readonly Dictionary<StructureKey, Entry>.AlternateLookup<ReadOnlySpan<int>> ByCode =
        Map.GetAlternateLookup<ReadOnlySpan<int>>();
    private static readonly LinkedList<Entry> Recency = new();
    private static long _hits, _misses, _compilations, _evictions, _interpreted, _failures;

    /// <summary>A cached structure asked for again: it becomes the most recent, and counts as a hit once it has a plan. Caller holds the gate.</summary>
    private static (Entry Entry, int Uses) Found(Entry e)
    {
        if (Recency.First != e.Node)
        {
            Recency.Remove(e.Node!);
            Recency.AddFirst(e.Node!);
        }
        if (e.Plan is not null) _hits++;
        else _misses++;
        return (e, ++e.Uses);
    }

    /// <summary>Looks up (or adds) the entry for <paramref name="key"/>, marks it most recently used and counts one more use of it.</summary>
    internal static (Entry Entry, int Uses) Touch(StructureKey key)
    {
        lock (Gate)
        {
            if (Map.TryGetValue(key, out var e)) return Found(e);
            _misses++;
            e = new Entry(key) { Uses = 1 };
            e.Node = Recency.AddFirst(e);
            Map[key] = e;
            Trim(Settings.PlanCacheCapacity);
            return (e, 1);
        }
    }

    /// <summary>
    /// <see cref="Touch(StructureKey)"/> for a structure given by its code: a hit (every step of a loop after its
    /// first) copies nothing; only a new structure's code is copied into a key.
    /// </summary>
    internal static (Entry Entry, int Uses) Touch(ReadOnlySpan<int> code)
    {
        lock (Gate)
        {
            if (ByCode.TryGetValue(code, out var e)) return Found(e);
        }
        return Touch(new StructureKey(code.ToArray()));
    }

    /// <summary>Stores a freshly compiled plan in its entry (which may have been evicted meanwhile; it still serves this call).</summary>
    internal static void Store(Entry e, object plan)
    {
        e.Plan = plan;
        Interlocked.Increment(ref _compilations);
    }

    /// <summary>Marks a structure the compiler could not take, so it is interpreted from now on instead of retried.</summary>
    internal static void Fail(Entry e)
    {
        e.Failed = true;
        Interlocked.Increment(ref _failures);
    }

    /// <summary>Counts a run that went through the reference interpreter (a first use, a checked run, or a failed compile).</summary>
    internal static void CountInterpreted() => Interlocked.Increment(ref _interpreted);

    /// <summary>Drops entries beyond <paramref name="capacity"/>, least recently used first. Caller holds the gate.</summary>
    private static void Trim(int capacity)
    {
        while (Map.Count > capacity && Recency.Last is { } last)
        {
            Recency.RemoveLast();
            Map.Remove(last.Value.Key);
            _evictions++;
        }
    }

    /// <summary>Applies a lowered capacity at once.</summary>
    internal static void OnCapacityChanged(int capacity)
    {
        lock (Gate) Trim(capacity);
    }

    /// <summary>The counters so far and the current size.</summary>
    public static PlanCacheStatistics Statistics
    {
        get
        {
            lock (Gate)
                return new PlanCacheStatistics(_hits, _misses, _compilations, _evictions, _interpreted, _failures,
                    Map.Count, Settings.PlanCacheCapacity);
        }
    }

    /// <summary>Empties the cache and zeroes the counters.</summary>
    public static void Clear()
    {
        lock (Gate)
        {
            Map.Clear();
            Recency.Clear();
            _hits = _misses = _compilations = _evictions = _interpreted = _failures = 0;
        }
    }
}

/// <summary>A snapshot of the <see cref="PlanCache"/> counters.</summary>
/// <param name="Hits">Runs that found a compiled plan for their structure.</param>
/// <param name="Misses">Runs whose structure had no compiled plan yet (first uses, and uses before the compile threshold).</param>
/// <param name="Compilations">Plans compiled (each structure once while it stays cached).</param>
/// <param name="Evictions">Entries dropped to keep within the capacity.</param>
/// <param name="Interpreted">Runs that went through the reference interpreter instead (first uses, checked runs, fallbacks).</param>
/// <param name="CompileFailures">Structures the compiler could not take and that are therefore always interpreted (expected 0).</param>
/// <param name="Count">Entries held now.</param>
/// <param name="Capacity">The most entries held (<see cref="Settings.PlanCacheCapacity"/>).</param>
public sealed record PlanCacheStatistics(long Hits, long Misses, long Compilations, long Evictions, long Interpreted,
    long CompileFailures, int Count, int Capacity);
