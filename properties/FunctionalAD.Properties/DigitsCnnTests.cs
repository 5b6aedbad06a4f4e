using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Digits;
using DigitsCnn;
using FunctionalAD;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>The CNN example: a short run learns, and its checkpoint reloaded by the example in a fresh process scores the same.</summary>
public class DigitsCnnTests
{
    private static string DataPath => Path.Combine(AppContext.BaseDirectory, "data", "digits.csv");

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "FunctionalAD.sln"))) return d.FullName;
        throw new InvalidOperationException("FunctionalAD.sln not found above the test assembly");
    }

    [Fact]
    public async Task A_short_run_climbs_and_the_checkpoint_reloads_in_a_fresh_process_with_the_same_accuracy()
    {
        var (train, test) = DigitsSet.Load(DataPath).Split(0.2, seed: 1);
        var reports = new List<EpochReport>();
        var parameters = CnnTrainer.Train(train, test, new TrainingOptions(Epochs: 3, BatchSize: 32, LearningRate: 0.003, Seed: 1), reports.Add);
        Assert.True(reports[^1].Loss < 0.5 * reports[0].Loss, $"loss went from {reports[0].Loss} to {reports[^1].Loss}");
        Assert.True(reports[^1].TestAccuracy > reports[0].TestAccuracy || reports[0].TestAccuracy > 0.95,
            $"test accuracy went from {reports[0].TestAccuracy} to {reports[^1].TestAccuracy}");
        Assert.True(reports[^1].TestAccuracy > 0.9, $"test accuracy {reports[^1].TestAccuracy}");

        var dir = Directory.CreateTempSubdirectory("functionalad-cnn-");
        var path = Path.Combine(dir.FullName, "cnn.safetensors");
        CnnCheckpoint.Save(path, parameters, 1, reports[^1].TestAccuracy);

        var configuration = typeof(DigitsCnnTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var dll = Path.Combine(RepoRoot(), "examples", "DigitsCnn", "bin", configuration, "net10.0", "DigitsCnn.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "--evaluate", path, "--seed", "1" }) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        var (output, errors) = (await stdout, await stderr);
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}\n{output}\n{errors}");
        var line = output.Split('\n').Single(l => l.StartsWith("test accuracy ", StringComparison.Ordinal));
        var reloaded = double.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture);
        Assert.Equal(reports[^1].TestAccuracy, reloaded, 6);
        dir.Delete(recursive: true);
    }
}
