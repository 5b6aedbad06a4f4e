using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FunctionalAD;
using static FunctionalAD.Ex;

// Stopwatch best-of-N of the bench's W4 and W3 compiled calls (same models, sizes and seeds as
// bench/FunctionalAD.Bench/Workloads), so a JIT run and a native AOT binary can be compared side by side.
// Arguments: --tiled (register fusion off: the path native AOT takes), --plan (print the compiled plans), --rounds N,
// --threads N (Settings.MaxThreads), --gemm (also time W3's two big matrix products alone, each as its own compiled call).
var tiled = args.Contains("--tiled");
if (tiled) AppContext.SetSwitch("FunctionalAD.DisableRegisterFusion", true);
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).FirstOrDefault(5);

Console.WriteLine($"runtime: {(RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "native AOT")}, register fusion: " +
    $"{(RuntimeFeature.IsDynamicCodeSupported && !tiled ? "on" : "off")}, Vector512 accelerated: {Vector512.IsHardwareAccelerated}, " +
    $"Vector256 accelerated: {Vector256.IsHardwareAccelerated}, Avx512F: {Avx512F.IsSupported}, Fma: {Fma.IsSupported}, " +
    $"cores: {Environment.ProcessorCount}, threads: {Settings.MaxThreads}");
var threadArg = args.SkipWhile(a => a != "--threads").Skip(1).Select(int.Parse).FirstOrDefault(0);
if (threadArg > 0) Settings.MaxThreads = threadArg;

// W4: L = Σ tanh(x ⊙ w + b) over a million elements and its gradients in w and b.
const int N = 1_000_000;
var x4 = Var("x", N);
var w4 = Var("w", N);
var b4 = Var("b", N);
var l4 = Sum(Tanh(x4 * w4 + b4));
Expr[] g4 = Ad.Grad(l4, w4, b4);
var f4 = Ad.Compile(new[] { l4, g4[0], g4[1] }, x4, w4, b4);
Tensor[] in4 =
[
    Tensor.RandomNormal(new Shape(N), seed: 41), Tensor.RandomNormal(new Shape(N), stddev: 0.5, seed: 42),
    Tensor.RandomNormal(new Shape(N), stddev: 0.5, seed: 43),
];

// W3: a 784-256-10 relu perceptron on a batch of 128 under mean softmax cross-entropy, gradients of all four parameters.
const int Batch = 128, Inputs = 784, Hidden = 256, Classes = 10;
var x3 = Var("x", Batch, Inputs);
var y3 = Var("y", new Shape(Batch), DType.Int32);
var w1 = Var("w1", Inputs, Hidden);
var b1 = Var("b1", Hidden);
var w2 = Var("w2", Hidden, Classes);
var b2 = Var("b2", Classes);
var logits = MatMul(Relu(MatMul(x3, w1) + b1), w2) + b2;
var l3 = Mean(-Sum(OneHot(y3, Classes) * LogSoftmax(logits), 1));
var f3 = Ad.Compile(new[] { l3 }.Concat(Ad.Grad(l3, w1, b1, w2, b2)).ToArray(), x3, y3, w1, b1, w2, b2);
Tensor[] in3 =
[
    Tensor.RandomUniform(new Shape(Batch, Inputs), seed: 31),
    Tensor.From(Enumerable.Range(0, Batch).Select(i => (i * 7 + 3) % Classes).ToArray()),
    Tensor.RandomNormal(new Shape(Inputs, Hidden), stddev: Math.Sqrt(2.0 / Inputs), seed: 32),
    Tensor.RandomNormal(new Shape(Hidden), stddev: 0.1, seed: 33),
    Tensor.RandomNormal(new Shape(Hidden, Classes), stddev: Math.Sqrt(2.0 / Hidden), seed: 34),
    Tensor.RandomNormal(new Shape(Classes), stddev: 0.1, seed: 35),
];

if (args.Contains("--plan")) Console.WriteLine($"W4 plan:\n{f4.Describe()}\nW3 plan:\n{f3.Describe()}");

// W3's two big products alone: the forward x·w1 (128×784 by 784×256) and the weight gradient xᵀ·g (784×128 by 128×256).
var fwd = Ad.Compile(new[] { MatMul(x3, w1) }, x3, w1);
var g3 = Var("g", Batch, Hidden);
var bwd = Ad.Compile(new[] { MatMul(Transpose(x3), g3) }, x3, g3);
Tensor[] inF = [in3[0], in3[2]];
Tensor[] inB = [in3[0], Tensor.RandomNormal(new Shape(Batch, Hidden), seed: 36)];
var oF = fwd.CreateOutputs();
var oB = bwd.CreateOutputs();
bool gemm = args.Contains("--gemm");

var o4 = f4.CreateOutputs();
var o3 = f3.CreateOutputs();
for (int r = 0; r < rounds; r++)
{
    var t4 = Best(() => f4.Run(in4, o4), 200);
    var t3 = Best(() => f3.Run(in3, o3), 500);
    Console.WriteLine($"round {r}: W4 compiled best {t4.Best:F1} us, median {t4.Median:F1} us; W3 compiled best {t3.Best:F1} us, median {t3.Median:F1} us");
    if (!gemm) continue;
    var tf = Best(() => fwd.Run(inF, oF), 500);
    var tb = Best(() => bwd.Run(inB, oB), 500);
    Console.WriteLine($"round {r}: x·w1 best {tf.Best:F1} us, median {tf.Median:F1} us; xT·g best {tb.Best:F1} us, median {tb.Median:F1} us");
}
Console.WriteLine($"check: W4 loss {o4[0].ToFloatArray()[0]:G7}, W3 loss {o3[0].ToFloatArray()[0]:G7}");

static (double Best, double Median) Best(Action call, int n)
{
    for (int i = 0; i < n / 10 + 2; i++) call();
    var times = new double[n];
    for (int i = 0; i < n; i++)
    {
        long t = Stopwatch.GetTimestamp();
        call();
        times[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
    }
    Array.Sort(times);
    return (times[0], times[n / 2]);
}
