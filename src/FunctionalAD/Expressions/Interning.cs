using System.Collections.Concurrent;

namespace FunctionalAD;

/// <summary>
/// Hash-consing of expression nodes: equal applications are one object. Entries are weak, so an
/// expression nobody holds can still be collected.
/// </summary>
internal static class Interning
{
    private static readonly ConcurrentDictionary<string, WeakReference<Expr>> Table = new();
    private static int _sinceSweep;

    /// <summary>
    /// Nonzero while gradient tapes exist on this thread: applications built then are interned apart from those
    /// built before, after, or while the tapes were in another state, so a tape records executions, not
    /// equal nodes (an expression built before a tape stays constant to it even if built again inside).
    /// Variables and literals are leaves and stay shared.
    /// </summary>
    [ThreadStatic] internal static long Scope;

    public static Expr Intern(string key, Func<Expr> create)
    {
        if (Scope != 0 && !key.StartsWith("var:", StringComparison.Ordinal) && !key.StartsWith("lit:", StringComparison.Ordinal))
            key = string.Concat(key, "@", Scope.ToString(System.Globalization.CultureInfo.InvariantCulture));
        while (true)
        {
            if (Table.TryGetValue(key, out var weak))
            {
                if (weak.TryGetTarget(out var existing)) return existing;
                var fresh = create();
                if (Table.TryUpdate(key, new WeakReference<Expr>(fresh), weak)) return fresh;
                continue;
            }
            var made = create();
            if (Table.TryAdd(key, new WeakReference<Expr>(made)))
            {
                if (Interlocked.Increment(ref _sinceSweep) % 65536 == 0) Sweep();
                return made;
            }
        }
    }

    private static void Sweep()
    {
        foreach (var kv in Table)
            if (!kv.Value.TryGetTarget(out _)) Table.TryRemove(kv);
    }

    /// <summary>A node's identity inside an interning key.</summary>
    public static string KeyOf(Expr e) => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
