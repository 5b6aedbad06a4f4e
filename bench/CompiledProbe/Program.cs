// A stopwatch probe for the per-call overhead of compiled functions: builds W1's and W2's compiled loss-and-
using System.Runtime.Intrinsics;
// gradients exactly as bench/FunctionalAD.Bench's CompiledRunner does (data and labels are inputs), times the
// whole Run (best of many bursts) and each step on its own, so the difference is what the call costs around its
// kernels. Not a benchmark (that is bench/FunctionalAD.Bench); a tool for cutting dispatch overhead.
// Usage: dotnet run -c Release --project bench/CompiledProbe -- [filter]
// Also: 'ops' times the element-wise span driver on 1, 6, 8 and 16 elements (the padded remainder's cost), and
// 'lanes' checks that exp and log's Vector256 forms give the Vector512 forms' bits lane for lane, which one-register
// tiles (FusedShortRowsStep) rely on, and times one call of each.
using System.Diagnostics;
using FunctionalAD;
using static FunctionalAD.Ex;

string only = args.Length > 0 ? args[0] : "";
Settings.MaxThreads = 1;
Console.WriteLine($"load {File.ReadAllText("/proc/loadavg").Trim()}");

static double Time(Action f, int inner, int bursts = 40)
{
    for (int i = 0; i < 3 * inner; i++) f();
    double best = double.MaxValue;
    var sw = new Stopwatch();
    for (int r = 0; r < bursts; r++)
    {
        sw.Restart();
        for (int i = 0; i < inner; i++) f();
        best = Math.Min(best, sw.Elapsed.TotalNanoseconds / inner);
    }
    return best;
}

void Probe(string name, int batch, int features, int classes, bool keras, int inner)
{
    if (only != "" && !name.Contains(only)) return;
    var rnd = new Random(2);
    var xv = Tensor.RandomNormal(new Shape(batch, features), seed: 1);
    var wv = Tensor.RandomNormal(new Shape(features, classes), stddev: 1 / Math.Sqrt(features), seed: 2);
    var bv = Tensor.RandomNormal(new Shape(classes), stddev: 0.1, seed: 3);
    var yv = Tensor.From(Enumerable.Range(0, batch).Select(_ => rnd.Next(classes)).ToArray());
    var x = Var("x", batch, features); var y = Var("y", new Shape(batch), DType.Int32);
    var w = Var("w", features, classes); var b = Var("b", classes);
    var logits = MatMul(x, w) + b;
    var loss = keras
        ? Mean(Losses.SparseCategoricalCrossentropy(y, logits, fromLogits: true))
        : Mean(-Sum(OneHot(y, classes) * LogSoftmax(logits), 1));
    var f = Ad.Compile([loss, .. Ad.Grad(loss, w, b)], x, y, w, b);
    Tensor[] ins = [xv, yv, wv, bv];
    var outs = f.CreateOutputs();
    f.Run(ins, outs);
    long before = GC.GetAllocatedBytesForCurrentThread();
    for (int i = 0; i < 100; i++) f.Run(ins, outs);
    long alloc = GC.GetAllocatedBytesForCurrentThread() - before;
    // Over many calls too: a method tiering up mid-run allocates on the calling thread.
    long manyBefore = GC.GetAllocatedBytesForCurrentThread();
    for (int i = 0; i < 50 * inner; i++) f.Run(ins, outs);
    long many = GC.GetAllocatedBytesForCurrentThread() - manyBefore;
    double whole = Time(() => f.Run(ins, outs), inner);
    Console.WriteLine($"== {name}: {whole,9:F1} ns per Run, {alloc} B per 100 calls after the first, {many} B over the next {50 * inner}");
    Console.Write(f.Describe());

    // Each step alone, run repeatedly on a workspace of its own; the steps are idempotent on their inputs.
    var ws = new Workspace(f);
    for (int i = 0; i < ins.Length; i++) ws.Inputs[i].Data = ins[i].Data;
    for (int i = 0; i < outs.Length; i++) ws.Outputs[i].Data = outs[i].Data;
    foreach (var s in f.Steps) s.Run(ws);
    double sum = 0;
    foreach (var s in f.Steps)
    {
        double t = Time(() => s.Run(ws), inner);
        sum += t;
        Console.WriteLine($"  step {s.Index}: {t,9:F1} ns  {s.GetType().Name}");
    }
    Console.WriteLine($"  sum of steps {sum:F1} ns, around the steps {whole - sum:F1} ns");
}

Probe("W1", 2, 4, 3, keras: false, inner: 20000);
Probe("W1 keras", 2, 4, 3, keras: true, inner: 20000);
Probe("W2", 256, 784, 10, keras: false, inner: 200);
Probe("W2 keras", 256, 784, 10, keras: true, inner: 200);

if (only == "ops")
{
    var a = new float[16]; var bb = new float[16]; var d = new float[16];
    for (int i = 0; i < 16; i++) { a[i] = 0.1f * i; bb[i] = 1 + i; }
    foreach (int n in new[] { 1, 6, 8, 16 })
    {
        Console.WriteLine($"n={n}: exp {Time(() => Elementwise.Map<ExpOperator, float>(a.AsSpan(0, n), d.AsSpan(0, n)), 200000):F1}" +
            $" log {Time(() => Elementwise.Map<LogOperator, float>(bb.AsSpan(0, n), d.AsSpan(0, n)), 200000):F1}" +
            $" add {Time(() => Elementwise.Map<AddOperator, float>(a.AsSpan(0, n), false, bb.AsSpan(0, n), false, d.AsSpan(0, n)), 200000):F1}" +
            $" div {Time(() => Elementwise.Map<DivideOperator, float>(a.AsSpan(0, n), false, bb.AsSpan(0, n), false, d.AsSpan(0, n)), 200000):F1}" +
            $" max {Time(() => Elementwise.Map<MaxNaNOperator, float>(a.AsSpan(0, n), false, bb.AsSpan(0, n), false, d.AsSpan(0, n)), 200000):F1}");
    }
}

