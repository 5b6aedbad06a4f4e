using System.Diagnostics;
using FunctionalAD.Bench.Limits;
using FunctionalAD.Bench.Ours;
using FunctionalAD.Bench.Report;
using FunctionalAD.Bench.Workloads;

namespace FunctionalAD.Bench.Probes;

/// <summary>
/// <c>--probe threads</c>: why compiled W3 on two threads can lose its second core inside the bench process. Times
/// W3 compiled on 1 and 2 threads as many short bursts (fastest and median) before libtorch is loaded, then runs
/// the peer on 2 threads and watches which threads of the process keep using CPU after it stops (OpenMP workers
/// that spin), and times W3 on 2 threads again right after the peer, with the CPU every other thread used meanwhile.
/// </summary>
internal static class TwoThreadProbe
{
    /// <summary>Bursts per timing, and calls per burst.</summary>
    private const int Bursts = 300, PerBurst = 4;

    public static int Run()
    {
        Console.WriteLine($"load before: {ResultsReport.LoadAverage()}; OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset)"}");
        var ours = new CompiledRunner(new W3_Mlp().BuildModel(), keras: false);
        int self = OsThreadId();

        FmaScaling();
        Console.WriteLine("W3 compiled, libtorch not loaded:");
        var one = Time(ours, 1, self);
        var two = Time(ours, 2, self);
        Console.WriteLine($"  2 threads speed-up: fastest {one.Best / two.Best:F2}x, median {one.Median / two.Median:F2}x");
        // Amdahl: the two large products are all that is split over threads; the rest of the step runs on one.
        var products = Products();
        Console.WriteLine("W3's two large products alone (x·w1 and xᵀ·g1), each a compiled call:");
        var p1 = Time(products, 1, self);
        var p2 = Time(products, 2, self);
        double serial = one.Best - p1.Best;
        Console.WriteLine($"  products' speed-up {p1.Best / p2.Best:F2}x; the rest of the step, run on one thread: {serial:F0} us = " +
                          $"{serial / two.Best:P0} of the 2-thread step; bound if the products halved exactly: {one.Best / (serial + p1.Best / 2):F2}x");

        // A core taken by other work, simulated: one more thread of this process spins the whole time, so three
        // runnable threads share two cores, as when another process runs beside the bench.
        Console.WriteLine("W3 compiled while a third thread spins (2 cores, 3 runnable threads):");
        using (new Spinner())
        {
            var busyOne = Time(ours, 1, self);
            var busyTwo = Time(ours, 2, self);
            Console.WriteLine($"  2 threads speed-up with a core shared: fastest {busyOne.Best / busyTwo.Best:F2}x, median {busyOne.Median / busyTwo.Median:F2}x");
        }

        var w3 = new W3_Mlp { Threads = 2 };
        w3.SetupPeer();
        foreach (int round in new[] { 1, 2 })
        {
            RunPeer(w3, TimeSpan.FromSeconds(1));
            if (round == 1)
            {
                // Idle after the peer: whatever still burns CPU now is a library's thread spinning.
                Console.WriteLine("after 1 s of the peer on 2 threads, this thread asleep; CPU of the process's threads per 50 ms slice:");
                var before = ThreadCpu.Snapshot();
                for (int slice = 0; slice < 12; slice++)
                {
                    Thread.Sleep(50);
                    var after = ThreadCpu.Snapshot();
                    Console.WriteLine($"  {(slice + 1) * 50,4} ms: {ThreadCpu.Format(ThreadCpu.Delta(before, after, minMs: 10))}");
                    before = after;
                }
                continue;
            }
            Console.WriteLine($"threads pinned to fewer CPUs than the process after the peer ran: {ThreadCpu.Pinned()}");
            Console.WriteLine("W3 compiled right after 1 s of the peer on 2 threads, then on 1 thread:");
            var again = Time(ours, 2, self);
            var againOne = Time(ours, 1, self);
            Console.WriteLine($"  1 thread against before libtorch: fastest {one.Best / againOne.Best:F2}x, median {one.Median / againOne.Median:F2}x");
            Console.WriteLine($"  against before libtorch: fastest {two.Best / again.Best:F2}x, median {two.Median / again.Median:F2}x");
            FmaScaling();
        }
        w3.Cleanup();
        Console.WriteLine($"load after: {ResultsReport.LoadAverage()}");
        return 0;
    }

    /// <summary>
    /// How much FMA throughput a second thread adds right now (median of bursts, 1.0 to 2.0): on a virtual machine
    /// the two vCPUs can be two cores, or two hyperthreads of one core (or time-share one), which no split of ours fixes.
    /// </summary>
    private static void FmaScaling()
    {
        var (one, two) = FmaBursts();
        Console.WriteLine($"FMA kernel, same work per thread: 1 thread {one:F0} us, 2 threads {two:F0} us (median of bursts): a second thread adds {2 * one / two:F2}x throughput");
    }

