using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using FunctionalAD.Bench.Limits;
using FunctionalAD.Bench.Workloads;

namespace FunctionalAD.Bench.Report;

/// <summary>What the report states about the run besides the numbers.</summary>
public sealed record RunContext(string Mode, string Command, string JobDescription, string PeerPreparation,
    string PeerVersion, string OursThreads, string LoadBefore, string LoadAfter);

/// <summary>
/// The comparison BenchmarkDotNet does not print: ours against the peer per workload and thread count, the
/// ratio against its target, and the compute- and memory-bound workloads as fractions of the machine's limits.
/// </summary>
public static class ResultsReport
{
    private static readonly int[] ThreadCounts = [1, 2];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The whole report as markdown (which also reads well in a terminal).</summary>
    public static string Render(IReadOnlyList<Measurement> all, RunContext run)
    {
        var md = new StringBuilder();
        md.AppendLine("# FunctionalAD vs TorchSharp: benchmark results").AppendLine();
        md.AppendLine($"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine($"- machine: {Machine()}");
        md.AppendLine($"- runtime: {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}");
        md.AppendLine($"- peer: {run.PeerVersion}; {run.PeerPreparation}");
        md.AppendLine($"- ours threads: {run.OursThreads}");
        md.AppendLine($"- mode: {run.Mode} ({run.JobDescription})");
        md.AppendLine($"- command: `{run.Command}`");
        md.AppendLine($"- load average (1, 5, 15 min) before: {run.LoadBefore}; after: {run.LoadAfter} (other processes on the machine add noise)").AppendLine();

        md.AppendLine("Each case times the loss plus all its gradients. Mean time per call in microseconds, ± one standard deviation in percent;");
        md.AppendLine("ratio = ours / peer of the means, lower is better.");
        md.AppendLine("Targets are for one thread.").AppendLine();
        md.AppendLine("| workload | threads | ours (us) | peer (us) | ratio | target | met? | ours alloc/op |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|:---:|---:|");
        foreach (var w in Catalogue.Workloads)
        {
            foreach (int threads in ThreadCounts)
            {
                var ours = all.Find(w.TypeName, nameof(WorkloadBenchmark.Ours), threads);
                var peer = all.Find(w.TypeName, nameof(WorkloadBenchmark.Peer), threads);
                if (ours is null && peer is null) continue;
                double? ratio = ours is not null && peer is not null ? ours.MeanNs / peer.MeanNs : null;
                string target = threads == 1 ? $"<= {w.Target.ToString(Inv)}" : "-";
                string met = threads != 1 || ratio is null ? "-" : ratio <= w.Target ? "yes" : "no";
                md.AppendLine($"| {w.Id} {w.Description} | {threads} | {Us(ours)} | {Us(peer)} | {Num(ratio, "0.000")} | {target} | {met} | {Bytes(ours?.AllocatedBytes)} |");
            }
        }
        md.AppendLine();

        md.AppendLine("Machine limits measured in this run (the fastest iteration), and the bound workloads (mean) as fractions of them");
        md.AppendLine($"(W3 counts {W3_Mlp.Flops / 1e6:0.0} MFLOP per call, the matrix products only; W4 counts {W4_Elementwise.Bytes / 1e6:0} MB per call, reading x, w, b and writing both gradients once).").AppendLine();
        md.AppendLine("| threads | FMA peak (GFLOP/s) | stream read (GB/s) | W3 ours GFLOP/s (of peak) | W3 peer GFLOP/s (of peak) | W4 ours GB/s (of bandwidth) | W4 peer GB/s (of bandwidth) |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int threads in ThreadCounts)
        {
            var fma = all.Find(nameof(MachineLimits), nameof(MachineLimits.FmaPeak), threads);
            var stream = all.Find(nameof(MachineLimits), nameof(MachineLimits.StreamRead), threads);
            // A ceiling is the best the machine did: interference from other processes only ever lowers it.
            double? peak = fma is null ? null : MachineLimits.FmaFlopsPerThread * threads / fma.MinNs;
            double? bandwidth = stream is null ? null : MachineLimits.StreamBytes / stream.MinNs;
            bool anyBound = new[] { nameof(W3_Mlp), nameof(W4_Elementwise) }.Any(t => all.Any(m => m.TypeName == t && m.Threads == threads));
            if (peak is null && bandwidth is null && !anyBound) continue;
            md.Append($"| {threads} | {Num(peak, "0.0")} | {Num(bandwidth, "0.0")} ");
            foreach (string method in new[] { nameof(WorkloadBenchmark.Ours), nameof(WorkloadBenchmark.Peer) })
                md.Append($"| {Rate(all.Find(nameof(W3_Mlp), method, threads), W3_Mlp.Flops, peak)} ");
            foreach (string method in new[] { nameof(WorkloadBenchmark.Ours), nameof(WorkloadBenchmark.Peer) })
                md.Append($"| {Rate(all.Find(nameof(W4_Elementwise), method, threads), W4_Elementwise.Bytes, bandwidth)} ");
            md.AppendLine("|");
        }
        md.AppendLine();
        md.AppendLine("A dash means the case was filtered out or failed. BenchmarkDotNet's own tables (error, allocations, GC) are in bench/results/BenchmarkDotNet.Artifacts.");
        return md.ToString();
    }

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
