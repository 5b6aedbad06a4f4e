using System.Diagnostics;

namespace FunctionalAD;

/// <summary>A loop body a <see cref="WorkerPool"/> runs for indices 0..count-1, each index exactly once.</summary>
internal abstract class ParallelBody
{
    public abstract void Run(int index);
}

/// <summary>
/// A parallel for-loop that allocates nothing: a few persistent background threads, the caller publishes one
/// body at a time and works along with them, indices are handed out by an atomic counter. The caller never
/// waits for a helper that has not started: once it runs out of indices it closes the job and waits only for
/// helpers still inside a body, so a slow wake-up (a busy machine) costs nothing but the help.
/// One job runs at a time; a caller that finds the pool busy runs its loop alone, which is always correct.
/// </summary>
/// <remarks>
/// A helper that finishes a job spins for <see cref="SpinMicroseconds"/> watching for the next one before it
/// blocks on the semaphore: waking a blocked thread takes tens of microseconds on a VM, longer than a whole
/// row block of a product, so a helper that had gone to sleep between the two products of one training step
/// arrived after the caller had done all the work (two threads were slower than one). A compiled training step
/// issues its threaded products well within the spin window, so the helper is already running when they come.
/// <para>
/// When the other cores are taken (another process, more runnable threads than cores), helpers come late or are
/// preempted inside a body, and every job pays for waking them and for waiting on them: two threads measured 10%
/// slower than one. So the pool backs off: after <see cref="UnhelpedJobsBeforeBackOff"/> jobs in a row that no
/// helper took part in (or where the caller waited longer for a helper than it worked itself, and at least
/// <see cref="LateMicroseconds"/>), loops run on the caller alone for <see cref="BackOffMinMicroseconds"/>, doubling
/// on each back-off in a row up to <see cref="BackOffMaxMicroseconds"/>, waking nobody; then the pool tries again,
/// and a helped job resets both. A job that found every helper asleep does not count unless the last wake-up took
/// longer than <see cref="LateMicroseconds"/>: a helper woken after a pause (or after a back-off) arrives some
/// jobs late on an idle machine too, and counting those would back off again before it ever could help.
/// </para>
/// </remarks>
internal static class WorkerPool
{
    /// <summary>How long an idle helper watches for the next job before it blocks.</summary>
    internal const int SpinMicroseconds = 200;

    /// <summary>Jobs in a row without help (see the remarks) after which loops run alone for a while.</summary>
    internal const int UnhelpedJobsBeforeBackOff = 8;

    /// <summary>The first back-off; each further one in a row doubles, up to <see cref="BackOffMaxMicroseconds"/>.</summary>
    internal const int BackOffMinMicroseconds = 5_000;

    /// <summary>The longest back-off.</summary>
    internal const int BackOffMaxMicroseconds = 200_000;

    /// <summary>
    /// A wait for a helper longer than this (and than the caller's own work in the job) means the helper was
    /// preempted inside a body: a body of a split product takes tens of microseconds, a preempted thread milliseconds.
    /// </summary>
    internal const int LateMicroseconds = 300;

    private static int _unhelped, _helped;
    private static long _aloneUntil, _backOffTicks = Ticks(BackOffMinMicroseconds);

    private static long Ticks(int microseconds) => Stopwatch.Frequency * microseconds / 1_000_000;

    /// <summary>True while loops run on the caller alone because helpers did not keep up (see the remarks).</summary>
    internal static bool BackingOff => Stopwatch.GetTimestamp() < Volatile.Read(ref _aloneUntil);

    private static readonly SemaphoreSlim Wake = new(0);
    private static Thread[] _threads = Array.Empty<Thread>();
    private static ParallelBody? _body;
    private static int _busy, _open, _running, _count, _next, _epoch, _sleepers, _awake;
    // When the caller last released sleeping helpers, and how long the last helper took from that release to running.
    private static long _releasedAt, _wakeTicks;
    private static Exception? _error;
    // Indices run per participant (slot 0 the callers, slot i helper i), 16 longs apart so no two share a cache line.
    private static long[] _done = new long[16];

    /// <summary>Indices run so far by the calling threads (element 0, loops run alone included) and each helper (1..): a check that work really is shared.</summary>
    internal static long[] IndicesRun()
    {
        var d = Volatile.Read(ref _done);
        var r = new long[d.Length / 16];
        for (int i = 0; i < r.Length; i++) r[i] = Volatile.Read(ref d[i * 16]);
        return r;
    }

