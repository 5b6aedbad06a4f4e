// `PoolProbe stores`: what writing W4's two 4 MB results costs by where they land, without the library around it.
// One loop reads x, w, b (12 MB, the same arrays every step, so warm) and writes g = 1 - t*t and g*x (t = x*w + b) into
//   warm     the same two arrays every step (what CompiledFunction.Run into reused outputs does),
//   rotN     N pairs of arrays in turn (what the ResultPool hands out between two collections: 16 pairs for W4 at 256 MiB),
//   NT       the 32-pair rotation, or the warm pair, written with non-temporal (streaming) stores: each vector is combined with
//            the previous one so every store lands on a 64-byte boundary (LOH arrays are only 8-byte aligned), the
//            first vector of a run is stored plainly, and a store fence ends the run.
// Best of bursts; the NT results are checked bitwise against the plain ones.
using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

static unsafe class StoreProbe
{
    const int N = 1_000_000, Pairs = 32;

    public static void Run()
    {
        if (!Avx512F.IsSupported) { Console.WriteLine("stores: needs AVX-512"); return; }
        var rng = new Random(1);
        float[] Fill() { var a = new float[N]; for (int i = 0; i < N; i++) a[i] = rng.NextSingle() - 0.5f; return a; }
        float[] x = Fill(), w = Fill(), b = Fill();
        var outs = new float[2 * Pairs][];
        for (int i = 0; i < outs.Length; i++) { outs[i] = new float[N]; outs[i].AsSpan().Fill(1); }

        // The streaming stores must write what the plain ones do, whatever the arrays' alignment.
        var plainW = new float[N]; var plainB = new float[N];
        Step(x, w, b, plainW, plainB, nt: false);
        for (int p = 0; p < 8; p++)
        {
            Step(x, w, b, outs[2 * p], outs[2 * p + 1], nt: true);
            if (!outs[2 * p].AsSpan().SequenceEqual(plainW) || !outs[2 * p + 1].AsSpan().SequenceEqual(plainB))
                throw new InvalidOperationException("streaming stores wrote different values");
        }

        var cases = new (string Name, int Rotation, bool Nt)[]
        {
            ("warm", 1, false), ("rot2", 2, false), ("rot4", 4, false), ("rot16", 16, false), ("rot32", 32, false),
            ("rot32 NT", 32, true), ("warm NT", 1, true),
        };
        for (int round = 0; round < 3; round++)
        {
            var line = new List<string>();
            foreach (var (name, rotation, nt) in cases)
            {
                double best = double.MaxValue;
                for (int burst = 0; burst < 12; burst++)
                {
                    var sw = Stopwatch.StartNew();
                    for (int k = 0; k < 32; k++) { int p = k % rotation; Step(x, w, b, outs[2 * p], outs[2 * p + 1], nt); }
                    best = Math.Min(best, sw.Elapsed.TotalMicroseconds / 32);
                }
                line.Add($"{name} {best:F0}");
            }
            Console.WriteLine("stores us/step: " + string.Join("  ", line));
        }
    }

    static void Step(float[] x, float[] w, float[] b, float[] gw, float[] gb, bool nt)
    {
        var iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        Vector512<float> prevW = default, prevB = default, sum = default;
        fixed (float* px = x, pw = w, pb = b, qw = gw, qb = gb)
        {
            for (int i = 0; i + 16 <= N; i += 16)
            {
                var xv = Vector512.Load(px + i);
                var t = xv * Vector512.Load(pw + i) + Vector512.Load(pb + i);
                sum += t;
                var g = Vector512<float>.One - t * t;
                var g2 = g * xv;
                if (!nt) { Vector512.Store(g, qb + i); Vector512.Store(g2, qw + i); continue; }
                Stream(qb + i, g, prevB, i == 0, iota);
                Stream(qw + i, g2, prevW, i == 0, iota);
                prevB = g; prevW = g2;
            }
            if (nt)
            {
                // The last vector's tail past the last aligned store.
                Vector512.Store(prevB, qb + (N / 16 * 16 - 16));
                Vector512.Store(prevW, qw + (N / 16 * 16 - 16));
                Sse.StoreFence();
            }
            for (int i = N / 16 * 16; i < N; i++) { float t = x[i] * w[i] + b[i]; gb[i] = 1 - t * t; gw[i] = gb[i] * x[i]; }
        }
        GC.KeepAlive(sum);
    }

    /// <summary>Stores v (elements i..i+15 at p) as the aligned vector that ends where v's misalignment starts.</summary>
    static void Stream(float* p, Vector512<float> v, Vector512<float> prev, bool first, Vector512<int> iota)
    {
        if (first) { Vector512.Store(v, p); return; }
        nuint a = (nuint)p;
        int sh = (int)(a & 63) >> 2;
        // Lane j takes prev[16 - sh + j] for j < sh and v[j - sh] after: one two-source permute.
        var o = Avx512F.PermuteVar16x32x2(prev, iota + Vector512.Create(16 - sh), v);
        Vector512.StoreAlignedNonTemporal(o, (float*)(a & ~(nuint)63));
    }
}
