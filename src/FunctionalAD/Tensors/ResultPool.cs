using System.Runtime.InteropServices;

namespace FunctionalAD;

/// <summary>
/// Recycled storage for large result tensors (85,000 bytes and up, the arrays .NET puts in its large-object heap).
/// Every evaluation (<see cref="Ad.Eval(Expr[], Env?, bool)"/>, <see cref="Expr.Eval(Env?)"/>, tape gradients,
/// <see cref="CompiledFunction.Run(Tensor[])"/>) returns new tensors; a training loop drops last step's results and
/// asks for same-sized ones again. Allocating those fresh costs far more than computing them (each large
/// allocation counts towards a full collection, after which the memory page-faults again on first write), so their
/// arrays come from here: free arrays keyed by element type and exact length, bounded by
/// <see cref="Settings.ResultPoolBytes"/>, safe to use from several threads.
/// </summary>
/// <remarks>
/// No <c>Dispose</c> is needed: an array returns to the pool when no tensor holds it any more, found by the garbage
/// collector through a small lease object shared by the tensors over the array. When a request finds no free array
/// and more than half the pool's capacity has been handed out since the last collection, the pool asks for a young
/// (gen1, non-compacting) collection, which finds the dead leases cheaply, takes their arrays back and tries again. A constant
/// (<see cref="Ex.Const(Tensor)"/>, a <see cref="Variable"/> read) keeps its storage like any other tensor; storage a
/// compiled function keeps as a constant is never recycled. See docs/memory.md.
/// </remarks>
public static class ResultPool
{
    /// <summary>The smallest array, in bytes, that is pooled: the large-object heap threshold. Smaller arrays are cheap to allocate.</summary>
    public const int MinBytes = 85_000;

    private static readonly object Gate = new();
    private static readonly Dictionary<(DType, int), FreeList> Free = new();
    // Counts requests; each free list records the count at its size's last request, so a full pool can tell stale sizes.
    private static long _requests;
    private const long StaleRequests = 4096;
    private static long _hits, _misses, _returned, _dropped, _escaped, _collections, _collectionTicks;
    private static long _freeBytes, _leasedBytes, _rentedSinceCollect, _releasedBytes, _releasedAtCollect, _budgetScale = 1;
    private static int _collecting;
    // Every ticket handed out and not yet known to be back; pruned of finished ones when it doubles, and at each collection.
    private static readonly List<StorageTicket> Outstanding = new();
    private static int _pruneAt = 64;

    /// <summary>
    /// Storage for a tensor of <paramref name="length"/> elements of <paramref name="dtype"/>, uninitialised, with the
    /// lease that returns it to the pool; the lease is null for an array too small to pool or when pooling is off.
    /// </summary>
    internal static (Array Array, StorageLease? Lease) Rent(DType dtype, int length)
    {
        long bytes = (long)length * ByteSize(dtype);
        long capacity = Settings.ResultPoolBytes;
        if (bytes < MinBytes || bytes > capacity) return (Allocate(dtype, length), null);
        if (TryTake(dtype, length, bytes) is { } hit) return (hit, Lease(hit, bytes));
        if (Interlocked.Read(ref _rentedSinceCollect) >= capacity / 2 * Interlocked.Read(ref _budgetScale) && Collect(dtype, length, bytes) is { } found)
            return (found, Lease(found, bytes));
        var fresh = Allocate(dtype, length);
        lock (Gate)
        {
            _misses++;
            _leasedBytes += bytes;
            _rentedSinceCollect += bytes;
        }
        return (fresh, Lease(fresh, bytes));
    }

    private static StorageLease Lease(Array array, long bytes)
    {
        var ticket = new StorageTicket(array, bytes);
        var lease = new StorageLease(ticket);
        ticket.Lease = GCHandle.Alloc(lease, GCHandleType.Weak);
        lock (Gate)
        {
            Outstanding.Add(ticket);
            if (Outstanding.Count >= _pruneAt) Sweep();
        }
        return lease;
    }

    /// <summary>
    /// Takes back every array whose lease a collection found unreachable (its weak handle is cleared; its finalizer,
    /// which would do the same, has not necessarily run), and forgets finished tickets. Caller holds the gate.
    /// </summary>
    private static void Sweep()
    {
        int kept = 0;
        for (int i = 0; i < Outstanding.Count; i++)
        {
            var t = Outstanding[i];
            if (t.State == StorageTicket.Leased && t.Lease.Target is null) ReleaseLocked(t);
            if (t.State == StorageTicket.Leased) Outstanding[kept++] = t;
            else t.Lease.Free();
        }
        Outstanding.RemoveRange(kept, Outstanding.Count - kept);
        _pruneAt = Math.Max(64, 2 * kept);
        // Sizes a program stopped asking for (a varying batch length, say) would otherwise stay as keys for good.
        foreach (var (key, list) in Free)
            if (list.Arrays.Count == 0 && list.LastRequest < _requests - StaleRequests) Free.Remove(key);
    }

