namespace FunctionalAD;

/// <summary>A loop body a <see cref="WorkerPool"/> runs for indices 0..count-1, each index exactly once.</summary>
internal abstract class ParallelBody
{
    public abstract void Run(int index);
}

/// <summary>
/// A parallel for-loop that allocates nothing: a few persistent background threads wait on a semaphore, the
/// caller publishes one body at a time and works along with them, indices are handed out by an atomic counter.
/// The caller never waits for a helper that has not started: once it runs out of indices it closes the job and
/// waits only for helpers still inside a body, so a slow wake-up (a busy machine) costs nothing but the help.
/// One job runs at a time; a caller that finds the pool busy runs its loop alone, which is always correct.
/// </summary>
internal static class WorkerPool
{
    private static readonly SemaphoreSlim Wake = new(0);
    private static Thread[] _threads = Array.Empty<Thread>();
    private static ParallelBody? _body;
    private static int _busy, _open, _running, _count, _next;
    private static Exception? _error;

    /// <summary>Runs <paramref name="body"/> for 0..count-1 on the caller plus up to threads-1 pool threads.</summary>
    public static void For(int count, int threads, ParallelBody body)
    {
        // A flag rather than a lock: a lock would let the owning thread re-enter and clobber the running job.
        if (threads <= 1 || count <= 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body.Run(i);
            return;
        }
        try
        {
            int helpers = Math.Min(threads, count) - 1;
            EnsureThreads(helpers);
            _body = body;
            _count = count;
            _next = 0;
            _error = null;
            Volatile.Write(ref _open, 1);
            Wake.Release(helpers);
            Work();
            Volatile.Write(ref _open, 0);
            var spin = new SpinWait();
            while (Volatile.Read(ref _running) != 0) spin.SpinOnce();
            _body = null;
            if (_error is { } e) throw new AggregateException("a parallel kernel failed", e);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private static void Work()
    {
        var body = _body;
        if (body is null) return;
        int i;
        while ((i = Interlocked.Increment(ref _next) - 1) < _count)
        {
            try { body.Run(i); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
        }
    }

    private static void EnsureThreads(int n)
    {
        if (_threads.Length >= n) return;
        var grown = new Thread[n];
        Array.Copy(_threads, grown, _threads.Length);
        for (int i = _threads.Length; i < n; i++)
        {
            grown[i] = new Thread(Loop) { IsBackground = true, Name = $"FunctionalAD worker {i + 1}" };
            grown[i].Start();
        }
        _threads = grown;
    }

    private static void Loop()
    {
        while (true)
        {
            Wake.Wait();
            // Announce first, then look: the caller either still sees this helper running or has closed the job.
            Interlocked.Increment(ref _running);
            if (Volatile.Read(ref _open) == 1) Work();
            Interlocked.Decrement(ref _running);
        }
    }
}
