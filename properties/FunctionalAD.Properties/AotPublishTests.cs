using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using FunctionalAD.Examples;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>
/// examples/Tour published with native AOT (trimming included): the publish raises no trim or AOT warning (they are
/// errors in it), and the native binary, which runs compiled functions through the tiled fused path, prints what the
/// same tour prints under the JIT and the values calculus gives. One publish of 1-3 minutes, so one test.
/// </summary>
public class AotPublishTests
{
    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "FunctionalAD.sln"))) return d.FullName;
        throw new InvalidOperationException("FunctionalAD.sln not found above the test assembly");
    }

    private static async Task<(int Exit, string Output)> Run(string file, IEnumerable<string> args, TimeSpan limit)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        // The test host's MSBuild settings would point the child build at the test run's SDK resolution.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran longer than {limit}\n{await stdout}\n{await stderr}");
        }
        return (p.ExitCode, await stdout + await stderr);
    }

    private static readonly Regex Number = new(@"-?\d+(\.\d+)?([eE][-+]?\d+)?", RegexOptions.Compiled);

    private static double[] Numbers(string line) =>
        Number.Matches(line).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();

    private static string Line(string output, string start) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public async Task Tour_published_with_native_AOT_has_no_warnings_and_prints_what_the_JIT_prints()
    {
        var root = RepoRoot();
        var artifacts = Directory.CreateTempSubdirectory("functionalad-aot-");
        try
        {
            var rid = RuntimeInformation.RuntimeIdentifier;
            // Own artifacts path: nothing is written to the obj/ and bin/ folders that concurrent test builds use.
            var (exit, log) = await Run("dotnet", new[]
            {
                "publish", Path.Combine(root, "examples", "Tour", "Tour.csproj"), "-c", "Release", "-r", rid,
                "-p:PublishAot=true", "-p:TrimmerSingleWarn=false", "-p:TreatWarningsAsErrors=true",
                "-p:IlcTreatWarningsAsErrors=true", "--artifacts-path", artifacts.FullName, "-nodeReuse:false",
                "--disable-build-servers",
            }, TimeSpan.FromMinutes(10));
            Assert.True(exit == 0, $"publish failed (exit {exit}):\n{log}");
            var warnings = log.Split('\n').Where(l => Regex.IsMatch(l, @"\b(warning|error) (IL|CS)\d+")).ToArray();
            Assert.True(warnings.Length == 0, "the publish warned:\n" + string.Join('\n', warnings));

            var binary = Directory.GetFiles(Path.Combine(artifacts.FullName, "publish", "Tour"), "Tour", SearchOption.AllDirectories)
                .Concat(Directory.GetFiles(Path.Combine(artifacts.FullName, "publish", "Tour"), "Tour.exe", SearchOption.AllDirectories))
                .Single();
            // A native binary: no Tour.dll beside it for a runtime to load.
            Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(binary)!, "Tour.dll")), "the publish produced IL, not a native binary");
            var (runExit, aot) = await Run(binary, Array.Empty<string>(), TimeSpan.FromMinutes(1));
            Assert.True(runExit == 0, $"the AOT binary failed (exit {runExit}):\n{aot}");

            var jitWriter = new StringWriter();
            Tour.Run(jitWriter);
            var jit = jitWriter.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
            var native = aot.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
            Assert.Equal(jit.Length, native.Length);
            for (int i = 0; i < jit.Length; i++)
            {
                // Same text; numbers agree to float32 rounding (the fused sums run in another order under AOT).
                Assert.Equal(Number.Replace(jit[i], "#"), Number.Replace(native[i], "#"));
                var (a, b) = (Numbers(jit[i]), Numbers(native[i]));
                for (int k = 0; k < a.Length; k++)
                    Assert.True(Math.Abs(a[k] - b[k]) <= 1e-5 * Math.Max(1, Math.Abs(a[k])), $"line {i}: JIT '{jit[i]}', AOT '{native[i]}'");
            }

            // The compiled section against calculus: E = Σ tanh(p q + 0.5), ∂E/∂p = (1 - tanh²) q, ∂E/∂q = (1 - tanh²) p.
            var p = Enumerable.Range(0, 1000).Select(i => (double)MathF.Sin(i)).ToArray();
            var q = Enumerable.Range(0, 1000).Select(i => (double)MathF.Cos(0.5f * i)).ToArray();
            var t = p.Zip(q, (x, y) => Math.Tanh(x * y + 0.5)).ToArray();
            Assert.Equal("compiled steps = 1", Line(aot, "compiled steps"));
            Assert.Equal(t.Sum(), Numbers(Line(aot, "E = sum(tanh(p * q + 0.5)) = ")).Last(), 1e-5 * t.Sum());
            var dp = Numbers(Line(aot, "dE/dp[0..3] = "))[^4..];
            var dq = Numbers(Line(aot, "dE/dq[0..3] = "))[^4..];
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal((1 - t[i] * t[i]) * q[i], dp[i], 1e-6);
                Assert.Equal((1 - t[i] * t[i]) * p[i], dq[i], 1e-6);
            }
        }
        finally { artifacts.Delete(recursive: true); }
    }
}