    private static Array? TryTake(DType dtype, int length, long bytes)
    {
        lock (Gate)
        {
            var list = ListOf((dtype, length));
            list.LastRequest = ++_requests;
            if (list.Arrays.Count == 0) return null;
            _hits++;
            _freeBytes -= bytes;
            _leasedBytes += bytes;
            _rentedSinceCollect += bytes;
            return list.Arrays.Pop();
        }
    }

    private static FreeList ListOf((DType, int) key)
    {
        if (!Free.TryGetValue(key, out var list)) Free[key] = list = new FreeList();
        return list;
    }

    /// <summary>
    /// One thread at a time runs a young collection, takes back the arrays of the leases it found dead, and looks again:
    /// no waiting for the finalizer thread, which may not get a CPU soon on a busy or one-CPU machine.
    /// If that freed little of what was handed out since the last collection, results are being kept alive, and the
    /// next collection waits for twice as much, so a program holding its results pays rarely.
    /// </summary>
    private static Array? Collect(DType dtype, int length, long bytes)
    {
        if (Interlocked.Exchange(ref _collecting, 1) != 0) return null;
        try
        {
            long rented, freed;
            lock (Gate)
            {
                rented = _rentedSinceCollect;
                _rentedSinceCollect = 0;
            }
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
            // What came back since the last collection, by any path: this collection's sweep, the finalizer thread after
            // collections the runtime or the program started, sweeps when the ticket list grew. Counting only this
            // collection's sweep misread a loop whose arrays mostly came back through the others as one that keeps its
            // results, and grew the budget until every later workload allocated afresh (W3 then W4 in one bench run).
            lock (Gate)
            {
                Sweep();
                freed = _releasedBytes - _releasedAtCollect;
                _releasedAtCollect = _releasedBytes;
            }
            Interlocked.Add(ref _collectionTicks, System.Diagnostics.Stopwatch.GetTimestamp() - start);
            Interlocked.Increment(ref _collections);
            long scale = Interlocked.Read(ref _budgetScale);
            Interlocked.Exchange(ref _budgetScale, freed * 4 < rented ? Math.Min(scale * 2, 64) : 1);
            return TryTake(dtype, length, bytes);
        }
        finally { Volatile.Write(ref _collecting, 0); }
    }

    private static Array Allocate(DType dtype, int length) => dtype switch
    {
        DType.Float32 => GC.AllocateUninitializedArray<float>(length),
        DType.Float64 => GC.AllocateUninitializedArray<double>(length),
        _ => GC.AllocateUninitializedArray<int>(length),
    };

    /// <summary>Takes back the array of a lease that died (its finalizer), unless a sweep already did.</summary>
    internal static void Release(StorageTicket ticket)
    {
        lock (Gate) ReleaseLocked(ticket);
    }

    /// <summary>
    /// Takes back an array whose lease died, forgetting it backed a constant; drops it (to the garbage collector) when
    /// the pool is full. False when a sweep or the finalizer already did, or it escaped. Caller holds the gate.
    /// </summary>
    private static bool ReleaseLocked(StorageTicket ticket)
    {
        if (Interlocked.CompareExchange(ref ticket.State, StorageTicket.Returned, StorageTicket.Leased) != StorageTicket.Leased) return false;
        var array = ticket.Array!;
        ticket.Array = null;
        long bytes = ticket.Bytes;
        _releasedBytes += bytes;
        Tensor.Thaw(array);
        _leasedBytes -= bytes;
        var list = ListOf((DTypeOf(array), array.Length));
        if (!MakeRoom(bytes, list.LastRequest))
        {
            _dropped++;
            return true;
        }
        list.Arrays.Push(array);
        _freeBytes += bytes;
        _returned++;
        return true;
    }

    /// <summary>
    /// Frees room for <paramref name="bytes"/> more free bytes by dropping free arrays of sizes last requested before
    /// <paramref name="lastRequest"/>, the stalest first; false (drop the array coming back) when that is not enough.
    /// Without it, a finished workload's arrays would fill the pool for good and every array of the workload running
    /// now would be dropped on return and allocated afresh (measured: W4 through <c>Ad.Eval</c> after W3 in one
    /// process took 11 ms a step instead of 0.45 ms). Caller holds the gate.
    /// </summary>
    private static bool MakeRoom(long bytes, long lastRequest)
    {
        long capacity = Settings.ResultPoolBytes;
        while (_freeBytes + bytes > capacity)
        {
            (DType, int) stalest = default;
            FreeList? victim = null;
            foreach (var (key, other) in Free)
                if (other.Arrays.Count > 0 && other.LastRequest < lastRequest && (victim is null || other.LastRequest < victim.LastRequest))
                    (stalest, victim) = (key, other);
            if (victim is null) return false;
            victim.Arrays.Pop();
            _freeBytes -= (long)stalest.Item2 * ByteSize(stalest.Item1);
            _dropped++;
        }
        return true;
    }

