using FsCheck.Xunit;
using FunctionalAD;
using FunctionalAD.Testing;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>Compiled functions compute what the reference interpreter computes, allocate nothing when warm, and run concurrently.</summary>
public class CompileProperties
{
    // ---- random expressions over the catalogue ----

    /// <summary>A random program over a matrix domain R×C, mixing every fusable shape relation with unfused kernels.</summary>
    private sealed class Gen(System.Random r, int rows, int cols, DType dt)
    {
        private readonly int rows = rows, cols = cols;
        public readonly Expr A = Ex.Var("a", new Shape(rows, cols), dt);
        public readonly Expr C = Ex.Var("c", new Shape(rows, cols), dt);
        public readonly Expr B = Ex.Var("b", new Shape(cols), dt);
        public readonly Expr Col = Ex.Var("col", new Shape(rows, 1), dt);
        public readonly Expr S = Ex.Var("s", Shape.Scalar, dt);
        public readonly Expr W = Ex.Var("w", new Shape(cols, cols), dt);
        private readonly Shape _dom = new(rows, cols);

        public Expr[] Vars => new[] { A, C, B, Col, S, W };

        private Expr Lit(double v) => Ex.Const(Tensor.Full(Shape.Scalar, v, dt));

        /// <summary>An operand that broadcasts to the domain: full, row vector, column, scalar, constant or literal.</summary>
        private Expr Operand(int depth) => r.Next(8) switch
        {
            0 => B,
            1 => Col,
            2 => S,
            3 => Ex.Const(Tensor.RandomNormal(_dom, seed: (long)r.Next(), dtype: dt)),
            4 => Lit(Math.Round(r.NextDouble() * 4 - 2, 2)),
            _ => E(depth),
        };

        public Expr E(int depth)
        {
            if (depth <= 0) return r.Next(3) switch { 0 => A, 1 => C, _ => Ex.BroadcastTo(B, _dom) };
            var x = E(depth - 1);
            return r.Next(31) switch
            {
                24 => cols > 1
                    ? Ex.Concat(new[] { Ex.Slice(x, new[] { 0, 0 }, new[] { rows, 1 }) * 2.0, Ex.Slice(x, new[] { 0, 1 }, new[] { rows, cols - 1 }) }, 1)
                    : Ex.Pad(Ex.Slice(x, new[] { 0, 0 }, new[] { rows, 1 }), new[] { 0, 0 }, new[] { 0, 0 }) + 1.0,
                25 => x / (Ex.Norm(x, new[] { 1 }, keepDims: true) + 1.0),
                26 => x - Ex.Min(Operand(depth - 1) * x, 1, keepDims: true),
                27 => Ex.Sign(x) * Operand(depth - 1) + Ex.StopGradient(x) * x,
                28 => Ex.Cast(Ex.Cast(x, DType.Float32), DType.Float64) * Operand(depth - 1),
                29 => Ex.Reshape(Ex.Reshape(x, rows * cols) * Ex.Reshape(Ex.BroadcastTo(B, _dom), rows * cols), rows, cols),
                30 => Ex.Transpose(Ex.MatMul(W, x, transposeA: false, transposeB: true)) + Ex.LessEqual(x, Operand(depth - 1)),
                0 => Ex.Tanh(x),
                1 => Ex.Sigmoid(x),
                2 => Ex.Exp(Ex.Tanh(x)),
                3 => Ex.Relu(x),
                4 => Ex.Abs(x) + Operand(depth - 1),
                5 => Ex.Sin(x) * Operand(depth - 1),
                6 => -x + Ex.Cos(Operand(depth - 1)),
                7 => Ex.Softplus(x),
                8 => Ex.Log(Ex.Abs(x) + 1.0) - Operand(depth - 1),
                9 => Ex.Sqrt(x * x + 1.0),
                10 => x / (Operand(depth - 1) * Operand(depth - 1) + 1.0),
                11 => Ex.Maximum(x, Operand(depth - 1)),
                12 => Ex.Minimum(Operand(depth - 1), x),
                13 => Ex.Where(Ex.Greater(x, Operand(depth - 1)), x, Operand(depth - 1)),
                14 => Ex.Softmax(x),
                15 => Ex.LogSoftmax(x) * Operand(depth - 1),
                16 => x - Ex.LogSumExp(x, -1, keepDims: true),
                17 => x * Ex.Sum(x, 1, keepDims: true),
                18 => x + Ex.Max(Operand(depth - 1) * x, 1, keepDims: true),
                19 => x - Ex.Mean(x, 0),
                20 => Ex.MatMul(x, W),
                21 => Ex.Transpose(Ex.Transpose(x) * 2.0),
                22 => Ex.Pow(Ex.Abs(x) + 1.0, Lit(1.5)),
                _ => x * Operand(depth - 1) + Operand(depth - 1),
            };
        }

