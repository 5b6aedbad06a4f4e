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
}
