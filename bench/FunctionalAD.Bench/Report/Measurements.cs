using BenchmarkDotNet.Reports;

namespace FunctionalAD.Bench.Report;

/// <summary>
/// One timed case: which class and method, on how many threads, its time per call, its allocation, and how many
/// cores other processes kept busy meanwhile (<see cref="OtherProcessesCpu"/>; null where not watched).
/// </summary>
public sealed record Measurement(string TypeName, string Method, int Threads, double MeanNs, double StdDevNs, double MinNs, long? AllocatedBytes,
    double? OthersCores = null);

/// <summary>Pulls the numbers the report needs out of BenchmarkDotNet's summaries.</summary>
public static class Measurements
{
    /// <summary>Every case that produced a result; failed cases are left out (and shown as missing).</summary>
    public static List<Measurement> From(IEnumerable<Summary> summaries)
    {
        var list = new List<Measurement>();
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                if (report.ResultStatistics is not { } stats) continue;
                var bench = report.BenchmarkCase;
                int threads = bench.Parameters.Items.FirstOrDefault(p => p.Name == "Threads")?.Value is int t ? t : 1;
                long? allocated = report.GcStats.GetBytesAllocatedPerOperation(bench);
                string type = bench.Descriptor.Type.Name, method = bench.Descriptor.WorkloadMethod.Name;
                // Parameters other than Threads (the allocation control's Microseconds) become part of the method's name.
                var others = bench.Parameters.Items.Where(p => p.Name != "Threads").Select(p => $"{p.Name}={p.Value}").ToArray();
                if (others.Length > 0) method += $"({string.Join(",", others)})";
                list.Add(new Measurement(type, method, threads, stats.Mean, stats.StandardDeviation, stats.Min, allocated,
                    OtherProcessesCpu.For(type, method, threads)));
            }
        }
        return list;
    }

    /// <summary>One case, or null when it was filtered out or failed.</summary>
    public static Measurement? Find(this IEnumerable<Measurement> all, string type, string method, int threads) =>
        all.FirstOrDefault(m => m.TypeName == type && m.Method == method && m.Threads == threads);
}
