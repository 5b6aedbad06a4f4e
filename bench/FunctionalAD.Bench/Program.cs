using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FunctionalAD.Bench;
using FunctionalAD.Bench.Limits;
using FunctionalAD.Bench.Children;
using FunctionalAD.Bench.Ours;
using FunctionalAD.Bench.Peer;
using FunctionalAD.Bench.Probes;
using FunctionalAD.Bench.Report;
using FunctionalAD.Bench.Workloads;
using Perfolizer.Horology;

var options = BenchOptions.Parse(args);
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
ChildRun.Kind = options.Child;
bool child = ChildRun.IsChild;
if (options.Check)
{
    Console.WriteLine($"TorchSharp: {TorchSharpPreparation.Prepare()}");
    return SelfCheck.Run();
}
if (options.Probe is { } probe)
{
    Console.WriteLine($"TorchSharp: {TorchSharpPreparation.Prepare()}");
    return probe switch
    {
        "threads" => TwoThreadProbe.Run(),
        "alloc" => AllocationProbe.Run(),
        _ => throw new ArgumentException($"--probe takes threads or alloc, got '{probe}'", nameof(args)),
    };
}

// Must run before any TorchSharp type is touched: the bridge library is loaded on first use. A child never
// loads TorchSharp.
string preparation = child ? "not loaded" : TorchSharpPreparation.Prepare();
Console.WriteLine($"TorchSharp: {preparation}");

// In-process: the patched library in this output folder is the one loaded, and thread settings of both libraries
// (process-wide) apply to the case being timed. A separate child project per case would need its own patch.
var toolchain = new InProcessEmitToolchain(TimeSpan.FromMinutes(20), logOutput: true);
var job = options.Quick
    ? Job.Default.WithWarmupCount(2).WithIterationCount(5).WithIterationTime(TimeInterval.FromMilliseconds(150)).WithId("Quick")
    : Job.Default.WithMinIterationCount(15).WithMaxIterationCount(40).WithId("Full");
job = job.WithToolchain(toolchain);

string artifacts = Path.Combine(BenchPaths.Results, "BenchmarkDotNet.Artifacts");
var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddFilter(new SimpleFilter(bench => CaseSelection.Include(bench, options, options.Child)))
    .WithArtifactsPath(child ? Path.Combine(artifacts, options.Child.ToString().ToLowerInvariant()) : artifacts)
    .WithOptions(ConfigOptions.JoinSummary);

string loadBefore = ResultsReport.LoadAverage();
Type[] benchmarks = [typeof(MachineLimits), typeof(W1_Tutorial), typeof(W2_LogisticRegression), typeof(W3_Mlp), typeof(W4_Elementwise), typeof(AllocationControl)];
// The ours-alone child times only when the machine's second core is really there (see ChildRun.WaitForSecondCore).
string? secondCoreBefore = options.Child == ChildKind.Alone ? ChildRun.WaitForSecondCore() : null;
var summaries = BenchmarkSwitcher.FromTypes(benchmarks).Run(options.BenchmarkDotNetArgs, config).ToList();
bool anyFailed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));

var measurements = Measurements.From(summaries);
if (child)
{
    string? secondCore = secondCoreBefore is null ? null
        : $"a second thread added {secondCoreBefore} FMA throughput before the child's cases and {ChildRun.SecondThreadGain():0.00}x after them";
    ChildRun.WriteResults(options.ChildResults!, measurements, secondCore);
    return anyFailed ? 2 : 0;
}
if (measurements.Count == 0)
{
    Console.Error.WriteLine("No benchmark produced a result (filter matched nothing, or every case failed); see the log above.");
    return 1;
}

// The ceilings' short bursts, with nothing else of ours running, after the timed cases.
var ceilings = measurements.Any(m => m.TypeName is nameof(W3_Mlp) or nameof(W4_Elementwise) or nameof(MachineLimits))
    ? CeilingProbe.Measure([1, 2])
    : [];

// What the compiled calls allocate on the calling thread (BenchmarkDotNet's column counts every thread).
var callerBytes = CallingThreadAllocation.Measure(Catalogue.Workloads.Select(w => w.TypeName)
    .Where(t => measurements.Any(m => m.TypeName == t && m.Method == nameof(WorkloadBenchmark.Compiled))));

string oneCpu;
if (!options.OneCpu) oneCpu = "skipped (--no-one-cpu)";
else if (!measurements.Any(m => m.Method == nameof(WorkloadBenchmark.Compiled) && m.Threads == 1)) oneCpu = "not run: no compiled 1-thread case in this run";
else
{
    Directory.CreateDirectory(artifacts);
    var outcome = ChildRun.Launch(options, ChildKind.OneCpu, Path.Combine(artifacts, "one-cpu-child.log"));
    measurements.AddRange(outcome.Measurements);
    oneCpu = outcome.Status;
}

// Our two-thread speed-up again, in a process where libtorch's threads never started.
string alone;
string? aloneSecondCore = null;
if (!options.Alone) alone = "skipped (--no-alone)";
else if (!measurements.Any(m => m.TypeName == nameof(W3_Mlp) && m.Method == nameof(WorkloadBenchmark.Compiled))) alone = "not run: no compiled W3 case in this run";
else
{
    Directory.CreateDirectory(artifacts);
    var outcome = ChildRun.Launch(options, ChildKind.Alone, Path.Combine(artifacts, "alone-child.log"));
    measurements.AddRange(outcome.Measurements);
    alone = outcome.Status;
    aloneSecondCore = outcome.SecondCore;
}

var run = new RunContext(
    Mode: options.Quick ? "quick" : "full",
    Command: options.Command,
    JobDescription: options.Quick ? "2 warmups, 5 iterations of ~150 ms" : "BenchmarkDotNet default job, 15 to 40 iterations",
    PeerPreparation: preparation,
    PeerVersion: $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version} (libtorch {TorchSharp.torch.__version__})",
    OursThreads: ThreadSettings.OursStatus,
    LoadBefore: loadBefore,
    LoadAfter: ResultsReport.LoadAverage(),
    OneCpu: oneCpu,
    Alone: alone,
    AloneSecondCore: aloneSecondCore);
string report = ResultsReport.Render(measurements, ceilings, callerBytes, run);
Console.WriteLine();
Console.WriteLine(report);

string output = options.Output ?? Path.Combine(BenchPaths.Results, options.Quick ? "latest-quick.md" : "latest.md");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllText(output, report);
Console.WriteLine($"Report written to {Path.GetFullPath(output)}");

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