        public Tensor[] Values(int seed) => Vars.Select((v, i) => Tensor.RandomNormal(v.Shape, seed: (long)(seed * 7 + i), dtype: dt)).ToArray();
    }

    private static Env EnvOf(Expr[] vars, Tensor[] values) =>
        Env.Of(vars.Select((v, i) => (v, values[i])).ToArray());

    private static void AssertClose(Tensor[] want, Tensor[] got, double rtol, double atol, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            Assert.True(want[i].AllClose(got[i], rtol, atol), $"output {i} differs\n{what}\nwant {want[i]}\ngot  {got[i]}");
    }

    [Property(MaxTest = 100)]
    public void Compiled_values_and_gradients_equal_the_interpreter(int seed, byte rows, byte cols, byte depth)
    {
        var g = new Gen(new System.Random(seed), 1 + rows % 5, 1 + cols % 9, DType.Float64);
        var e = g.E(1 + depth % 4);
        var loss = Ex.Sum(e * e) / 2.0;
        var outputs = new[] { loss, e }.Concat(Ad.Grad(loss, g.Vars)).ToArray();
        var f = Ad.Compile(outputs, g.Vars);
        var values = g.Values(seed);
        var want = Ad.Eval(outputs, EnvOf(g.Vars, values));
        AssertClose(want, f.Run(values), 1e-9, 1e-12, $"{e}\n{f.Describe()}");
    }

    [Property(MaxTest = 40)]
    public void Float32_programs_agree_within_float_rounding(int seed, byte rows, byte cols)
    {
        var r = new System.Random(seed);
        int n = 1 + rows % 40, c = 1 + cols % 20;
        var x = Var("x", n, c);
        var w = Var("w", c, 7);
        var b = Var("b", 7);
        var labels = Const(Tensor.From(Enumerable.Range(0, n).Select(_ => r.Next(7)).ToArray()));
        var h = Tanh(MatMul(x, w) + b);
        var loss = Mean(-Sum(OneHot(labels, 7) * LogSoftmax(h * 3f), 1)) + Sum(Relu(h)) / 10f;
        var outputs = new[] { loss, Softmax(h) }.Concat(Ad.Grad(loss, x, w, b)).ToArray();
        var f = Ad.Compile(outputs, x, w, b);
        var values = new[] { x, w, b }.Select((v, i) => Tensor.RandomNormal(v.Shape, seed: (long)(seed + i))).ToArray();
        var want = Ad.Eval(outputs, EnvOf(new[] { x, w, b }, values));
        AssertClose(want, f.Run(values), 2e-4, 2e-5, f.Describe());
    }

    /// <summary>A random element-wise float32 program over vectors, the kind that runs as one register-fused loop.</summary>
    private static Expr Elementwise(System.Random r, Expr[] vs, int depth)
    {
        Expr Leaf() => r.Next(4) switch
        {
            0 => Ex.Const(Tensor.Full(Shape.Scalar, Math.Round(r.NextDouble() * 4 - 2, 2))),
            _ => vs[r.Next(vs.Length)],
        };
        if (depth == 0) return Leaf();
        Expr x = Elementwise(r, vs, depth - 1), y = r.Next(2) == 0 ? Leaf() : Elementwise(r, vs, depth - 1);
        return r.Next(19) switch
        {
            14 => Ex.Exp(Ex.Tanh(x)) * y,
            15 => Ex.Log(x * x + 1f) - y,
            16 => Ex.Sin(x) + Ex.Cos(y),
            17 => Ex.Sigmoid(x * y),
            18 => Ex.Softplus(x) + y,
            0 => x + y,
            1 => x - y,
            2 => x * y,
            3 => x / (y * y + 1f),
            4 => Ex.Maximum(x, y),
            5 => Ex.Minimum(x, y),
            6 => Ex.Tanh(x) * y,
            7 => Ex.Relu(x) + Ex.Abs(y),
            8 => -Ex.Sqrt(x * x + 1f),
            9 => Ex.Where(Ex.Greater(x, y), x, y * 0.5f),
            10 => Ex.LessEqual(x, y) * x,
            11 => Ex.Sign(x) * y,
            12 => x * y + x,
            _ => Ex.Tanh(x * y + 0.25f),
        };
    }

