using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using FunctionalAD.Bench.Report;

namespace FunctionalAD.Bench.OneCpu;

/// <summary>What the child writes: how many CPUs its runtime saw, and its measurements.</summary>
public sealed record OneCpuChildResults(int ProcessorCount, List<Measurement> Measurements);

/// <summary>What the one-CPU child gave: its measurements (empty when it did not run) and a line for the report.</summary>
public sealed record OneCpuOutcome(IReadOnlyList<Measurement> Measurements, string Status);

/// <summary>
/// The one-CPU case: this program launched again as a child process that can use one CPU only, the way a
/// one-core container or a pinned process runs, timing the compiled path on one thread with the same job. The
/// child runs under <c>taskset -c 0</c> (the kernel schedules it on CPU 0 only; the lowest CPU this process may
/// use, if a cpuset excludes 0) with
/// <c>DOTNET_PROCESSOR_COUNT=1</c> (the runtime sizes itself, and FunctionalAD its default thread budget, for one
/// CPU). It never loads TorchSharp: the parent has already checked agreement on the same code and data. Its
/// measurements come back as JSON and are reported as the ratio of pinned to unpinned compiled time.
/// </summary>
public static class OneCpuRun
{
    /// <summary>True in the child process.</summary>
    public static bool IsChild { get; set; }

    /// <summary>The method name the child's compiled measurements are reported under.</summary>
    public const string Method = "CompiledOneCpu";

    /// <summary>Writes the child's measurements where the parent reads them.</summary>
    public static void WriteResults(string path, IEnumerable<Measurement> measurements) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new OneCpuChildResults(Environment.ProcessorCount, measurements.ToList())));

    /// <summary>The lowest-numbered CPU this process may run on (0 unless a container or cpuset excludes it).</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static int FirstAllowedCpu()
    {
        long mask = (long)Process.GetCurrentProcess().ProcessorAffinity;
        return mask == 0 ? 0 : System.Numerics.BitOperations.TrailingZeroCount(mask);
    }

    /// <summary>
    /// Runs the child with the same job and filter as this run and returns its compiled measurements, renamed to
    /// <see cref="Method"/>. The child's console output goes to <paramref name="logPath"/>.
    /// </summary>
    internal static OneCpuOutcome Launch(BenchOptions options, string logPath)
    {
        const string taskset = "/usr/bin/taskset";
        if (!OperatingSystem.IsLinux() || !File.Exists(taskset))
            return new([], "not run: needs Linux and taskset");
        string results = Path.Combine(Path.GetTempPath(), $"functionalad-bench-one-cpu-{Environment.ProcessId}.json");
        var start = new ProcessStartInfo(taskset) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        int cpu = FirstAllowedCpu();
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(cpu.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Launched the way this process was: through its apphost, or through `dotnet` and the assembly.
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        start.ArgumentList.Add(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        if (options.Quick) start.ArgumentList.Add("--quick");
        start.ArgumentList.Add(BenchOptions.OneCpuChildSwitch);
        start.ArgumentList.Add(results);
        foreach (string a in options.UserBenchmarkDotNetArgs) start.ArgumentList.Add(a);
        start.Environment["DOTNET_PROCESSOR_COUNT"] = "1";

        Console.WriteLine($"One-CPU case: {taskset} -c {cpu} {string.Join(' ', start.ArgumentList.Skip(2))} (DOTNET_PROCESSOR_COUNT=1), log in {logPath}");
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the one-CPU child");
        using var log = new StreamWriter(logPath);
        var gate = new object();
        child.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        child.WaitForExit();

        if (!File.Exists(results))
            return new([], $"failed: the child exited with code {child.ExitCode} and wrote no results (see {Path.GetFileName(logPath)})");
        var written = JsonSerializer.Deserialize<OneCpuChildResults>(File.ReadAllText(results))
                     ?? throw new InvalidDataException($"{results} holds no results");
        File.Delete(results);
        var measured = written.Measurements;
        string how = $"child process under `taskset -c {cpu}` with `DOTNET_PROCESSOR_COUNT=1` (its Environment.ProcessorCount: {written.ProcessorCount}), compiled path, 1 thread";
        return new(measured.Select(m => m with { Method = Method }).ToList(),
            child.ExitCode == 0 ? how : $"{how}; the child exited with code {child.ExitCode} (see {Path.GetFileName(logPath)})");
    }
}