    /// <summary>Runs <paramref name="body"/> for 0..count-1 on the caller plus up to threads-1 pool threads.</summary>
    public static void For(int count, int threads, ParallelBody body)
    {
        // A flag rather than a lock: a lock would let the owning thread re-enter and clobber the running job.
        if (threads <= 1 || count <= 1 || BackingOff || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body.Run(i);
            if (count > 0) Interlocked.Add(ref Volatile.Read(ref _done)[0], count);
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
            _helped = 0;
            Volatile.Write(ref _open, 1);
            Interlocked.Increment(ref _epoch);
            // Only helpers that have given up spinning need the semaphore; the others see the new epoch.
            // A job that finds every helper asleep only wakes them: that they miss it says nothing about the cores,
            // unless the last wake-up itself was late (the helper waited for a core).
            bool anyAwake = Volatile.Read(ref _awake) > 0 || Volatile.Read(ref _wakeTicks) > Ticks(LateMicroseconds);
            int sleeping = Interlocked.Exchange(ref _sleepers, 0);
            if (sleeping > 0)
            {
                Volatile.Write(ref _releasedAt, Stopwatch.GetTimestamp());
                Wake.Release(sleeping);
            }
            long started = Stopwatch.GetTimestamp();
            Work(0);
            Volatile.Write(ref _open, 0);
            long worked = Stopwatch.GetTimestamp();
            var spin = new SpinWait();
            while (Volatile.Read(ref _running) != 0) spin.SpinOnce(-1);
            long waited = Stopwatch.GetTimestamp() - worked;
            _body = null;
            bool late = waited > Math.Max(Ticks(LateMicroseconds), worked - started);
            Judge(helped: Volatile.Read(ref _helped) != 0 && !late, counts: late || anyAwake);
            if (_error is { } e) throw new AggregateException("a parallel kernel failed", e);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// Counts jobs in a row without help and starts a back-off after <see cref="UnhelpedJobsBeforeBackOff"/> of them.
    /// A job without help counts only when a helper was awake at its start or the caller waited late for one: a
    /// helper woken from its sleep (after a pause, or after a back-off) takes longer than several short jobs to arrive,
    /// and counting those would back off again before it ever could help.
    /// </summary>
    private static void Judge(bool helped, bool counts)
    {
        if (helped)
        {
            _unhelped = 0;
            _backOffTicks = Ticks(BackOffMinMicroseconds);
            return;
        }
        if (!counts || ++_unhelped < UnhelpedJobsBeforeBackOff) return;
        _unhelped = 0;
        Volatile.Write(ref _aloneUntil, Stopwatch.GetTimestamp() + _backOffTicks);
        _backOffTicks = Math.Min(2 * _backOffTicks, Ticks(BackOffMaxMicroseconds));
    }

    private static void Work(int slot)
    {
        var body = _body;
        if (body is null) return;
        int i, done = 0;
        while ((i = Interlocked.Increment(ref _next) - 1) < _count)
        {
            try { body.Run(i); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
            done++;
        }
        if (done > 0)
        {
            Interlocked.Add(ref _done[slot * 16], done);
            if (slot > 0) Volatile.Write(ref _helped, 1);
        }
    }

    private static void EnsureThreads(int n)
    {
        if (_threads.Length >= n) return;
        var grown = new Thread[n];
        Array.Copy(_threads, grown, _threads.Length);
        var done = new long[(n + 1) * 16];
        Array.Copy(_done, done, _done.Length);
        _done = done;
        for (int i = _threads.Length; i < n; i++)
        {
            int slot = i + 1;
            grown[i] = new Thread(() => Loop(slot)) { IsBackground = true, Name = $"FunctionalAD worker {slot}" };
            grown[i].Start();
        }
        _threads = grown;
    }

    private static void Loop(int slot)
    {
        Interlocked.Increment(ref _awake);
        int seen = Volatile.Read(ref _epoch);
        long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        while (true)
        {
            if (Volatile.Read(ref _epoch) == seen)
            {
                long until = Stopwatch.GetTimestamp() + spinTicks;
                while (Volatile.Read(ref _epoch) == seen && Stopwatch.GetTimestamp() < until) Thread.SpinWait(8);
            }
            if (Volatile.Read(ref _epoch) == seen)
            {
                // Count as asleep before the last look: a caller that bumps the epoch after that look finds us counted
                // and releases the semaphore. A release we no longer need only makes one later wait return early.
                Interlocked.Decrement(ref _awake);
                Interlocked.Increment(ref _sleepers);
                long asleep = Stopwatch.GetTimestamp();
                if (Volatile.Read(ref _epoch) == seen) Wake.Wait();
                long woke = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref _awake);
                // A wait that returned at once consumed an old release and says nothing about wake-up time.
                if (woke - asleep > Ticks(5)) Volatile.Write(ref _wakeTicks, Math.Max(0, woke - Volatile.Read(ref _releasedAt)));
                continue;
            }
            seen = Volatile.Read(ref _epoch);
            // Announce first, then look: the caller either still sees this helper running or has closed the job.
            Interlocked.Increment(ref _running);
            if (Volatile.Read(ref _open) == 1) Work(slot);
            Interlocked.Decrement(ref _running);
        }
    }
}
