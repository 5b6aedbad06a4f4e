using FunctionalAD.Bench.Workloads;

namespace FunctionalAD.Bench;

/// <summary>
/// <c>--check</c>: sets up every path of every workload on one thread, which checks each against the peer (the
/// same check that guards every timed case), and runs it once more, without timing anything. A quick way to see
/// that the bench still builds and agrees after the library changed; it fails on the first disagreement.
/// </summary>
internal static class SelfCheck
{
    public static int Run()
    {
        WorkloadBenchmark[] workloads = [new W1_Tutorial(), new W2_LogisticRegression(), new W3_Mlp(), new W4_Elementwise()];
        var paths = new (string Name, Action<WorkloadBenchmark> Setup, Func<WorkloadBenchmark, object> Run)[]
        {
            (nameof(WorkloadBenchmark.Compiled), w => w.SetupCompiled(), w => w.Compiled()),
            (nameof(WorkloadBenchmark.CompiledKeras), w => w.SetupCompiledKeras(), w => w.CompiledKeras()),
            (nameof(WorkloadBenchmark.Eval), w => w.SetupEval(), w => w.Eval()),
            (nameof(WorkloadBenchmark.Tape), w => w.SetupTape(), w => w.Tape()),
            (nameof(WorkloadBenchmark.Peer), w => w.SetupPeer(), w => { w.Peer(); return "ran"; }),
        };
        foreach (var workload in workloads)
        {
            workload.Threads = 1;
            bool keras = workload.BuildModel().KerasLoss is not null;
            foreach (var (name, setup, run) in paths)
            {
                if (name == nameof(WorkloadBenchmark.CompiledKeras) && !keras) continue;
                var started = System.Diagnostics.Stopwatch.StartNew();
                setup(workload);
                run(workload);
                workload.Cleanup();
                string what = name == nameof(WorkloadBenchmark.Peer) ? "runs" : "agrees with the peer";
                Console.WriteLine($"{workload.GetType().Name}.{name}: {what} ({started.ElapsedMilliseconds} ms to set up, check and run once)");
            }
        }
        Console.WriteLine("Every path of every workload agrees with the peer.");
        return 0;
    }
}
