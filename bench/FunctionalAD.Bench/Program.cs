using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FunctionalAD.Bench;
using FunctionalAD.Bench.Limits;
using FunctionalAD.Bench.Ours;
using FunctionalAD.Bench.Peer;
using FunctionalAD.Bench.Report;
using FunctionalAD.Bench.Workloads;
using Perfolizer.Horology;

// Must run before any TorchSharp type is touched: the bridge library is loaded on first use.
string preparation = TorchSharpPreparation.Prepare();
Console.WriteLine($"TorchSharp: {preparation}");

var options = BenchOptions.Parse(args);
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

// In-process: the patched library in this output folder is the one loaded, and thread settings of both libraries
// (process-wide) apply to the case being timed. A separate child project per case would need its own patch.
var toolchain = new InProcessEmitToolchain(TimeSpan.FromMinutes(20), logOutput: true);
var job = options.Quick
    ? Job.Default.WithWarmupCount(2).WithIterationCount(5).WithIterationTime(TimeInterval.FromMilliseconds(150)).WithId("Quick")
    : Job.Default.WithMinIterationCount(15).WithMaxIterationCount(40).WithId("Full");
job = job.WithToolchain(toolchain);

var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithArtifactsPath(Path.Combine(BenchPaths.Results, "BenchmarkDotNet.Artifacts"))
    .WithOptions(ConfigOptions.JoinSummary);

string loadBefore = ResultsReport.LoadAverage();
Type[] benchmarks = [typeof(MachineLimits), typeof(W1_Tutorial), typeof(W2_LogisticRegression), typeof(W3_Mlp), typeof(W4_Elementwise)];
var summaries = BenchmarkSwitcher.FromTypes(benchmarks).Run(options.BenchmarkDotNetArgs, config).ToList();

var measurements = Measurements.From(summaries);
if (measurements.Count == 0)
{
    Console.Error.WriteLine("No benchmark produced a result (filter matched nothing, or every case failed); see the log above.");
    return 1;
}

var run = new RunContext(
    Mode: options.Quick ? "quick" : "full",
    Command: options.Command,
    JobDescription: options.Quick ? "2 warmups, 5 iterations of ~150 ms" : "BenchmarkDotNet default job, 15 to 40 iterations",
    PeerPreparation: preparation,
    PeerVersion: $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version} (libtorch {TorchSharp.torch.__version__})",
    OursThreads: ThreadSettings.OursStatus,
    LoadBefore: loadBefore,
    LoadAfter: ResultsReport.LoadAverage());
string report = ResultsReport.Render(measurements, run);
Console.WriteLine();
Console.WriteLine(report);

string output = options.Output ?? Path.Combine(BenchPaths.Results, options.Quick ? "latest-quick.md" : "latest.md");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllText(output, report);
Console.WriteLine($"Report written to {Path.GetFullPath(output)}");

bool anyFailed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
return anyFailed ? 2 : 0;

namespace FunctionalAD.Bench
{
    /// <summary>Where results go: bench/results beside this project, wherever the command was run from.</summary>
    internal static class BenchPaths
    {
        public static string Results
        {
            get
            {
                string? projectDir = typeof(BenchPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                    .FirstOrDefault(a => a.Key == "BenchProjectDirectory")?.Value;
                return projectDir is null
                    ? Path.Combine(Environment.CurrentDirectory, "bench-results")
                    : Path.GetFullPath(Path.Combine(projectDir, "..", "results"));
            }
        }
    }
}
