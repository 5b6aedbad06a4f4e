using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using FunctionalAD.Bench.Report;

namespace FunctionalAD.Bench.Children;

/// <summary>Which child process this is: none (the parent), the one-CPU child or the ours-alone child.</summary>
public enum ChildKind
{
    /// <summary>The parent: every case, TorchSharp loaded.</summary>
    None,

    /// <summary>
    /// The compiled path on one thread, under <c>taskset</c> to one CPU with <c>DOTNET_PROCESSOR_COUNT=1</c>: how a
    /// one-core container or a pinned process runs.
    /// </summary>
    OneCpu,

    /// <summary>
    /// Compiled W3 on one and two threads in a process where libtorch never ran: its OpenMP threads, once started in
    /// the parent, take our second core in stretches (docs/benchmarks.md, "Two threads"), so the parent's two-thread
    /// figure says more about them than about us.
    /// </summary>
    Alone,
}

/// <summary>
/// What a child writes: how many CPUs its runtime saw, its measurements, and (the ours-alone child) how much FMA
/// throughput a second thread added before and after its cases.
/// </summary>
public sealed record ChildResults(int ProcessorCount, List<Measurement> Measurements, string? SecondCore = null);

/// <summary>What a child gave: its measurements (empty when it did not run), a line for the report, and its second-core check.</summary>
public sealed record ChildOutcome(IReadOnlyList<Measurement> Measurements, string Status, string? SecondCore = null);

/// <summary>
/// This program launched again as a child process that never loads TorchSharp (the parent has already checked
/// agreement on the same code and data), timing some of our cases with the same job. Its measurements come back as
/// JSON, renamed to <see cref="OneCpuMethod"/> or <see cref="AloneMethod"/>.
/// </summary>
public static class ChildRun
{
    /// <summary>Which child this process is.</summary>
    public static ChildKind Kind { get; set; }

    /// <summary>True in either child process.</summary>
    public static bool IsChild => Kind != ChildKind.None;

    /// <summary>The method name the one-CPU child's compiled measurements are reported under.</summary>
    public const string OneCpuMethod = "CompiledOneCpu";

    /// <summary>The method name the ours-alone child's compiled measurements are reported under.</summary>
    public const string AloneMethod = "CompiledAlone";

    /// <summary>The command-line switch that makes a launch of this program the child of <paramref name="kind"/>.</summary>
    public static string Switch(ChildKind kind) => kind == ChildKind.OneCpu ? "--one-cpu-child" : "--alone-child";

    /// <summary>Writes the child's measurements where the parent reads them.</summary>
    public static void WriteResults(string path, IEnumerable<Measurement> measurements, string? secondCore = null) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new ChildResults(Environment.ProcessorCount, measurements.ToList(), secondCore)));

    /// <summary>The FMA gain of a second thread the ours-alone child needs before it times (an idle 2-core machine gives 1.8-2.0x).</summary>
    public const double SecondCoreGain = 1.6;

    /// <summary>
    /// How much FMA throughput a second thread adds right now (<see cref="Probes.TwoThreadProbe.FmaBursts"/>). On this
    /// virtual machine the second vCPU is sometimes not ours for minutes although /proc/stat shows no other work and no
    /// steal (measured 0.85x at 11:11 UTC on 2026-12-01, 1.82x at the end of the same probe), and then no two-thread speed-up can show.
    /// </summary>
    public static double SecondThreadGain()
    {
        var (one, two) = Probes.TwoThreadProbe.FmaBursts();
        return 2 * one / two;
    }

    /// <summary>
    /// Before the ours-alone child times: checks the second core, waiting up to two minutes (15 s at a time) for it to
    /// give <see cref="SecondCoreGain"/>, since the target is for an idle machine. Returns what it saw, for the report.
    /// </summary>
    public static string WaitForSecondCore()
    {
        var seen = new List<double>();
        for (int attempt = 0; attempt < 9; attempt++)
        {
            if (attempt > 0) Thread.Sleep(TimeSpan.FromSeconds(15));
            seen.Add(SecondThreadGain());
            if (seen[^1] >= SecondCoreGain) break;
        }
        return string.Join(", ", seen.Select(g => g.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "x"));
    }

    /// <summary>The lowest-numbered CPU this process may run on (0 unless a container or cpuset excludes it).</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static int FirstAllowedCpu()
    {
        long mask = (long)Process.GetCurrentProcess().ProcessorAffinity;
        return mask == 0 ? 0 : System.Numerics.BitOperations.TrailingZeroCount(mask);
    }

    /// <summary>
    /// Runs the child of <paramref name="kind"/> with the same job and filter as this run and returns its
    /// measurements, renamed. The child's console output goes to <paramref name="logPath"/>.
    /// </summary>
    internal static ChildOutcome Launch(BenchOptions options, ChildKind kind, string logPath)
    {
        const string taskset = "/usr/bin/taskset";
        bool pinned = kind == ChildKind.OneCpu;
        if (pinned && (!OperatingSystem.IsLinux() || !File.Exists(taskset)))
            return new([], "not run: needs Linux and taskset");
        string results = Path.Combine(Path.GetTempPath(), $"functionalad-bench-{kind}-{Environment.ProcessId}.json");
        // Launched the way this process was: through its apphost, or through `dotnet` and the assembly.
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        var start = new ProcessStartInfo(pinned ? taskset : self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        int cpu = OperatingSystem.IsLinux() ? FirstAllowedCpu() : 0;
        if (pinned)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(cpu.ToString(System.Globalization.CultureInfo.InvariantCulture));
            start.ArgumentList.Add(self);
            start.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
        }
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        if (options.Quick) start.ArgumentList.Add("--quick");
        start.ArgumentList.Add(Switch(kind));
        start.ArgumentList.Add(results);
        foreach (string a in options.UserBenchmarkDotNetArgs) start.ArgumentList.Add(a);

        Console.WriteLine($"{kind} child: {start.FileName} {string.Join(' ', start.ArgumentList)}{(pinned ? " (DOTNET_PROCESSOR_COUNT=1)" : "")}, log in {logPath}");
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start the {kind} child");
        using var log = new StreamWriter(logPath);
        var gate = new object();
        child.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        child.WaitForExit();

        if (!File.Exists(results))
            return new([], $"failed: the child exited with code {child.ExitCode} and wrote no results (see {Path.GetFileName(logPath)})");
        var written = JsonSerializer.Deserialize<ChildResults>(File.ReadAllText(results))
                     ?? throw new InvalidDataException($"{results} holds no results");
        File.Delete(results);
        string how = pinned
            ? $"child process under `taskset -c {cpu}` with `DOTNET_PROCESSOR_COUNT=1` (its Environment.ProcessorCount: {written.ProcessorCount}), compiled path, 1 thread"
            : $"child process that never loads TorchSharp (its Environment.ProcessorCount: {written.ProcessorCount}), compiled W3 on 1 and 2 threads";
        string method = pinned ? OneCpuMethod : AloneMethod;
        return new(written.Measurements.Select(m => m with { Method = method }).ToList(),
            child.ExitCode == 0 ? how : $"{how}; the child exited with code {child.ExitCode} (see {Path.GetFileName(logPath)})",
            written.SecondCore);
    }
}
