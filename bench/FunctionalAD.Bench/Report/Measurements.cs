using BenchmarkDotNet.Reports;

namespace FunctionalAD.Bench.Report;

/// <summary>One timed case: which class and method, on how many threads, its time per call and its allocation.</summary>
public sealed record Measurement(string TypeName, string Method, int Threads, double MeanNs, double StdDevNs, double MinNs, long? AllocatedBytes);

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
                list.Add(new Measurement(bench.Descriptor.Type.Name, bench.Descriptor.WorkloadMethod.Name, threads, stats.Mean, stats.StandardDeviation, stats.Min, allocated));
            }
        }
        return list;
    }

    /// <summary>One case, or null when it was filtered out or failed.</summary>
    public static Measurement? Find(this IEnumerable<Measurement> all, string type, string method, int threads) =>
        all.FirstOrDefault(m => m.TypeName == type && m.Method == method && m.Threads == threads);
}