    [Property(MaxTest = 60)]
    public void Register_fused_float32_loops_equal_the_interpreter(int seed, byte length, byte depth)
    {
        var r = new System.Random(seed);
        int n = length % 3 == 0 ? length : length % 40;
        var vs = new[] { Var("p", n), Var("q", n), Var("u", n) };
        var e = Elementwise(r, vs, 1 + depth % 4);
        var loss = Sum(e * vs[0]);
        var outputs = new[] { loss, e }.Concat(Ad.Grad(loss, vs)).ToArray();
        var f = Ad.Compile(outputs, vs);
        var values = vs.Select((v, i) => Tensor.RandomNormal(v.Shape, seed: (long)(seed + i))).ToArray();
        var want = Ad.Eval(outputs, EnvOf(vs, values));
        AssertClose(want, f.Run(values), 1e-4, 1e-4, $"{e}\n{f.Describe()}");
    }

    // ---- fused kernels against scalar code ----

    [Fact]
    public void Fused_span_kernels_equal_scalar_code_for_every_length()
    {
        var r = new System.Random(5);
        for (int n = 0; n <= 257; n++)
        {
            // Some exact ties so equality and the tie share are exercised.
            var a = Enumerable.Range(0, n).Select(_ => Math.Round(r.NextDouble() * 6 - 3, 1)).ToArray();
            var b = Enumerable.Range(0, n).Select(_ => Math.Round(r.NextDouble() * 6 - 3, 1)).ToArray();
            var af = a.Select(v => (float)v).ToArray();
            var bf = b.Select(v => (float)v).ToArray();
            double s = 0.5;
            foreach (Comparison k in Enum.GetValues<Comparison>())
            {
                var op = new CompareOp(k);
                Func<double, double, double> want = k switch
                {
                    Comparison.Greater => (x, y) => x > y ? 1 : 0,
                    Comparison.GreaterEqual => (x, y) => x >= y ? 1 : 0,
                    Comparison.Less => (x, y) => x < y ? 1 : 0,
                    Comparison.LessEqual => (x, y) => x <= y ? 1 : 0,
                    Comparison.Equal => (x, y) => x == y ? 1 : 0,
                    _ => (x, y) => x != y ? 1 : 0,
                };
                var d = new double[n];
                op.VV<double>(a, b, d);
                Assert.Equal(a.Zip(b, want), d);
                op.VS<double>(a, s, d);
                Assert.Equal(a.Select(x => want(x, s)), d);
                op.SV<double>(s, b, d);
                Assert.Equal(b.Select(y => want(s, y)), d);
                var df = new float[n];
                op.VV<float>(af, bf, df);
                Assert.Equal(af.Zip(bf, (x, y) => (float)want(x, y)), df);
            }
            var t = new double[n];
            TieShareOp.Instance.VV<double>(a, b, t);
            Assert.Equal(a.Zip(b, (x, y) => x > y ? 1.0 : x == y ? 0.5 : 0.0), t);
            var tf = new float[n];
            TieShareOp.Instance.VS<float>(af, 0.5f, tf);
            Assert.Equal(af.Select(x => x > 0.5f ? 1f : x == 0.5f ? 0.5f : 0f), tf);
            var sel = new double[n];
            WhereOp.Select<double>(a, b, false, new[] { 7.0 }, true, sel);
            Assert.Equal(a.Zip(b, (c, x) => c != 0 ? x : 7.0), sel);
            var sg = new float[n];
            SignOp.Instance.Map<float>(af, sg);
            Assert.Equal(af.Select(x => x > 0 ? 1f : x < 0 ? -1f : 0f), sg);
            var th = new float[n];
            var wide = af.Select(x => x * 3f).ToArray();
            TanhOp.Instance.Map<float>(wide, th);
            Assert.Equal(wide.Select(TanhOperator.Invoke), th);
            Assert.All(wide.Zip(th), p => Assert.True(Math.Abs(p.Item2 - Math.Tanh(p.Item1)) <= 4e-7 * Math.Max(1e-3, Math.Abs(Math.Tanh(p.Item1)))));
        }
    }