if (only == "lanes")
{
    var rnd = new Random(5);
    long diffs = 0;
    var v8 = new float[16]; var d8 = new double[8];
    for (int it = 0; it < 2_000_000; it++)
    {
        for (int i = 0; i < 16; i++) v8[i] = (float)((rnd.NextDouble() - 0.5) * (it % 3 == 0 ? 200 : 20));
        for (int i = 0; i < 8; i++) d8[i] = (rnd.NextDouble() - 0.5) * (it % 3 == 0 ? 1400 : 20);
        var x512 = Vector512.Create(v8); var x256 = Vector256.Create(v8);
        var e512 = ExpOperator.Invoke(x512); var e256 = ExpOperator.Invoke(x256);
        var l512 = LogOperator.Invoke(Vector512.Abs(x512)); var l256 = LogOperator.Invoke(Vector256.Abs(x256));
        for (int i = 0; i < 8; i++) if (e512[i] != e256[i] && !(float.IsNaN(e512[i]) && float.IsNaN(e256[i])) || l512[i] != l256[i] && !(float.IsNaN(l512[i]) && float.IsNaN(l256[i]))) diffs++;
        var y512 = Vector512.Create(d8); var y256 = Vector256.Create(d8);
        var f512 = ExpOperator.Invoke(y512); var f256 = ExpOperator.Invoke(y256);
        var g512 = LogOperator.Invoke(Vector512.Abs(y512)); var g256 = LogOperator.Invoke(Vector256.Abs(y256));
        for (int i = 0; i < 4; i++) if (f512[i] != f256[i] && !(double.IsNaN(f512[i]) && double.IsNaN(f256[i])) || g512[i] != g256[i] && !(double.IsNaN(g512[i]) && double.IsNaN(g256[i]))) diffs++;
    }
    Console.WriteLine($"lane differences 256 vs 512: {diffs}");
    var a = Vector512.Create(0.3f); var a2 = Vector256.Create(0.3f);
    Console.WriteLine($"exp512 {Time(() => { a = ExpOperator.Invoke(a) * 0.0f + Vector512.Create(0.3f); }, 200000):F1} exp256 {Time(() => { a2 = ExpOperator.Invoke(a2) * 0.0f + Vector256.Create(0.3f); }, 200000):F1}");
    Console.WriteLine($"log512 {Time(() => { a = LogOperator.Invoke(a) * 0.0f + Vector512.Create(0.3f); }, 200000):F1} log256 {Time(() => { a2 = LogOperator.Invoke(a2) * 0.0f + Vector256.Create(0.3f); }, 200000):F1}");
}


// W4's chain, Σ tanh(x·w + b) with both gradients, at the bench's million elements (memory-bound) and at 16K
// (in L1/L2: what the arithmetic alone costs).
if (only == "W4")
{
    foreach (int n in new[] { 1_000_000, 16_384 })
    {
        var xv = Tensor.RandomNormal(new Shape(n), seed: 41);
        var wv = Tensor.RandomNormal(new Shape(n), stddev: 0.5, seed: 42);
        var bv = Tensor.RandomNormal(new Shape(n), stddev: 0.5, seed: 43);
        var x = Var("x", n); var w = Var("w", n); var b = Var("b", n);
        var loss = Sum(Tanh(x * w + b));
        var f = Ad.Compile([loss, .. Ad.Grad(loss, w, b)], x, w, b);
        Tensor[] ins = [xv, wv, bv];
        var outs = f.CreateOutputs();
        double t = Time(() => f.Run(ins, outs), n > 100_000 ? 20 : 2000);
        Console.WriteLine($"== W4 n={n}: {t / 1000,9:F1} us per Run, {t / n:F3} ns per element, {5.0 * n * sizeof(float) / t:F1} GB/s");
        Console.Write(f.Describe());
    }
}

// float32 exp and log over 2560 floats (W2's logits) through the span driver (ours, WideMath), against the same
// loop over the runtime's float64 vector exp and log widened the same way, whose speed depends on its tiering.
if (only == "exp")
{
    var a = new float[2560]; var d = new float[2560];
    for (int i = 0; i < a.Length; i++) a[i] = (i % 37) * 0.1f - 2;
    static void RuntimeExp(float[] a, float[] d)
    {
        for (int i = 0; i < a.Length; i += 16)
        {
            var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref a[i]));
            Vector512.Narrow(Vector512.Exp(lo), Vector512.Exp(hi)).StoreUnsafe(ref d[i]);
        }
    }
    for (int r = 0; r < 3; r++)
        Console.WriteLine($"2560 floats: exp {Time(() => Elementwise.Map<ExpOperator, float>(a, d), 2000):F0} ns, " +
            $"log {Time(() => Elementwise.Map<LogOperator, float>(d, a.AsSpan(0, 2560)), 2000):F0} ns, runtime's float64 exp {Time(() => RuntimeExp(a, d), 2000):F0} ns");
}