    /// <summary>Counts an array that left the pool for good (<see cref="StorageLease.Escape"/>).</summary>
    internal static void Escaped(StorageTicket ticket)
    {
        lock (Gate)
        {
            ticket.Array = null;
            _leasedBytes -= ticket.Bytes;
            _escaped++;
        }
    }

    private static int ByteSize(DType d) => d == DType.Float64 ? 8 : 4;

    private static DType DTypeOf(Array a) => a switch
    {
        float[] => DType.Float32,
        double[] => DType.Float64,
        _ => DType.Int32,
    };

    /// <summary>
    /// A new capacity (<see cref="Settings.ResultPoolBytes"/>): drops free arrays until at most <paramref name="capacity"/>
    /// bytes remain, largest first, and starts the collection budget afresh. A budget grown while an earlier workload held
    /// its results (up to 64 times half the capacity) would otherwise delay the first collection of a workload that drops
    /// them by gigabytes of fresh arrays.
    /// </summary>
    internal static void Trim(long capacity)
    {
        Interlocked.Exchange(ref _budgetScale, 1);
        lock (Gate)
        {
            foreach (var (key, list) in Free.OrderByDescending(e => (long)e.Key.Item2 * ByteSize(e.Key.Item1)))
            {
                long each = (long)key.Item2 * ByteSize(key.Item1);
                while (_freeBytes > capacity && list.Arrays.Count > 0)
                {
                    list.Arrays.Pop();
                    _freeBytes -= each;
                    _dropped++;
                }
            }
        }
    }

    /// <summary>How many times half the capacity the pool hands out before its next collection (1 unless results are being kept).</summary>
    internal static long BudgetScale => Interlocked.Read(ref _budgetScale);

    /// <summary>Free arrays held now for tensors of <paramref name="length"/> elements of <paramref name="dtype"/>.</summary>
    internal static int FreeCount(DType dtype, int length)
    {
        lock (Gate) return Free.TryGetValue((dtype, length), out var list) ? list.Arrays.Count : 0;
    }

    /// <summary>The counters so far and the bytes held now.</summary>
    public static ResultPoolStatistics Statistics
    {
        get
        {
            lock (Gate)
                return new ResultPoolStatistics(_hits, _misses, _returned, _dropped, _escaped, Interlocked.Read(ref _collections),
                    TimeSpan.FromTicks((long)(Interlocked.Read(ref _collectionTicks) * ((double)TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency))),
                    _freeBytes, _leasedBytes, Settings.ResultPoolBytes);
        }
    }

    /// <summary>
    /// Drops every free array and zeroes the counters. Arrays still held by tensors stay theirs and come back when
    /// those die.
    /// </summary>
    public static void Clear()
    {
        lock (Gate)
        {
            Free.Clear();
            _freeBytes = 0;
            _hits = _misses = _returned = _dropped = _escaped = 0;
            _rentedSinceCollect = 0;
            _budgetScale = 1;
            Interlocked.Exchange(ref _collections, 0);
            Interlocked.Exchange(ref _collectionTicks, 0);
        }
    }
}

/// <summary>The free arrays of one element type and length, and when that size was last requested.</summary>
internal sealed class FreeList
{
    /// <summary>Free arrays, the most recently returned on top (most likely still in cache).</summary>
    public readonly Stack<Array> Arrays = new();

    /// <summary>The pool's request count at the last request for this size; 0 if never requested.</summary>
    public long LastRequest;
}

/// <summary>A snapshot of the <see cref="ResultPool"/> counters.</summary>
/// <param name="Hits">Large results whose storage came from the pool.</param>
/// <param name="Misses">Large results that needed a new array (the pool had none of that type and length free).</param>
/// <param name="Returned">Arrays given back to the pool when their last tensor died.</param>
/// <param name="Dropped">Arrays left to the garbage collector because the pool was full (or trimmed).</param>
/// <param name="Escaped">Arrays a compiled function keeps as constants, and so never recycled.</param>
/// <param name="Collections">Young collections the pool asked for to find dead results.</param>
/// <param name="CollectionTime">Time spent in those collections (and taking back what they freed), on the threads that asked for them.</param>
/// <param name="FreeBytes">Bytes of free arrays held now.</param>
/// <param name="LeasedBytes">Bytes of pooled arrays held by tensors (or by dead tensors not yet collected) now.</param>
/// <param name="CapacityBytes">The most free bytes held (<see cref="Settings.ResultPoolBytes"/>); 0 turns pooling off.</param>
public sealed record ResultPoolStatistics(long Hits, long Misses, long Returned, long Dropped, long Escaped, long Collections,
    TimeSpan CollectionTime, long FreeBytes, long LeasedBytes, long CapacityBytes);