    [Fact]
    public void Fast_tanh_handles_special_values()
    {
        var x = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-30f, 20f, -20f };
        var d = new float[16];
        var xs = x.Concat(x).ToArray();
        TanhOp.Instance.Map<float>(xs, d);
        Assert.True(float.IsNaN(d[0]) && float.IsNaN(d[8]));
        Assert.Equal(new[] { 1f, -1f, 0f, -0f, 1e-30f, 1f, -1f }, d[1..8]);
    }

    [Fact]
    public void Fused_groups_equal_the_interpreter_for_every_length()
    {
        foreach (var n in Enumerable.Range(0, 258).Concat(new[] { 1023, 1024, 1025, 2049 }))
        {
            var x = Var64("x", n);
            var y = Var64("y", n);
            var body = Where(Greater(x, y), Tanh(x) * y + 1.0, Exp(-Abs(x))) - Maximum(x, 0.25);
            var outputs = new[] { body, Sum(body * x) }.Concat(Ad.Grad(Sum(body * x), x, y)).ToArray();
            var f = Ad.Compile(outputs, x, y);
            var values = new[] { Tensor.RandomNormal(new Shape(n), seed: 1, dtype: DType.Float64), Tensor.RandomNormal(new Shape(n), seed: 2, dtype: DType.Float64) };
            AssertClose(Ad.Eval(outputs, EnvOf(new[] { x, y }, values)), f.Run(values), 1e-12, 1e-12, $"n = {n}\n{f.Describe()}");

            var xf = Var("xf", n);
            var lossF = Sum(Tanh(xf * 1.5f + 0.5f));
            var ff = Ad.Compile(new[] { lossF }.Concat(Ad.Grad(lossF, xf)).ToArray(), xf);
            var vf = Tensor.RandomNormal(new Shape(n), seed: 3);
            AssertClose(Ad.Eval(new[] { lossF }.Concat(Ad.Grad(lossF, xf)).ToArray(), Env.Of((xf, vf))), ff.Run(vf), 1e-5, 1e-5, $"n = {n}");
            // Where the hardware has 512-bit vectors this program runs as a register-fused loop (plus a scalar tail).
            if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) Assert.Contains("fused vector", ff.Describe());
        }
    }

    [Fact]
    public void Bias_rows_are_read_in_place_by_register_fused_loops()
    {
        foreach (var (rows, cols) in new[] { (1, 16), (3, 32), (5, 48), (0, 16), (4, 17) })
        {
            var z = Var("z", rows, cols);
            var b = Var("b", cols);
            var h = Relu(z + b);
            var loss = Sum(Tanh(h) * z - b * 0.5f);
            var outputs = new[] { loss, h, Greater(z + b, 0f) }.Concat(Ad.Grad(loss, z, b)).ToArray();
            var f = Ad.Compile(outputs, z, b);
            var values = new[] { Tensor.RandomNormal(new Shape(rows, cols), seed: 5), Tensor.RandomNormal(new Shape(cols), seed: 6) };
            AssertClose(Ad.Eval(outputs, EnvOf(new[] { z, b }, values)), f.Run(values), 1e-5, 1e-6, f.Describe());
            if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && cols % 16 == 0 && rows > 0)
                Assert.Contains("fused vector", f.Describe());
        }
    }

    // ---- the plan ----

    private static (Expr[] Outputs, Expr[] Inputs, Tensor[] Values) Classifier(int batch, int features, int hidden, int classes, int seed)
    {
        var x = Const(Tensor.RandomNormal(new Shape(batch, features), seed: (long)seed));
        var y = Const(Tensor.From(Enumerable.Range(0, batch).Select(i => (i * 7 + seed) % classes).ToArray()));
        var w1 = Var("w1", features, hidden);
        var b1 = Var("b1", hidden);
        var w2 = Var("w2", hidden, classes);
        var b2 = Var("b2", classes);
        var logits = MatMul(Relu(MatMul(x, w1) + b1), w2) + b2;
        var loss = Mean(-Sum(OneHot(y, classes) * LogSoftmax(logits), 1));
        var ins = new[] { w1, b1, w2, b2 };
        var vals = ins.Select((v, i) => Tensor.RandomNormal(v.Shape, stddev: 0.2, seed: (long)(seed * 10 + i))).ToArray();
        return (new[] { loss }.Concat(Ad.Grad(loss, ins)).ToArray(), ins, vals);
    }

    [Fact]
    public void Cross_entropy_from_logits_runs_as_one_fused_pass()
    {
        var x = Const(Tensor.RandomNormal(new Shape(2, 4), seed: 1));
        var w = Var("w", 4, 3);
        var b = Var("b", 3);
        var y = Const(Tensor.From(new[] { 2, 0 }));
        var loss = Mean(-Sum(OneHot(y, 3) * LogSoftmax(MatMul(x, w) + b), 1));
        var outputs = new[] { loss }.Concat(Ad.Grad(loss, w, b)).ToArray();
        var f = Ad.Compile(outputs, w, b);
        var plan = f.Describe();
        // One pass over the logits computes log-sum-exp, the loss rows, d logits and the bias gradient.
        var fused = plan.Split('\n').Where(l => l.Contains("logsumexp")).ToArray();
        Assert.Single(fused);
        Assert.Contains("fused rows", fused[0]);
        Assert.Contains("sum/col", fused[0]);
        Assert.Equal(2, plan.Split('\n').Count(l => l.Contains("gemm")));
        var values = new[] { Tensor.RandomNormal(new Shape(4, 3), seed: 2), Tensor.RandomNormal(new Shape(3), seed: 3) };
        AssertClose(Ad.Eval(outputs, EnvOf(new[] { w, b }, values)), f.Run(values), 1e-5, 1e-6, plan);
    }

    [Fact]
    public void Steady_state_runs_allocate_nothing()
    {
        var (outputs, ins, vals) = Classifier(64, 48, 32, 10, 1);
        var x = Var("x", 1000);
        var t = Var("t", 1000);
        var elementwise = Sum(Tanh(x * t + 0.5f));
        foreach (var (f, v) in new[]
        {
            (Ad.Compile(outputs, ins), vals),
            (Ad.Compile(new[] { elementwise }.Concat(Ad.Grad(elementwise, x, t)).ToArray(), x, t),
                new[] { Tensor.RandomNormal(new Shape(1000), seed: 1), Tensor.RandomNormal(new Shape(1000), seed: 2) }),
        })
        {
            var o = f.CreateOutputs();
            for (int i = 0; i < 5; i++) f.Run(v, o);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++) f.Run(v, o);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void Threaded_products_allocate_nothing_and_match_one_thread()
    {
        // 128×256×128 is past the threading threshold, so the products split over the worker pool.
        var (outputs, ins, vals) = Classifier(128, 128, 256, 10, 4);
        var f = Ad.Compile(outputs, ins);
        int before = Settings.MaxThreads;
        try
        {
            Settings.MaxThreads = 1;
            var single = f.Run(vals);
            Settings.MaxThreads = 3;
            var o = f.CreateOutputs();
            for (int i = 0; i < 3; i++) f.Run(vals, o);
            long start = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) f.Run(vals, o);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - start);
            AssertClose(single, o, 0, 0, f.Describe());
        }
        finally
        {
            Settings.MaxThreads = before;
        }
    }

    [Fact]
    public async Task Concurrent_calls_give_the_sequential_results()
    {
        var (outputs, ins, _) = Classifier(32, 20, 16, 5, 2);
        var f = Ad.Compile(outputs, ins);
        var inputs = Enumerable.Range(0, 8)
            .Select(k => ins.Select((v, i) => Tensor.RandomNormal(v.Shape, stddev: 0.3, seed: (long)(100 * k + i))).ToArray()).ToArray();
        var sequential = inputs.Select(v => f.Run(v)).ToArray();
        using var start = new Barrier(inputs.Length);
        var tasks = inputs.Select((v, k) => Task.Factory.StartNew(() =>
        {
            var o = f.CreateOutputs();
            start.SignalAndWait();
            for (int rep = 0; rep < 50; rep++)
            {
                f.Run(v, o);
                for (int i = 0; i < o.Length; i++)
                    if (!o[i].AllClose(sequential[k][i], 0, 0)) return false;
            }
            return true;
        }, TaskCreationOptions.LongRunning)).ToArray();
        var ok = await Task.WhenAll(tasks);
        Assert.All(ok, Assert.True);
    }

    [Fact]
    public void Compiled_classifier_equals_the_interpreter()
    {
        var (outputs, ins, vals) = Classifier(50, 30, 20, 10, 3);
        var f = Ad.Compile(outputs, ins);
        AssertClose(Ad.Eval(outputs, EnvOf(ins, vals)), f.Run(vals), 1e-4, 1e-5, f.Describe());
    }

    [Fact]
    public void Outputs_that_are_inputs_constants_or_reshapes_are_copied_out()
    {
        var x = Var64("x", 2, 3);
        var c = Const(Tensor.Full(new Shape(3), 4, DType.Float64));
        var outputs = new Expr[] { x, c, Reshape(x * 2.0, 3, 2), Reshape(x * 2.0, 6), Transpose(x), Slice(x, new[] { 0, 1 }, new[] { 2, 2 }), Pad(x, new[] { 1, 0 }, new[] { 0, 1 }), Concat(new[] { x, x * x }, 1) };
        var f = Ad.Compile(outputs, x);
        var v = Tensor.RandomNormal(new Shape(2, 3), seed: 4, dtype: DType.Float64);
        AssertClose(Ad.Eval(outputs, Env.Of((x, v))), f.Run(v), 0, 0, f.Describe());
    }

    [Fact]
    public void Integer_labels_can_be_inputs()
    {
        var logits = Var("z", 4, 5);
        var labels = Var("y", new Shape(4), DType.Int32);
        var loss = Mean(-Sum(OneHot(labels, 5) * LogSoftmax(logits), 1));
        var outputs = new[] { loss }.Concat(Ad.Grad(loss, logits)).ToArray();
        var f = Ad.Compile(outputs, logits, labels);
        var z = Tensor.RandomNormal(new Shape(4, 5), seed: 9);
        foreach (var y in new[] { new[] { 0, 4, 2, 2 }, new[] { 1, 1, 3, 0 } })
        {
            var yt = Tensor.From(y);
            AssertClose(Ad.Eval(outputs, Env.Of((logits, z), (labels, yt))), f.Run(z, yt), 1e-5, 1e-6, f.Describe());
        }
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(3, 0)]
    [InlineData(0, 0)]
    public void Empty_tensors_compile_and_run(int rows, int cols)
    {
        var x = Var64("x", rows, cols);
        var w = Var64("w", cols, 2);
        var h = Softmax(MatMul(x, w) + 1.0) * Sum(Tanh(x), 1, keepDims: true);
        var loss = Sum(h) + Sum(LogSumExp(x * 2.0, 1));
        var outputs = new[] { loss, h }.Concat(Ad.Grad(loss, x, w)).ToArray();
        var f = Ad.Compile(outputs, x, w);
        var values = new[] { Tensor.Zeros(new Shape(rows, cols), DType.Float64), Tensor.Ones(new Shape(cols, 2), DType.Float64) };
        AssertClose(Ad.Eval(outputs, EnvOf(new[] { x, w }, values)), f.Run(values), 1e-12, 1e-12, f.Describe());
    }

    [Fact]
    public void Second_derivatives_compile_too()
    {
        var x = Var64("x", 4);
        var w = Var64("w", 4, 4);
        var y = Sum(Tanh(MatMul(Reshape(x, 1, 4), w)) * Reshape(x, 1, 4)) + LogSumExp(x * x);
        var outputs = new[] { y, Ad.Hessian(y, x), Ad.Grad(Sum(Ad.Grad(y, x)[0] * x), w)[0] };
        var f = Ad.Compile(outputs, x, w);
        var values = new[] { Tensor.RandomNormal(new Shape(4), seed: 7, dtype: DType.Float64), Tensor.RandomNormal(new Shape(4, 4), seed: 8, dtype: DType.Float64) };
        AssertClose(Ad.Eval(outputs, EnvOf(new[] { x, w }, values)), f.Run(values), 1e-10, 1e-12, f.Describe());
    }

    // ---- errors ----

    [Fact]
    public void Bad_calls_say_what_to_fix()
    {
        var x = Var("x", 3);
        var y = Var("y", 3);
        var e = Assert.Throws<FunctionalADException>(() => Ad.Compile(new[] { x + y }, x));
        Assert.Contains("'y'", e.Message);
        var f = Ad.Compile(new[] { x * 2f }, x);
        Assert.Contains("shape", Assert.Throws<ShapeException>(() => f.Run(Tensor.Zeros(4))).Message);
        Assert.Throws<DTypeException>(() => f.Run(Tensor.Zeros(new Shape(3), DType.Float64)));
        Assert.Contains("takes 1", Assert.Throws<FunctionalADException>(() => f.Run(Array.Empty<Tensor>())).Message);
        Assert.Throws<ShapeException>(() => f.Run(new[] { Tensor.Zeros(3) }, new[] { Tensor.Zeros(2) }));
    }
}
