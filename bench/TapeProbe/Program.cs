// A stopwatch probe for the tape path: the W1 step of bench/FunctionalAD.Bench (Ours/TapeRunner.cs: Variables,
// a new batch of constants, GradientTape, Losses.SparseCategoricalCrossentropy(fromLogits: true), Gradient, read
// the values), run many times, with its time and allocations broken down by phase. Not a benchmark (that is
// bench/FunctionalAD.Bench); a tool to see where a tape step goes while changing the tape, interning and the cache.
//   dotnet run -c Release --project bench/TapeProbe -- [steps=1000000] [w1|w2|w3|all]
using System.Diagnostics;
using FunctionalAD;
using static FunctionalAD.Ex;

int steps = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
string which = args.Length > 1 ? args[1] : "w1";
Settings.MaxThreads = 1;
Console.WriteLine($"load {File.ReadAllText("/proc/loadavg").Trim()}");

if (which == "ops") Ops.Run();
if (which is "w1" or "all") Probe("W1", W1(), steps);
if (which is "w2" or "all") Probe("W2", Softmax(256, 784, 10, 2), Math.Max(1, steps / 100));
if (which is "w3" or "all") Probe("W3", W3(), Math.Max(1, steps / 500));
return;

static Step W1() => Softmax(2, 4, 3, 1, [2, 0]);

static Step Softmax(int batch, int features, int classes, long seed, int[]? labels = null)
{
    labels ??= RandomLabels(batch, classes, (int)seed);
    var x = Tensor.RandomNormal(new Shape(batch, features), seed: seed);
    var w = Tensor.RandomNormal(new Shape(features, classes), stddev: 1 / Math.Sqrt(features), seed: seed + 1);
    var b = Tensor.RandomNormal(new Shape(classes), stddev: 0.1, seed: seed + 2);
    return new Step([x, Tensor.From(labels)], [w, b],
        (d, p) => Mean(Losses.SparseCategoricalCrossentropy(d[1], MatMul(d[0], p[0]) + p[1], fromLogits: true)));
}

static Step W3()
{
    const int Batch = 128, Inputs = 784, Hidden = 256, Classes = 10;
    var x = Tensor.RandomUniform(new Shape(Batch, Inputs), seed: 31);
    Tensor[] p =
    [
        Tensor.RandomNormal(new Shape(Inputs, Hidden), stddev: Math.Sqrt(2.0 / Inputs), seed: 32),
        Tensor.RandomNormal(new Shape(Hidden), stddev: 0.1, seed: 33),
        Tensor.RandomNormal(new Shape(Hidden, Classes), stddev: Math.Sqrt(2.0 / Hidden), seed: 34),
        Tensor.RandomNormal(new Shape(Classes), stddev: 0.1, seed: 35),
    ];
    var labels = Enumerable.Range(0, Batch).Select(i => (i * 7 + 3) % Classes).ToArray();
    return new Step([x, Tensor.From(labels)], p,
        (d, q) => Mean(Losses.SparseCategoricalCrossentropy(d[1], MatMul(Relu(MatMul(d[0], q[0]) + q[1]), q[2]) + q[3], fromLogits: true)));
}

static int[] RandomLabels(int count, int classes, int seed)
{
    var random = new Random(seed);
    return Enumerable.Range(0, count).Select(_ => random.Next(classes)).ToArray();
}

static void Probe(string name, Step s, int steps)
{
    for (int i = 0; i < Math.Min(steps, 2000); i++) s.Run(null);
    var phases = new Phases();
    // Best of 3 rounds, per phase.
    var best = new Phases();
    for (int r = 0; r < 7; r++)
    {
        phases.Clear();
        for (int i = 0; i < steps; i++) s.Run(phases);
        best.Min(phases);
    }
    // The whole step without phase marks: best of many short bursts, which on a shared machine more often run alone.
    var whole = double.MaxValue;
    long wholeBytes = 0;
    int burst = Math.Max(1, steps / 20);
    for (int r = 0; r < 60; r++)
    {
        long b0 = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < burst; i++) s.Run(null);
        whole = Math.Min(whole, Stopwatch.GetElapsedTime(t0).TotalMicroseconds / burst);
        wholeBytes = (GC.GetAllocatedBytesForCurrentThread() - b0) / burst;
    }
    Console.WriteLine($"{name}: whole step {whole:F3} us, {wholeBytes} B (no phase timers; best of 60 bursts of {burst} steps)");
    for (int p = 0; p < Phases.Names.Length; p++)
        Console.WriteLine($"  {Phases.Names[p],-34} {best.Ticks[p] * 1e6 / Stopwatch.Frequency / steps,8:F3} us {best.Bytes[p] / steps,7} B");
    var stats = PlanCache.Statistics;
    Console.WriteLine($"  cache: {stats}");
}

sealed class Phases
{
    public static readonly string[] Names = ["assign variables", "batch constants", "new tape", "read variables", "forward (matmul, add)", "loss (Keras SCCE)", "mean", "tape.Gradient", "read values", "dispose tape"];
    public readonly long[] Ticks = new long[Names.Length];
    public readonly long[] Bytes = new long[Names.Length];
    private long _t, _b;
    private int _p;

    public void Clear()
    {
        Array.Clear(Ticks);
        Array.Clear(Bytes);
    }

