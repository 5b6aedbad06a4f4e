// A stopwatch probe for the matrix-product kernels: times whole compiled workloads (W1-W3) and their products
// one by one, best of many short bursts. Not a benchmark (that is bench/FunctionalAD.Bench); a tool to see where
// a compiled call spends its time while changing kernels.
using System.Diagnostics;
using FunctionalAD;
using static FunctionalAD.Ex;

int threads = args.Length > 0 ? int.Parse(args[0]) : 1;
string only = args.Length > 1 ? args[1] : "";
Settings.MaxThreads = threads;
Console.WriteLine($"threads {threads}, load {File.ReadAllText("/proc/loadavg").Trim()}");

static double Time(Action f, int inner)
{
    for (int i = 0; i < 3 * inner; i++) f();
    double best = double.MaxValue;
    var sw = new Stopwatch();
    for (int r = 0; r < 40; r++)
    {
        sw.Restart();
        for (int i = 0; i < inner; i++) f();
        best = Math.Min(best, sw.Elapsed.TotalMicroseconds / inner);
    }
    return best;
}

void Report(string name, CompiledFunction f, Tensor[] ins, int inner, bool describe = false)
{
    if (only != "" && !name.Contains(only)) return;
    var outs = f.CreateOutputs();
    f.Run(ins, outs);
    long before = GC.GetAllocatedBytesForCurrentThread();
    for (int i = 0; i < 100; i++) f.Run(ins, outs);
    long alloc = GC.GetAllocatedBytesForCurrentThread() - before;
    long total = GC.GetTotalAllocatedBytes(true);
    for (int i = 0; i < 1000; i++) f.Run(ins, outs);
    long totalAlloc = GC.GetTotalAllocatedBytes(true) - total;
    double us = Time(() => f.Run(ins, outs), inner);
    Console.WriteLine($"{name,-40} {us,9:F2} us  alloc/100 calls {alloc} B, all threads/1000 calls {totalAlloc} B");
    if (describe) Console.WriteLine(f.Describe());
}

Tensor Rn(params int[] s) => Tensor.RandomNormal(new Shape(s), seed: s.Sum());

// W2
{
    var x = Var("x", 256, 784); var w = Var("w", 784, 10); var b = Var("b", 10); var y = Var("y", new Shape(256), DType.Int32);
    var loss = Mean(-Sum(OneHot(y, 10) * LogSoftmax(MatMul(x, w) + b), 1));
    var labels = Tensor.From(Enumerable.Range(0, 256).Select(i => i * 7 % 10).ToArray());
    Report("W2 full", Ad.Compile([loss, .. Ad.Grad(loss, w, b)], x, y, w, b), [Rn(256, 784), labels, Rn(784, 10), Rn(10)], 200, describe: true);
    Report("W2 fwd x@w 256x10x784", Ad.Compile([MatMul(x, w)], x, w), [Rn(256, 784), Rn(784, 10)], 200);
    foreach (int mm in new[] { 2, 8, 32, 64, 128, 512 })
    {
        var xm = Var("xm", mm, 784);
        Report($"W2 fwd-scan {mm}x10x784", Ad.Compile([MatMul(xm, w)], xm, w), [Rn(mm, 784), Rn(784, 10)], 200);
        var wt = Var("wt", 10, 784);
        Report($"W2 fwd-scan NT {mm}x10x784", Ad.Compile([MatMul(xm, wt, transposeB: true)], xm, wt), [Rn(mm, 784), Rn(10, 784)], 200);
    }
    var g = Var("g", 256, 10);
    Report("W2 dW xT@g 784x10x256", Ad.Compile([MatMul(x, g, transposeA: true)], x, g), [Rn(256, 784), Rn(256, 10)], 200);
}
// W3
{
    var x = Var("x", 128, 784); var y = Var("y", new Shape(128), DType.Int32);
    var w1 = Var("w1", 784, 256); var b1 = Var("b1", 256); var w2 = Var("w2", 256, 10); var b2 = Var("b2", 10);
    var loss = Mean(-Sum(OneHot(y, 10) * LogSoftmax(MatMul(Relu(MatMul(x, w1) + b1), w2) + b2), 1));
    var labels = Tensor.From(Enumerable.Range(0, 128).Select(i => (i * 7 + 3) % 10).ToArray());
    Report("W3 full", Ad.Compile([loss, .. Ad.Grad(loss, w1, b1, w2, b2)], x, y, w1, b1, w2, b2),
        [Tensor.RandomUniform(new Shape(128, 784), seed: 31), labels, Rn(784, 256), Rn(256), Rn(256, 10), Rn(10)], 20, describe: true);
    Report("W3 x@w1 128x256x784 NN", Ad.Compile([MatMul(x, w1)], x, w1), [Rn(128, 784), Rn(784, 256)], 20);
    var g1 = Var("g1", 128, 256);
    Report("W3 xT@g1 784x256x128 TN", Ad.Compile([MatMul(x, g1, transposeA: true)], x, g1), [Rn(128, 784), Rn(128, 256)], 20);
    var h = Var("h", 128, 256); var g2 = Var("g2", 128, 10);
    Report("W3 h@w2 128x10x256 NN", Ad.Compile([MatMul(h, w2)], h, w2), [Rn(128, 256), Rn(256, 10)], 200);
    Report("W3 hT@g2 256x10x128 TN", Ad.Compile([MatMul(h, g2, transposeA: true)], h, g2), [Rn(128, 256), Rn(128, 10)], 200);
    Report("W3 g2@w2T 128x256x10 NT", Ad.Compile([MatMul(g2, w2, transposeB: true)], g2, w2), [Rn(128, 10), Rn(256, 10)], 200);
}
if (only == "pool")
{
    // Two threaded products back to back, 500 times: how the pool's indices split between the caller and the helper.
    var xa = Var("xa", 128, 784); var wa = Var("wa", 784, 256);
    var f = Ad.Compile([MatMul(xa, wa)], xa, wa);
    var ins = new[] { Rn(128, 784), Rn(784, 256) };
    var outs = f.CreateOutputs();
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < 500; i++) f.Run(ins, outs);
    Console.WriteLine($"500 products 128x256x784 in {sw.Elapsed.TotalMilliseconds:F1} ms");
}
// Indices of threaded jobs run by the callers (first) and each pool thread: work is really shared when the pool threads' counts are near the callers'.
var run = typeof(Tensor).Assembly.GetType("FunctionalAD.WorkerPool")!.GetMethod("IndicesRun", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
Console.WriteLine($"worker pool indices run (callers, helpers...): {string.Join(", ", (long[])run.Invoke(null, null)!)}");
// W1
{
    var x = Var("x", 2, 4); var w = Var("w", 4, 3); var b = Var("b", 3); var y = Var("y", new Shape(2), DType.Int32);
    var loss = Mean(-Sum(OneHot(y, 3) * LogSoftmax(MatMul(x, w) + b), 1));
    Report("W1 full", Ad.Compile([loss, .. Ad.Grad(loss, w, b)], x, y, w, b), [Rn(2, 4), Tensor.From(new[] { 2, 0 }), Rn(4, 3), Rn(3)], 20000, describe: true);
    Report("W1 x@w 2x3x4", Ad.Compile([MatMul(x, w)], x, w), [Rn(2, 4), Rn(4, 3)], 20000);
}
