// Per-step cost of fresh results, with the ResultPool on and off (docs/memory.md).
//   dotnet run -c Release --project bench/PoolProbe -- [zeros|eval|tape|train|stores] [--pool-mb M] [--hold-gb G] [--steps S]
// zeros: two Tensor.Zeros of 1,000,000 float32 per step (allocate and write 8 MB, the lead's probe through the library);
// eval:  W4 through Ad.Eval (sum(tanh(x*w+b)) and the gradients of w and b); tape: W4 through GradientTape and Variables;
// train: the tape step plus an Adam update of the variables (new parameter tensors each step, read as constants next step).
// stores: the cost of writing W4's results into warm, rotating or streamed (non-temporal) arrays alone (StoreProbe.cs).
// --hold-gb keeps G GB of live arrays (and a million small objects) in gen2 to show what the pool's young collections cost there.
// --gc-cost times young collections alone; --gc-after K [--gen G] times one collection of generation G after K steps.
using System.Diagnostics;
using FunctionalAD;
using static FunctionalAD.Ex;

string mode = args.FirstOrDefault(a => !a.StartsWith("--") && !double.TryParse(a, out _)) ?? "eval";
if (mode == "stores") { StoreProbe.Run(); return; }
double Arg(string name, double dflt) { int i = Array.IndexOf(args, name); return i >= 0 ? double.Parse(args[i + 1]) : dflt; }
long poolMb = (long)Arg("--pool-mb", Settings.ResultPoolBytes >> 20);
double holdGb = Arg("--hold-gb", 0);
int steps = (int)Arg("--steps", 400);
Settings.ResultPoolBytes = poolMb << 20;

var hold = new List<object>();
for (long held = 0; held < holdGb * (1L << 30); held += 64L << 20) hold.Add(new float[16 << 20]);
if (holdGb > 0) for (int i = 0; i < 1_000_000; i++) hold.Add(new int[] { i });
GC.Collect();

const int N = 1_000_000;
var xs = new[] { Tensor.RandomNormal(new Shape(N), seed: 41), Tensor.RandomNormal(new Shape(N), seed: 51) };
var ws = new[] { Tensor.RandomNormal(new Shape(N), stddev: 0.5, seed: 42), Tensor.RandomNormal(new Shape(N), stddev: 0.5, seed: 52) };
var bs = new[] { Tensor.RandomNormal(new Shape(N), stddev: 0.5, seed: 43), Tensor.RandomNormal(new Shape(N), stddev: 0.5, seed: 53) };
var x = Var("x", N); var w = Var("w", N); var b = Var("b", N);
var loss = Sum(Tanh(x * w + b));
Expr[] outs = [loss, .. Ad.GradOf(loss, [w, b])];
var vw = new Variable(ws[0], "w"); var vb = new Variable(bs[0], "b");
var adam = new Adam(1e-4);

Tensor[] Step(int k)
{
    switch (mode)
    {
        case "zeros": return [Tensor.Zeros(N), Tensor.Zeros(N)];
        case "eval": return Ad.Eval(outs, Env.Of((x, xs[k & 1]), (w, ws[k & 1]), (b, bs[k & 1])));
        case "train":
            using (var tape = new GradientTape())
            {
                var l = Sum(Tanh(Const(xs[k & 1]) * vw.Read() + vb.Read()));
                var g = tape.Gradient(l, [vw, vb]);
                adam.Apply(g, [vw, vb]);
                return [vw.Value, vb.Value];
            }
        default:
            vw.Assign(ws[k & 1]); vb.Assign(bs[k & 1]);
            using (var tape = new GradientTape())
            {
                var l = Sum(Tanh(Const(xs[k & 1]) * vw.Read() + vb.Read()));
                var g = tape.Gradient(l, [vw, vb]);
                return [g[0]!.Value, g[1]!.Value];
            }
    }
}

for (int i = 0; i < 20; i++) Step(i);
if (args.Contains("--gc-cost"))
{
    // What one young collection costs here, alone and with the wait for finalizers the pool adds.
    foreach (bool wait in new[] { false, true, false, true })
    {
        var t = Stopwatch.StartNew();
        for (int i = 0; i < 100; i++)
        {
            GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
            if (wait) GC.WaitForPendingFinalizers();
        }
        Console.WriteLine($"gen1 collection{(wait ? " + WaitForPendingFinalizers" : "")}: {t.Elapsed.TotalMicroseconds / 100:F0} us");
    }
}
if (Array.IndexOf(args, "--gc-after") is int ga and >= 0)
{
    // What one young collection costs after k steps (k from the argument), measured alone.
    int k = int.Parse(args[ga + 1]);
    double total = 0, max = 0;
    for (int r = 0; r < 50; r++)
    {
        for (int i = 0; i < k; i++) Step(i);
        var t = Stopwatch.StartNew();
        GC.Collect((int)Arg("--gen", 1), GCCollectionMode.Forced, blocking: true, compacting: false);
        double us = t.Elapsed.TotalMicroseconds;
        total += us; max = Math.Max(max, us);
    }
    Console.WriteLine($"gen{Arg("--gen", 1)} collection after {k} {mode} steps: {total / 50:F0} us mean, {max:F0} us max");
}
var proc = Process.GetCurrentProcess();
for (int round = 0; round < 3; round++)
{
    var s0 = ResultPool.Statistics;
    int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
    proc.Refresh();
    var sys0 = proc.PrivilegedProcessorTime;
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < steps; i++) Step(i);
    sw.Stop();
    proc.Refresh();
    var s1 = ResultPool.Statistics;
    Console.WriteLine($"{mode} pool={poolMb}MB hold={holdGb}GB cpus={Environment.ProcessorCount}: {sw.Elapsed.TotalMicroseconds / steps,7:F1} us/step  " +
        $"sys {(proc.PrivilegedProcessorTime - sys0).TotalMicroseconds / steps,6:F1} us/step  gen0/1/2 {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2}  " +
        $"pool hits {s1.Hits - s0.Hits} misses {s1.Misses - s0.Misses} collections {s1.Collections - s0.Collections} ({(s1.CollectionTime - s0.CollectionTime).TotalMicroseconds / Math.Max(1, s1.Collections - s0.Collections):F0} us each) dropped {s1.Dropped - s0.Dropped} free {s1.FreeBytes >> 20} MB leased {s1.LeasedBytes >> 20} MB");
}
GC.KeepAlive(hold);
