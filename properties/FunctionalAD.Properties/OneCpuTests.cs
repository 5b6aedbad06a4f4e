using System.Diagnostics;
using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// A compiled function gives the same bits in a process that sees one CPU (DOTNET_PROCESSOR_COUNT=1: the
/// threaded products run on one thread, and the runtime has no spare core for tiering) as in this one.
/// The child is this test assembly run through its own entry point (<see cref="Support.Program"/>).
/// </summary>
public class OneCpuTests
{
    internal const string Command = "one-cpu-check";

    /// <summary>A small MLP's loss and gradients, compiled, as hexadecimal bits, one output per line.</summary>
    internal static string ComputeBits()
    {
        var x = (Var)Var("x", 64, 96);
        var w1 = (Var)Var("w1", 96, 80);
        var b1 = (Var)Var("b1", 80);
        var w2 = (Var)Var("w2", 80, 10);
        var labels = Tensor.From(Enumerable.Range(0, 64).Select(i => i % 10).ToArray());
        var h = Relu(MatMul(x, w1) + b1);
        var loss = Mean(Losses.SparseCategoricalCrossentropy(Const(labels), MatMul(h, w2), fromLogits: true));
        var outputs = new[] { loss }.Concat(Ad.Grad(loss, w1, b1, w2)).ToArray();
        var f = Ad.Compile(outputs, x, w1, b1, w2);
        var values = new[] { x, w1, b1, w2 }.Select((v, i) => Tensor.RandomNormal(v.Shape, seed: 100 + i)).ToArray();
        var r = f.Run(values);
        return string.Join("\n", r.Select(t => string.Join(" ", t.ToFloatArray().Select(v => BitConverter.SingleToInt32Bits(v).ToString("x8")))));
    }

    [Fact]
    public async Task A_compiled_function_gives_the_same_bits_in_a_one_cpu_process()
    {
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var psi = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(typeof(OneCpuTests).Assembly.Location);
        psi.ArgumentList.Add(Command);
        psi.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
        using var child = Process.Start(psi)!;
        var stderr = child.StandardError.ReadToEndAsync();
        string output = await child.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await child.WaitForExitAsync(timeout.Token);
        Assert.True(child.ExitCode == 0, $"child exit code {child.ExitCode}: {await stderr}");
        var lines = output.TrimEnd().Split('\n', 2);
        Assert.Equal("processors 1", lines[0].Trim());
        Assert.Equal(ComputeBits(), lines[1].Trim());
    }
}