    /// <summary>Median microseconds of the FMA kernel's bursts on 1 and on 2 threads, the same work per thread (about 0.1 s in all).</summary>
    internal static (double One, double Two) FmaBursts()
    {
        const int trips = 1 << 17;
        double Median(int threads)
        {
            var t = new double[101];
            for (int i = 0; i < t.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                MachineLimits.OnThreads(threads, _ => MachineLimits.FmaKernel(trips));
                t[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            Array.Sort(t);
            return t[t.Length / 2];
        }
        return (Median(1), Median(2));
    }

    /// <summary>W3's x·w1 (128×256×784) and xᵀ·g1 (784×256×128), compiled separately and run back to back.</summary>
    private static IOursPath Products()
    {
        var x = Ex.Var("x", W3_Mlp.Batch, W3_Mlp.Inputs);
        var w1 = Ex.Var("w1", W3_Mlp.Inputs, W3_Mlp.Hidden);
        var g1 = Ex.Var("g1", W3_Mlp.Batch, W3_Mlp.Hidden);
        var forward = Ad.Compile([Ex.MatMul(x, w1)], x, w1);
        var backward = Ad.Compile([Ex.MatMul(x, g1, transposeA: true)], x, g1);
        Tensor xv = Tensor.RandomUniform(new Shape(W3_Mlp.Batch, W3_Mlp.Inputs), seed: 1);
        Tensor[] fin = [xv, Tensor.RandomNormal(new Shape(W3_Mlp.Inputs, W3_Mlp.Hidden), seed: 2)];
        Tensor[] bin = [xv, Tensor.RandomNormal(new Shape(W3_Mlp.Batch, W3_Mlp.Hidden), seed: 3)];
        Tensor[] fout = forward.CreateOutputs(), bout = backward.CreateOutputs();
        return new Calls(() =>
        {
            forward.Run(fin, fout);
            backward.Run(bin, bout);
        });
    }

    /// <summary>A thread that keeps one core busy until disposed.</summary>
    private sealed class Spinner : IDisposable
    {
        private volatile bool _stop;
        private readonly Thread _thread;

        public Spinner()
        {
            _thread = new Thread(() => { while (!_stop) Thread.SpinWait(100); }) { IsBackground = true, Name = "probe spinner" };
            _thread.Start();
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }

    /// <summary>Any timed action as a path.</summary>
    private sealed class Calls(Action run) : IOursPath
    {
        public Tensor[] Run()
        {
            run();
            return [];
        }

        public Tensor[] ValuesForCheck() => [];
    }

    private static void RunPeer(W3_Mlp w3, TimeSpan span)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < span) w3.Peer();
    }

    /// <summary>Fastest and median microseconds per call of <see cref="Bursts"/> bursts, and what other threads used meanwhile.</summary>
    private static (double Best, double Median) Time(IOursPath ours, int threads, int self)
    {
        Settings.MaxThreads = threads;
        for (int i = 0; i < 20; i++) ours.Run();
        var times = new double[Bursts];
        long[] indices0 = PoolIndices();
        var cpu = ThreadCpu.Snapshot();
        var wall = Stopwatch.StartNew();
        for (int b = 0; b < Bursts; b++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < PerBurst; i++) ours.Run();
            times[b] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / PerBurst;
        }
        double ms = wall.Elapsed.TotalMilliseconds;
        var used = ThreadCpu.Delta(cpu, ThreadCpu.Snapshot(), minMs: 10);
        long[] indices = PoolIndices();
        string shares = string.Join("/", indices.Select((n, i) => n - (i < indices0.Length ? indices0[i] : 0)));
        Array.Sort(times);
        double best = times[0], median = times[Bursts / 2];
        string others = ThreadCpu.Format(used.Where(t => t.Tid != self && !t.Name.StartsWith("FunctionalAD")));
        double mine = used.Where(t => t.Tid == self).Sum(t => t.Ms);
        string ourHelpers = ThreadCpu.Format(used.Where(t => t.Name.StartsWith("FunctionalAD")));
        Console.WriteLine($"  {threads} thread(s): fastest {best:F0} us, median {median:F0} us, 90th percentile {times[Bursts * 9 / 10]:F0} us per call " +
                          $"({ms:F0} ms wall; calling thread {mine:F0} ms; our helpers {ourHelpers}; other threads {others}; " +
                          $"pool indices run by the caller/helpers {shares})");
        return (best, median);
    }

    /// <summary>The worker pool's count of indices run by the callers and each helper (internal to the library, read by reflection).</summary>
    private static long[] PoolIndices() =>
        (long[])typeof(Tensor).Assembly.GetType("FunctionalAD.WorkerPool")!
            .GetMethod("IndicesRun", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.Invoke(null, null)!;

    /// <summary>The kernel's id of the calling thread (what /proc/self/task lists).</summary>
    private static int OsThreadId() =>
        int.TryParse(Path.GetFileName(Directory.ResolveLinkTarget("/proc/thread-self", false)?.FullName ?? ""), out int tid) ? tid : -1;
}
