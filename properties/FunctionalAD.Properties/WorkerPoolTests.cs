using FunctionalAD;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>The allocation-free parallel loop behind threaded products: every index exactly once, failures surface, helpers count their work.</summary>
public class WorkerPoolTests
{
    private sealed class Hits(int count) : ParallelBody
    {
        public readonly int[] Seen = new int[count];
        public int ThrowAt = -1;

        public override void Run(int index)
        {
            Interlocked.Increment(ref Seen[index]);
            if (index == ThrowAt) throw new InvalidOperationException($"index {index}");
        }
    }

    [Fact]
    public void Every_index_runs_exactly_once_for_any_count_and_thread_count()
    {
        foreach (int threads in new[] { 1, 2, 3, 4 })
            foreach (int count in new[] { 0, 1, 2, 3, 7, 64, 257 })
                for (int round = 0; round < 20; round++)
                {
                    var body = new Hits(count);
                    WorkerPool.For(count, threads, body);
                    Assert.All(body.Seen, n => Assert.Equal(1, n));
                }
    }

    [Fact]
    public void A_failing_index_surfaces_and_the_pool_keeps_working()
    {
        var failing = new Hits(40) { ThrowAt = 17 };
        Assert.ThrowsAny<Exception>(() => WorkerPool.For(40, 2, failing));
        var next = new Hits(40);
        WorkerPool.For(40, 2, next);
        Assert.All(next.Seen, n => Assert.Equal(1, n));
    }

    [Fact]
    public void Indices_run_are_counted_per_participant()
    {
        long before = WorkerPool.IndicesRun().Sum();
        WorkerPool.For(100, 2, new Hits(100));
        // Other tests may run threaded loops at the same time, so the total grows by at least ours.
        long after = WorkerPool.IndicesRun().Sum();
        Assert.True(after - before >= 100, $"{before} -> {after}");
        Assert.True(WorkerPool.IndicesRun().Length >= 2);
    }

    /// <summary>
    /// Records which thread ran each index; on the caller an index takes 50 us (so a helper has time to join), on a
    /// pool thread it can stall for milliseconds, as a helper preempted by another process would.
    /// </summary>
    private sealed class Where(int count, int stallMilliseconds = 0) : ParallelBody
    {
        public readonly bool[] OnHelper = new bool[count];

        public override void Run(int index)
        {
            bool helper = Thread.CurrentThread.Name?.StartsWith("FunctionalAD worker", StringComparison.Ordinal) == true;
            OnHelper[index] = helper;
            if (helper && stallMilliseconds > 0) Thread.Sleep(stallMilliseconds);
            else if (!helper && stallMilliseconds > 0)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (clock.Elapsed.TotalMicroseconds < 50) Thread.SpinWait(10);
            }
        }
    }

    /// <summary>Runs jobs whose helper stalls until the pool backs off, for at most 10 s.</summary>
    private static void StallUntilBackOff()
    {
        // A job that only wakes a sleeping helper does not count, and loops by other tests may reset the count,
        // so keep going until the helper has joined and stalled enough jobs in a row.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!WorkerPool.BackingOff && clock.Elapsed < TimeSpan.FromSeconds(10))
            WorkerPool.For(8, 2, new Where(8, stallMilliseconds: 2));
    }

    [Fact]
    public void A_helper_that_keeps_stalling_inside_bodies_makes_loops_run_on_the_caller_alone()
    {
        // Each job: the caller's indices take 50 us each, a helper's 2 ms, so the caller waits far longer than it worked.
        StallUntilBackOff();
        Assert.True(WorkerPool.BackingOff, "no back-off after jobs whose helper stalled every time");

        var body = new Where(64);
        WorkerPool.For(64, 2, body);
        // Still backing off after the loop means it was when the loop began, so nobody may have helped.
        if (WorkerPool.BackingOff) Assert.DoesNotContain(true, body.OnHelper);
    }

    [Fact]
    public void After_a_back_off_the_pool_shares_work_again()
    {
        StallUntilBackOff();
        Assert.True(WorkerPool.BackingOff, "no back-off after jobs whose helper stalled every time");
        // The back-off ends by itself after at most BackOffMaxMicroseconds; on a loaded machine other tests using the
        // pool may start another one meanwhile, so look for its end over a few seconds rather than at one instant.
        var ending = System.Diagnostics.Stopwatch.StartNew();
        Thread.Sleep(WorkerPool.BackOffMaxMicroseconds / 1000 + 20);
        while (WorkerPool.BackingOff && ending.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(1);
        Assert.False(WorkerPool.BackingOff, "the back-off did not end within 5 s");
        bool shared = false;
        // A helper takes part as soon as it is awake and the pool is free; other tests may hold the pool for a
        // while, and on a loaded machine the pool may back off again, so keep trying for a few seconds.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!shared && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (WorkerPool.BackingOff) Thread.Sleep(1);
            var body = new Where(256);
            WorkerPool.For(256, 2, body);
            shared = body.OnHelper.Contains(true);
        }
        Assert.True(shared, "no helper took part in any loop for 5 s after the back-off ended");
    }
}