    public void Min(Phases o)
    {
        for (int i = 0; i < Ticks.Length; i++)
        {
            Ticks[i] = Ticks[i] == 0 ? o.Ticks[i] : Math.Min(Ticks[i], o.Ticks[i]);
            Bytes[i] = o.Bytes[i];
        }
    }

    public void Start()
    {
        _p = 0;
        _b = GC.GetAllocatedBytesForCurrentThread();
        _t = Stopwatch.GetTimestamp();
    }

    public void Mark()
    {
        long t = Stopwatch.GetTimestamp();
        long b = GC.GetAllocatedBytesForCurrentThread();
        Ticks[_p] += t - _t;
        Bytes[_p] += b - _b;
        _p++;
        _b = GC.GetAllocatedBytesForCurrentThread();
        _t = Stopwatch.GetTimestamp();
    }
}

/// <summary>TapeRunner's step, with phase marks: variables assigned the next copy, a new batch of constants, a tape, the loss, the gradients' values.</summary>
sealed class Step
{
    private readonly Variable[] _vars;
    private readonly Tensor[][] _data, _params;
    private readonly Func<Expr[], Expr[], Expr> _loss;
    private int _next;

    public Step(Tensor[] data, Tensor[] parameters, Func<Expr[], Expr[], Expr> loss)
    {
        _vars = parameters.Select((p, i) => new Variable(p, $"p{i}")).ToArray();
        _data = Enumerable.Range(0, 3).Select(_ => data.Select(Copy).ToArray()).ToArray();
        _params = Enumerable.Range(0, 3).Select(_ => parameters.Select(Copy).ToArray()).ToArray();
        _loss = loss;
    }

    private static Tensor Copy(Tensor t) => t.DType == DType.Int32 ? Tensor.From(t.ToArray<int>(), t.Shape) : Tensor.From(t.ToArray<float>(), t.Shape);

    public void Run(Phases? ph)
    {
        ph?.Start();
        var values = _params[_next];
        var data = _data[_next];
        _next = (_next + 1) % 3;
        for (int i = 0; i < _vars.Length; i++) _vars[i].Assign(values[i]);
        ph?.Mark();
        var batch = new Expr[data.Length];
        for (int i = 0; i < batch.Length; i++) batch[i] = Const(data[i]);
        ph?.Mark();
        using (var tape = new GradientTape())
        {
            ph?.Mark();
            var reads = new Expr[_vars.Length];
            for (int i = 0; i < reads.Length; i++) reads[i] = _vars[i].Read();
            ph?.Mark();
            Expr loss;
            if (ph is null) loss = _loss(batch, reads);
            else
            {
                // The same loss, split by phase (only for the softmax workloads; W3 is timed whole under "loss").
                if (reads.Length == 2)
                {
                    var logits = MatMul(batch[0], reads[0]) + reads[1];
                    ph.Mark();
                    var per = Losses.SparseCategoricalCrossentropy(batch[1], logits, fromLogits: true);
                    ph.Mark();
                    loss = Mean(per);
                    ph.Mark();
                }
                else
                {
                    ph.Mark();
                    loss = _loss(batch, reads);
                    ph.Mark();
                    ph.Mark();
                }
            }
            var grads = tape.Gradient(loss, _vars);
            ph?.Mark();
            for (int i = 0; i < grads.Count; i++)
                if (grads[i]?.Value is null) throw new InvalidOperationException("no gradient");
            ph?.Mark();
        }
        ph?.Mark();
    }
}
static class Ops
{
    public static void Run()
    {
        var t = Tensor.RandomNormal(new Shape(2, 3), seed: 1);
        var lab = Tensor.From(new[] { 2, 0 });
        void Time(string name, Func<Expr, Expr> f)
        {
            double best = double.MaxValue;
            var xs = new Expr[16];
            for (int r = 0; r < 5; r++)
            {
                long ticks = 0; int n = 0;
                for (int k = 0; k < 20000; k++)
                {
                    using var tape = new GradientTape();
                    var seedc = Const(t); tape.Watch(seedc);
                    for (int i = 0; i < xs.Length; i++) xs[i] = seedc * 1f + Const(t);  // distinct connected nodes
                    long t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < xs.Length; i++) f(xs[i]);
                    ticks += Stopwatch.GetTimestamp() - t0; n += xs.Length;
                }
                best = Math.Min(best, ticks * 1e9 / Stopwatch.Frequency / n);
            }
            Console.WriteLine($"  {name,-30} {best,7:F1} ns");
        }
        Time("const", x => Const(t));
        Time("x + x", x => x + x);
        Time("x - x", x => x - x);
        Time("sum(x,-1)", x => Sum(x, -1));
        Time("max(x,-1,keep)", x => Max(x, -1, keepDims: true));
        Time("stopgrad", x => StopGradient(x));
        Time("greater(x, lit0)", x => Greater(x, 0f));
        Time("zeroslike", x => ZerosLike(x));
        Time("where(x,x,x)", x => Where(x, x, x));
        Time("lse(x,-1)", x => LogSumExp(x, -1));
        Time("matmul", x => MatMul(x, Reshape(x, 3, 2)));
        Time("onehot(lab)", x => OneHot(Const(lab), 3));
        Time("literal", x => (Expr)1f);
        Time("mean", x => Mean(x));
    }
}
