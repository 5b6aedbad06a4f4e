using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FunctionalAD;
using static FunctionalAD.Ex;

// im2col + GEMM (what Conv2D runs) against a direct NHWC loop vectorised over output channels, at the sizes of the
// DigitsCnn example (batch 32 of 8×8 images; conv 3×3 SAME 1→16 and 16→32).
//   dotnet run -c Release --project bench/FunctionalAD.ConvBench
var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(Job.ShortRun.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(10), logOutput: false)))
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkRunner.Run<ConvForward>(config, args);

/// <summary>One convolution forward at the example's sizes, through each kernel.</summary>
[MemoryDiagnoser]
public class ConvForward
{
    /// <summary>Input channels (1: first layer, 16: second), output channels are 16 and 32.</summary>
    [Params(1, 16)] public int C;

    private CompiledFunction _compiled = null!;
    private Tensor[] _inputs = null!, _outputs = null!;
    private float[] _x = null!, _f = null!, _y = null!;
    private int O => C == 1 ? 16 : 32;
    private const int N = 32, H = 8, W = 8, K = 3;

    [GlobalSetup]
    public void Setup()
    {
        var xt = Tensor.RandomNormal(new Shape(N, H, W, C), seed: 1);
        var ft = Tensor.RandomNormal(new Shape(K, K, C, O), seed: 2);
        var x = Var("x", N, H, W, C);
        var f = Var("f", K, K, C, O);
        _compiled = Ad.Compile([Conv2D(x, f, 1, "SAME")], x, f);
        _inputs = [xt, ft];
        _outputs = _compiled.CreateOutputs();
        (_x, _f, _y) = (xt.ToArray<float>(), ft.ToArray<float>(), new float[N * H * W * O]);
        Direct();
        var a = _compiled.Run(_inputs)[0].ToArray<float>();
        for (int i = 0; i < a.Length; i++)
            if (Math.Abs(a[i] - _y[i]) > 1e-3f) throw new InvalidOperationException($"kernels disagree at {i}: {a[i]} vs {_y[i]}");
    }

    /// <summary>Conv2D as compiled: im2col into workspace scratch, then one blocked GEMM.</summary>
    [Benchmark(Baseline = true)]
    public void Im2colGemm() => _compiled.Run(_inputs, _outputs);

    /// <summary>y[n,i,j,:] += x[n,i+kh-1,j+kw-1,c] · f[kh,kw,c,:], SIMD over the output channels.</summary>
    [Benchmark]
    public void Direct()
    {
        Array.Clear(_y);
        var y = _y.AsSpan();
        for (int n = 0; n < N; n++)
            for (int i = 0; i < H; i++)
                for (int j = 0; j < W; j++)
                {
                    var row = y.Slice(((n * H + i) * W + j) * O, O);
                    for (int kh = 0; kh < K; kh++)
                    {
                        int ih = i + kh - 1;
                        if ((uint)ih >= H) continue;
                        for (int kw = 0; kw < K; kw++)
                        {
                            int iw = j + kw - 1;
                            if ((uint)iw >= W) continue;
                            int xo = ((n * H + ih) * W + iw) * C, fo = (kh * K + kw) * C * O;
                            for (int c = 0; c < C; c++)
                                TensorPrimitives.MultiplyAdd(_f.AsSpan(fo + c * O, O), _x[xo + c], row, row);
                        }
                    }
                }
    }
}
