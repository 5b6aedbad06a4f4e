using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;
using System.Text;
using FunctionalAD.Bench.Limits;
using FunctionalAD.Bench.Probes;
using FunctionalAD.Bench.Workloads;

namespace FunctionalAD.Bench.Report;

/// <summary>What the report states about the run besides the numbers.</summary>
public sealed record RunContext(string Mode, string Command, string JobDescription, string PeerPreparation,
    string PeerVersion, string OursThreads, string LoadBefore, string LoadAfter, string OneCpu, string Alone, string? AloneSecondCore = null);

/// <summary>
/// The comparison BenchmarkDotNet does not print: every path of ours against the peer per workload, each ratio
/// against its target, the one-CPU slowdown, and the compute- and memory-bound workloads as fractions of the
/// machine's limits.
/// </summary>
public static class ResultsReport
{
    private static readonly int[] ThreadCounts = [1, 2];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The whole report as markdown (which also reads well in a terminal).</summary>
    public static string Render(IReadOnlyList<Measurement> all, IReadOnlyList<Ceiling> probe, IReadOnlyList<CallerBytes> callerBytes, RunContext run)
    {
        var md = new StringBuilder();
        md.AppendLine("# FunctionalAD vs TorchSharp: benchmark results").AppendLine();
        md.AppendLine($"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine($"- machine: {Machine()}");
        md.AppendLine($"- runtime: {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}");
        md.AppendLine($"- peer: {run.PeerVersion}, eager; {run.PeerPreparation}");
        md.AppendLine($"- ours threads: {run.OursThreads}");
        md.AppendLine("- two-thread cases: both libraries run in this one process (BenchmarkDotNet's in-process toolchain, one case after another); " +
                      "libtorch's threads in this process take our second core in stretches after the peer has run (docs/benchmarks.md, \"Two threads\"), " +
                      "so our two-thread W3 speed-up here is pessimistic; the two-thread target is judged in the ours-alone case below; " +
                      "the `others` column says how many cores other processes took during each case");
        md.AppendLine($"- mode: {run.Mode} ({run.JobDescription})");
        md.AppendLine($"- command: `{run.Command}`");
        md.AppendLine($"- one-CPU case: {run.OneCpu}");
        md.AppendLine($"- ours-alone case: {run.Alone}");
        md.AppendLine($"- load average (1, 5, 15 min) before: {run.LoadBefore}; after: {run.LoadAfter}{LoadNote(run)}").AppendLine();

        Summary(md, all);
        Details(md, all);
        OtherTargets(md, all, probe, callerBytes, run.AloneSecondCore);
        Limits(md, all, probe);
        Plans(md);
        md.AppendLine("A dash means the case was filtered out, failed, or does not apply (W4 has no Keras loss). BenchmarkDotNet's own tables");
        md.AppendLine("(error, allocations, GC) are in bench/results/BenchmarkDotNet.Artifacts, the one-CPU child's log beside them.");
        return md.ToString();
    }

    private static void Summary(StringBuilder md, IReadOnlyList<Measurement> all)
    {
        md.AppendLine("## Ratios against targets").AppendLine();
        md.AppendLine("ours / TorchSharp eager, mean time per call of the loss and all its gradients, both on 1 thread, lower is better;");
        md.AppendLine("the one-CPU row is pinned / unpinned compiled time. Each cell: ratio (target) and whether it is met.").AppendLine();
        md.AppendLine("| path | " + string.Join(" | ", Catalogue.Workloads.Select(w => w.Id)) + " |");
        md.AppendLine("|---|" + string.Concat(Catalogue.Workloads.Select(_ => "---:|")));
        foreach (var path in Catalogue.Paths)
        {
            md.Append($"| {path.Name} ");
            foreach (var w in Catalogue.Workloads)
            {
                double? ratio = Ratio(all.Find(w.TypeName, path.Method, 1), all.Find(w.TypeName, nameof(WorkloadBenchmark.Peer), 1));
                md.Append($"| {Cell(ratio, path.Targets.TryGetValue(w.Id, out double t) ? t : null)} ");
            }
            md.AppendLine("|");
        }
        md.Append("| compiled, one-CPU process (pinned / unpinned) ");
        foreach (var w in Catalogue.Workloads)
            md.Append($"| {Cell(Ratio(all.Find(w.TypeName, Catalogue.OneCpuMethod, 1), all.Find(w.TypeName, Catalogue.Compiled.Method, 1)), Catalogue.OneCpuSlowdown)} ");
        md.AppendLine("|").AppendLine();
    }

    private static void Details(StringBuilder md, IReadOnlyList<Measurement> all)
    {
        md.AppendLine("## Every case").AppendLine();
        md.AppendLine("Mean time per call in microseconds, ± one standard deviation in percent; ratio = ours / peer of the means on the same");
        md.AppendLine("number of threads (targets are for 1 thread). Others = cores other processes kept busy, on average, while ours ran");
        md.AppendLine("(from its setup to its cleanup; on 2 cores a two-thread case with others near 1 had one core, not two).").AppendLine();
        md.AppendLine("| workload | path | threads | ours (us) | peer (us) | ratio | target | met? | ours alloc/op | others (cores) |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|:---:|---:|---:|");
        foreach (var w in Catalogue.Workloads)
        {
            foreach (var path in Catalogue.Paths)
            {
                foreach (int threads in ThreadCounts)
                {
                    var ours = all.Find(w.TypeName, path.Method, threads);
                    var peer = all.Find(w.TypeName, nameof(WorkloadBenchmark.Peer), threads);
                    if (ours is null) continue;
                    double? ratio = Ratio(ours, peer);
                    double? target = threads == 1 && path.Targets.TryGetValue(w.Id, out double t) ? t : null;
                    md.AppendLine($"| {w.Id} {w.Description} | {path.Name} | {threads} | {Us(ours)} | {Us(peer)} | {Num(ratio, "0.000")} | " +
                                  $"{(target is null ? "-" : "<= " + target.Value.ToString(Inv))} | {Met(ratio, target)} | {Bytes(ours.AllocatedBytes)} | {Num(ours.OthersCores, "0.00")} |");
                }
            }
            foreach (var (method, name) in new[] { (Catalogue.OneCpuMethod, "compiled, one-CPU process"), (Catalogue.AloneMethod, "compiled, process without TorchSharp") })
            {
                foreach (int threads in ThreadCounts)
                {
                    var child = all.Find(w.TypeName, method, threads);
                    if (child is null) continue;
                    var peer = all.Find(w.TypeName, nameof(WorkloadBenchmark.Peer), threads);
                    md.AppendLine($"| {w.Id} {w.Description} | {name} | {threads} | {Us(child)} | {Us(peer)} | {Num(Ratio(child, peer), "0.000")} | - | - | {Bytes(child.AllocatedBytes)} | {Num(child.OthersCores, "0.00")} |");
                }
            }
        }
        md.AppendLine();
    }

    private static void OtherTargets(StringBuilder md, IReadOnlyList<Measurement> all, IReadOnlyList<Ceiling> probe, IReadOnlyList<CallerBytes> callerBytes,
        string? aloneSecondCore)
    {
        md.AppendLine("## Other targets").AppendLine();
        md.AppendLine("| target | measured | met? |");
        md.AppendLine("|---|---|:---:|");
        var allocs = Catalogue.Workloads
            .SelectMany(w => ThreadCounts.Select(t => (w, t, m: all.Find(w.TypeName, Catalogue.Compiled.Method, t))))
            .Where(x => x.m?.AllocatedBytes is not null).ToList();
        string allocText = allocs.Count == 0 ? "-" : string.Join(", ", allocs.Select(x => $"{x.w.Id}/{x.t}t {Bytes(x.m!.AllocatedBytes)}"));
        // BenchmarkDotNet counts every thread's bytes; the control (same length, allocates nothing) shows what the
        // runtime's own threads add. A compiled case at or below the control of its length allocated nothing itself.
        var controls = all.Where(m => m.TypeName == nameof(AllocationControl) && m.AllocatedBytes is not null).ToList();
        Measurement? ControlFor(Measurement m) => controls.MinBy(c => Math.Abs(Math.Log(c.MeanNs / m.MeanNs)));
        bool OursOnly(Measurement m) => m.AllocatedBytes == 0 || (ControlFor(m) is { } c && m.AllocatedBytes <= c.AllocatedBytes && Math.Abs(Math.Log(c.MeanNs / m.MeanNs)) < Math.Log(2));
        if (controls.Count > 0)
            allocText += "; control calls of the same length that allocate nothing: " +
                         string.Join(", ", controls.Select(c => $"{Math.Round(c.MeanNs / 1000).ToString(Inv)} us {Bytes(c.AllocatedBytes)}"));
        // The target is what a call allocates; the calling thread's count is that, the column only bounds it.
        string callerText = callerBytes.Count == 0 ? "" : "calling thread, counted over as many calls again after half a second of warm-up: " +
            string.Join(", ", callerBytes.Select(c => $"{Catalogue.Workloads.First(w => w.TypeName == c.TypeName).Id} {Bytes(c.Bytes)} in {c.Calls} calls")) +
            "; BenchmarkDotNet's column (every thread of the process): ";
        string allocMet = callerBytes.Count > 0 ? (callerBytes.All(c => c.Bytes == 0) ? "yes" : "no")
            : allocs.Count == 0 ? "-"
            : allocs.All(x => x.m!.AllocatedBytes == 0) ? "yes"
            : allocs.All(x => OursOnly(x.m!)) ? "yes: what is not 0 B is no more than the control of its length shows (the runtime's threads, counted by BenchmarkDotNet; see `--probe alloc`)"
            : "no";
        md.AppendLine($"| compiled calls allocate 0 B | {callerText}{allocText} | {allocMet} |");

        // A ceiling is a best-of, so the workload is held to it by its own best (fastest iteration); the mean is shown beside.
        var w3 = all.Find(nameof(W3_Mlp), Catalogue.Compiled.Method, 1);
        double? peak = Ceiling(all, probe, 1).Fma;
        double? w3Best = w3 is null || peak is null ? null : W3_Mlp.Flops / w3.MinNs / peak;
        double? w3Mean = w3 is null || peak is null ? null : W3_Mlp.Flops / w3.MeanNs / peak;
        md.AppendLine($"| compiled W3 >= {Catalogue.W3OfPeak:0%} of the FMA peak (1 thread) | {Pct(w3Best)} of {Num(peak, "0")} GFLOP/s at its fastest iteration, {Pct(w3Mean)} on its mean | {MetAtLeast(w3Best, Catalogue.W3OfPeak)} |");

        var w4 = all.Find(nameof(W4_Elementwise), Catalogue.Compiled.Method, 1);
        double? bandwidth = Ceiling(all, probe, 1).Stream;
        double? w4Best = w4 is null || bandwidth is null ? null : W4_Elementwise.Bytes / w4.MinNs / bandwidth;
        double? w4Mean = w4 is null || bandwidth is null ? null : W4_Elementwise.Bytes / w4.MeanNs / bandwidth;
        md.AppendLine($"| compiled W4 >= {Catalogue.W4OfBandwidth:0%} of streaming bandwidth (1 thread) | {Pct(w4Best)} of {Num(bandwidth, "0.0")} GB/s at its fastest iteration, {Pct(w4Mean)} on its mean | {MetAtLeast(w4Best, Catalogue.W4OfBandwidth)} |");
        double? sameTraffic = probe.FirstOrDefault(c => c.Threads == 1)?.SameTrafficW4Ns;
        if (w4 is not null && sameTraffic is not null)
            md.AppendLine($"| (stricter, not an issue target) compiled W4 against a kernel that only moves W4's bytes, FMA into one output and a copy into the other (1 thread) | " +
                          $"{Pct(sameTraffic / w4.MinNs)} of its speed at W4's fastest iteration ({Math.Round(sameTraffic.Value / 1000).ToString(Inv)} us against {Math.Round(w4.MinNs / 1000).ToString(Inv)} us), {Pct(sameTraffic / w4.MeanNs)} on its mean | - |");

        // "No tensor-sized buffers beyond their results": what a step allocates beyond the gradients it returns
        // must stay below the size of the workload's largest intermediate.
        foreach (string method in new[] { nameof(WorkloadBenchmark.Tape), nameof(WorkloadBenchmark.Eval) })
        {
            var cases = Catalogue.Workloads.Where(w => w.ActivationBytes is not null)
                .Select(w => (w, m: all.Find(w.TypeName, method, 1))).Where(x => x.m?.AllocatedBytes is not null).ToList();
            if (cases.Count == 0) continue;
            // Eval also returns the loss, 4 bytes: negligible here. Large results come from the ResultPool, so a
            // step can allocate less than its gradients; then the whole allocation is what is compared.
            string text = string.Join(", ", cases.Select(x => x.m!.AllocatedBytes >= x.w.GradientBytes
                ? $"{x.w.Id} {Bytes(x.m.AllocatedBytes)} - {Bytes(x.w.GradientBytes)} of gradients = {Bytes(x.m.AllocatedBytes - x.w.GradientBytes)} (largest intermediate {Bytes(x.w.ActivationBytes)})"
                : $"{x.w.Id} {Bytes(x.m.AllocatedBytes)} in all, less than its {Bytes(x.w.GradientBytes)} of gradients (recycled by the ResultPool; largest intermediate {Bytes(x.w.ActivationBytes)})"));
            bool met = cases.All(x => Math.Max(0, x.m!.AllocatedBytes!.Value - x.w.GradientBytes) < x.w.ActivationBytes);
            string name = Catalogue.Paths.First(p => p.Method == method).Name;
            md.AppendLine($"| {name}: steady state allocates no tensor-sized buffer beyond its results (1 thread) | {text} | {(met ? "yes" : "no")} |");
        }

        // Judged in the child without libtorch when it ran; the in-process pair is listed too.
        var alone = (One: all.Find(nameof(W3_Mlp), Catalogue.AloneMethod, 1), Two: all.Find(nameof(W3_Mlp), Catalogue.AloneMethod, 2));
        var inProcess = (One: w3, Two: all.Find(nameof(W3_Mlp), Catalogue.Compiled.Method, 2));
        bool judgedAlone = alone.One is not null && alone.Two is not null;
        var (speedup, judgedText) = Speedup(judgedAlone ? alone.One : inProcess.One, judgedAlone ? alone.Two : inProcess.Two);
        string speedupText = judgedAlone
            ? $"in the process without TorchSharp: {judgedText}{(aloneSecondCore is null ? "" : $" ({aloneSecondCore})")}; " +
              $"in this process, after the peer ran: {Speedup(inProcess.One, inProcess.Two).Text}"
            : judgedText;
        md.AppendLine($"| compiled W3 with 2 threads >= {Catalogue.W3TwoThreadSpeedup}x faster than with 1 | {speedupText} | {MetAtLeast(speedup, Catalogue.W3TwoThreadSpeedup)} |");
        md.AppendLine();
    }

    /// <summary>A two-thread speed-up on means and fastest iterations, and how busy other processes kept the machine.</summary>
    private static (double? Value, string Text) Speedup(Measurement? one, Measurement? two)
    {
        double? speedup = one is null || two is null ? null : one.MeanNs / two.MeanNs;
        double? fastest = one is null || two is null ? null : one.MinNs / two.MinNs;
        string disturbed = two?.OthersCores is { } others
            ? $"; other processes kept {others.ToString("0.00", Inv)} cores busy during the 2-thread case" +
              (others >= TwoThreadDisturbance ? $" (**disturbed**: the target is for an idle machine; with {Environment.ProcessorCount} cores the second thread did not have a core of its own)" : "")
            : "";
        return (speedup, $"{Num(speedup, "0.00")}x on means ({Us(one)} → {Us(two)} us), " +
                         $"{Num(fastest, "0.00")}x on fastest iterations ({Num(one?.MinNs / 1000, "0")} → {Num(two?.MinNs / 1000, "0")} us){disturbed}");
    }

    private static void Limits(StringBuilder md, IReadOnlyList<Measurement> all, IReadOnlyList<Ceiling> probe)
    {
        md.AppendLine("## Machine limits").AppendLine();
        md.AppendLine("Measured in this run two ways: BenchmarkDotNet's fastest iteration of `MachineLimits` (12 Vector512 FMA chains per thread;");
        md.AppendLine("a Vector512 sum over 512 MiB) and the fastest of many short stopwatch bursts of the same kernels (`CeilingProbe`), which");
        md.AppendLine("on a shared machine more often run on a core alone. The ceiling is the better of the two. The bound workloads are");
        md.AppendLine($"given as fractions of it (W3 counts {W3_Mlp.Flops / 1e6:0.0} MFLOP per call, the matrix products only; W4 counts");
        md.AppendLine($"{W4_Elementwise.Bytes / 1e6:0} MB per call, reading x, w, b and writing both gradients once), from their mean time per call.").AppendLine();
        md.AppendLine("| threads | FMA GFLOP/s: iteration / burst | stream GB/s: iteration / burst | W3 compiled GFLOP/s (of peak) | W3 peer GFLOP/s (of peak) | W4 compiled GB/s (of bandwidth) | W4 peer GB/s (of bandwidth) |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int threads in ThreadCounts)
        {
            var (fmaIteration, fmaBurst, peak) = FmaCeiling(all, probe, threads);
            var (streamIteration, streamBurst, bandwidth) = StreamCeiling(all, probe, threads);
            bool anyBound = new[] { nameof(W3_Mlp), nameof(W4_Elementwise) }.Any(t => all.Any(m => m.TypeName == t && m.Threads == threads));
            if (peak is null && bandwidth is null && !anyBound) continue;
            md.Append($"| {threads} | {Num(fmaIteration, "0.0")} / {Num(fmaBurst, "0.0")} | {Num(streamIteration, "0.0")} / {Num(streamBurst, "0.0")} ");
            foreach (string method in new[] { Catalogue.Compiled.Method, nameof(WorkloadBenchmark.Peer) })
                md.Append($"| {Rate(all.Find(nameof(W3_Mlp), method, threads), W3_Mlp.Flops, peak)} ");
            foreach (string method in new[] { Catalogue.Compiled.Method, nameof(WorkloadBenchmark.Peer) })
                md.Append($"| {Rate(all.Find(nameof(W4_Elementwise), method, threads), W4_Elementwise.Bytes, bandwidth)} ");
            md.AppendLine("|");
        }
        md.AppendLine();
    }

    private static void Plans(StringBuilder md)
    {
        var rows = Catalogue.Workloads
            .SelectMany(w => new[] { Catalogue.Compiled.Method, nameof(WorkloadBenchmark.CompiledKeras) }
                .Select(m => (w, m, plan: Ours.CompiledPlans.Find(w.TypeName, m))))
            .Where(r => r.plan is not null).ToList();
        if (rows.Count == 0) return;
        md.AppendLine("## Compiled plans").AppendLine();
        md.AppendLine("Steps of each compiled function (`CompiledFunction.Describe()`), and those that run a primitive through the interpreter");
        md.AppendLine("instead of a compiled kernel.").AppendLine();
        md.AppendLine("| workload | path | steps | interpreted steps |");
        md.AppendLine("|---|---|---:|---|");
        foreach (var (w, method, plan) in rows)
        {
            string[] interpreted = Ours.CompiledPlans.Interpreted(plan!);
            string name = Catalogue.Paths.First(p => p.Method == method).Name;
            md.AppendLine($"| {w.Id} | {name} | {Ours.CompiledPlans.Steps(plan!).Length} | " +
                          $"{(interpreted.Length == 0 ? "none" : string.Join("; ", interpreted.Select(i => $"`{i}`")))} |");
        }
        md.AppendLine();
    }

    /// <summary>Cores other processes may use during a two-thread case before the report calls it disturbed.</summary>
    private const double TwoThreadDisturbance = 0.25;

    private static (double? Fma, double? Stream) Ceiling(IReadOnlyList<Measurement> all, IReadOnlyList<Ceiling> probe, int threads) =>
        (FmaCeiling(all, probe, threads).Ceiling, StreamCeiling(all, probe, threads).Ceiling);

    private static (double? Iteration, double? Burst, double? Ceiling) FmaCeiling(IReadOnlyList<Measurement> all, IReadOnlyList<Ceiling> probe, int threads)
    {
        var fma = all.Find(nameof(MachineLimits), nameof(MachineLimits.FmaPeak), threads);
        // A ceiling is the best the machine did: interference from other processes only ever lowers it.
        double? iteration = fma is null ? null : MachineLimits.FmaFlopsPerThread * threads / fma.MinNs;
        double? burst = probe.FirstOrDefault(c => c.Threads == threads)?.FmaGflops;
        return (iteration, burst, Max(iteration, burst));
    }

    private static (double? Iteration, double? Burst, double? Ceiling) StreamCeiling(IReadOnlyList<Measurement> all, IReadOnlyList<Ceiling> probe, int threads)
    {
        var stream = all.Find(nameof(MachineLimits), nameof(MachineLimits.StreamRead), threads);
        double? iteration = stream is null ? null : MachineLimits.StreamBytes / stream.MinNs;
        double? burst = probe.FirstOrDefault(c => c.Threads == threads)?.StreamGBs;
        return (iteration, burst, Max(iteration, burst));
    }

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static double? Ratio(Measurement? ours, Measurement? reference) =>
        ours is not null && reference is not null ? ours.MeanNs / reference.MeanNs : null;

    private static string Cell(double? ratio, double? target) =>
        ratio is null ? "-" : target is null ? ratio.Value.ToString("0.000", Inv)
            : $"{ratio.Value.ToString("0.000", Inv)} (<= {target.Value.ToString(Inv)}) {(ratio <= target ? "yes" : "**no**")}";

    private static string Met(double? ratio, double? target) => ratio is null || target is null ? "-" : ratio <= target ? "yes" : "no";

    private static string MetAtLeast(double? value, double target) => value is null ? "-" : value >= target ? "yes" : "no";

    private static string Pct(double? v) => v is null ? "-" : v.Value.ToString("0.0%", Inv);

    /// <summary>Amount per nanosecond (FLOP/ns = GFLOP/s, byte/ns = GB/s) and its share of the limit.</summary>
    private static string Rate(Measurement? m, double amount, double? limit)
    {
        if (m is null) return "-";
        double rate = amount / m.MeanNs;
        return limit is null ? rate.ToString("0.0", Inv) : $"{rate.ToString("0.0", Inv)} ({(rate / limit.Value).ToString("0.0%", Inv)})";
    }

    private static string Us(Measurement? m) => m is null
        ? "-"
        : $"{Math.Round(m.MeanNs / 1000, m.MeanNs < 100_000 ? 2 : 0).ToString(Inv)} ±{(m.StdDevNs / m.MeanNs).ToString("0%", Inv)}";

    /// <summary>The 1, 5 and 15 minute load averages, to judge how much other work shared the cores.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }

    /// <summary>A warning when the 1-minute load exceeded the core count at either end of the run.</summary>
    private static string LoadNote(RunContext run)
    {
        static double First(string load) =>
            double.TryParse(load.Split(',')[0], NumberStyles.Float, Inv, out double v) ? v : 0;
        double worst = Math.Max(First(run.LoadBefore), First(run.LoadAfter));
        return worst > Environment.ProcessorCount
            ? $" — **a loaded machine**: more runnable processes than its {Environment.ProcessorCount} cores, so other work took CPU time from both libraries during timing and every number here is pessimistic and noisy"
            : " (other processes on the machine add noise)";
    }

    private static string Num(double? v, string format) => v is null ? "-" : v.Value.ToString(format, Inv);

    private static string Bytes(long? b) => b switch
    {
        null => "-",
        < 10_000 => $"{b} B",
        < 10_000_000 => $"{(b.Value / 1024.0).ToString("0", Inv)} KiB",
        _ => $"{(b.Value / (1024.0 * 1024)).ToString("0.0", Inv)} MiB",
    };

    private static string Machine()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return $"{cpu}, {Environment.ProcessorCount} logical cores, Vector512 {(Vector512.IsHardwareAccelerated ? "accelerated" : "not accelerated")}";
    }
}
