using FsCheck;
using FsCheck.Fluent;
using FunctionalAD;

namespace FunctionalAD.Properties.Generators;

/// <summary>
/// One call of the public API with adversarial arguments. <see cref="Call"/> returns what the API returned;
/// <see cref="Check"/>, when given, compares a successful result with a reference computed here without the
/// library and returns what differs (or null); <see cref="Invalid"/> marks input that must raise an error.
/// </summary>
public sealed record FuzzCall(string Description, Func<object?> Call, Func<object?, string?>? Check = null, bool Invalid = false)
{
    /// <inheritdoc/>
    public override string ToString() => Description;
}

/// <summary>
/// Ill-formed (and some well-formed) calls across the whole public API: tensors, shapes, dtypes, expressions, every
/// combinator, derivatives, Env, Lower/Plan, Compile and its runs, the tape, optimizers, losses and printing. Each
/// case draws a template and a seed; the template draws its arguments from pools that mix good values with nulls,
/// negative and huge sizes, out-of-range axes, undefined dtypes, NaN, infinities and values past int32.
/// </summary>
public static class FuzzCalls
{
    /// <summary>Every template in equal measure, and one case in ten a known-bad call of <see cref="BadCalls"/>.</summary>
    public static Gen<FuzzCall> Any => Gen.Frequency(
        (9, from t in Gen.Choose(0, Templates.Length - 1)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select Templates[t](new Random(seed))),
        (1, BadCalls.Any.Select(b => new FuzzCall(b.Description, () => { b.Call(); return null; }, null, Invalid: true))));

    // ---- argument pools ----

    private static T Pick<T>(Random r, params T[] xs) => xs[r.Next(xs.Length)];

    private static readonly int[] Ints = { -3, -2, -1, 0, 1, 2, 3, 4, 5, int.MaxValue, int.MinValue, 2147483646, 1 << 20, 50000 };
    private static int Int(Random r) => r.Next(3) == 0 ? Pick(r, Ints) : r.Next(-2, 5);
    private static int[]? IntsOrNull(Random r, int maxLen = 4) =>
        r.Next(12) == 0 ? null : Enumerable.Range(0, r.Next(maxLen + 1)).Select(_ => Int(r)).ToArray();

    private static readonly double[] Doubles = { 0, 1, -1, 0.5, -2.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 3e9, -3e9, 1e-300, double.MaxValue, 7 };
    private static double Double(Random r) => r.Next(2) == 0 ? Pick(r, Doubles) : r.NextDouble() * 4 - 2;

    private static DType DTypeOf(Random r) => r.Next(8) switch
    {
        0 => (DType)5,
        1 => (DType)(-1),
        2 => DType.Int32,
        3 or 4 => DType.Float32,
        _ => DType.Float64,
    };

    private static bool Defined(DType d) => d is DType.Float32 or DType.Float64 or DType.Int32;

    private static Shape GoodShape(Random r) => r.Next(6) switch
    {
        0 => Shape.Scalar,
        1 => new Shape(r.Next(0, 4)),
        2 => new Shape(0, 3),
        _ => new Shape(Enumerable.Range(0, r.Next(1, 4)).Select(_ => r.Next(1, 4)).ToArray()),
    };

    private static Shape? ShapeOrNull(Random r) => r.Next(10) switch
    {
        0 => null,
        // Huge but refused at construction: more elements than an array holds. (Shapes that fit but need gigabytes
        // are not drawn: allocating them is slow, not wrong, and the machine is shared.)
        1 => ShapeOrError(),
        _ => GoodShape(r),
    };

    private static Shape? ShapeOrError()
    {
        try { return new Shape(1 << 16, 1 << 16); }
        catch (ShapeException) { return null; }
    }

    private static double[] Values(Random r, int n) => Enumerable.Range(0, n).Select(_ => r.Next(8) == 0 ? Double(r) : Math.Round(r.NextDouble() * 4 - 2, 3)).ToArray();

    private static Tensor GoodTensor(Random r, Shape s, DType d) => d switch
    {
        DType.Float64 => Tensor.From(Values(r, s.Size), s),
        DType.Float32 => Tensor.From(Values(r, s.Size).Select(v => (float)v).ToArray(), s),
        _ => Tensor.From(Enumerable.Range(0, s.Size).Select(_ => r.Next(-1, 5)).ToArray(), s),
    };

    private static Tensor? TensorOrNull(Random r) =>
        r.Next(10) == 0 ? null : GoodTensor(r, GoodShape(r), Pick(r, DType.Float32, DType.Float64, DType.Float64, DType.Int32));

    /// <summary>Variables a, b (float64), f (float32), i (int32) and s (scalar float64), with values for them.</summary>
    // Cast to Var: the factories' declared return type may be Expr (for F#), the nodes are Vars either way.
    private static readonly Var A = (Var)Ex.Var64("fa", 2, 3), B = (Var)Ex.Var64("fb", 3), S = (Var)Ex.Var64("fs");
    private static readonly Var F = (Var)Ex.Var("ff", 2, 3), I = (Var)Ex.Var("fi", new Shape(2, 3), DType.Int32), E = (Var)Ex.Var64("fe", 0, 3);
    private static readonly Var[] Vars = { A, B, S, F, I, E };

    private static Env GoodEnv(Random r) => Vars.Aggregate(Env.Empty, (env, v) => env.Bind(v, GoodTensor(r, v.Shape, v.DType)));

    private static Expr? ExprOrNull(Random r) => r.Next(12) switch
    {
        0 => null,
        1 => Ex.Const(GoodTensor(r, GoodShape(r), DType.Float64)),
        2 => Ex.Sin(A),
        3 => A * B,
        4 => Ex.Const(Tensor.From(new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })),
        _ => Pick<Expr>(r, Vars),
    };

    private static Expr[]? ExprsOrNull(Random r) => r.Next(10) == 0 ? null : Enumerable.Range(0, r.Next(0, 4)).Select(_ => ExprOrNull(r)!).ToArray();

    // ---- references ----

    private static string? Same(Tensor got, double[] want, double tol = 1e-9)
    {
        var g = got.ToArray<double>();
        if (g.Length != want.Length) return $"{g.Length} elements, want {want.Length}";
        for (int i = 0; i < g.Length; i++)
        {
            if (double.IsNaN(want[i]) && double.IsNaN(g[i])) continue;
            if (want[i] == g[i]) continue;
            if (!(Math.Abs(g[i] - want[i]) <= tol * Math.Max(1, Math.Abs(want[i])))) return $"element {i}: got {g[i]:R}, want {want[i]:R}";
        }
        return null;
    }

    private static int PolicyInt(double v) => double.IsNaN(v) ? 0 : v >= int.MaxValue ? int.MaxValue : v <= int.MinValue ? int.MinValue : (int)Math.Truncate(v);

    // ---- templates ----

    private static readonly (string Name, Func<Expr, Expr> F, Func<double, double> Ref)[] Unaries =
    {
        ("sin", Ex.Sin, Math.Sin), ("cos", Ex.Cos, Math.Cos), ("exp", Ex.Exp, Math.Exp), ("log", Ex.Log, Math.Log),
        ("tanh", Ex.Tanh, Math.Tanh), ("sqrt", Ex.Sqrt, Math.Sqrt), ("abs", Ex.Abs, Math.Abs), ("negate", Ex.Negate, v => -v),
        ("relu", Ex.Relu, v => double.IsNaN(v) ? v : Math.Max(v, 0)), ("sigmoid", Ex.Sigmoid, v => 1 / (1 + Math.Exp(-v))),
        ("square", Ex.Square, v => v * v), ("stop_gradient", Ex.StopGradient, v => v),
    };

    private static readonly (string Name, Func<Expr, Expr, Expr> F)[] Binaries =
    {
        ("add", Ex.Add), ("subtract", Ex.Subtract), ("multiply", Ex.Multiply), ("divide", Ex.Divide), ("pow", Ex.Pow),
        ("maximum", Ex.Maximum), ("minimum", Ex.Minimum), ("greater", Ex.Greater), ("equal", Ex.Equal), ("tie_share", Ex.TieShare),
        ("matmul", (a, b) => Ex.MatMul(a, b)), ("matmul_t", (a, b) => Ex.MatMul(a, b, true, false)),
        ("concat", (a, b) => Ex.Concat(new[] { a, b })), ("where", (a, b) => Ex.Where(Ex.Greater(a, 0.0), a, b)),
    };

    private static readonly (string Name, Func<Expr, int[]?, bool, Expr> F)[] Reductions =
    {
        ("sum", Ex.Sum), ("mean", Ex.Mean), ("max", Ex.Max), ("min", Ex.Min), ("norm", Ex.Norm), ("logsumexp", Ex.LogSumExp),
        ("softmax", (x, a, _) => Ex.Softmax(x, a is { Length: > 0 } ? a[0] : -1)),
        ("log_softmax", (x, a, _) => Ex.LogSoftmax(x, a is { Length: > 0 } ? a[0] : -1)),
    };

    private static Func<Random, FuzzCall>[] Templates => LazyTemplates.Value;

    private static readonly Lazy<Func<Random, FuzzCall>[]> LazyTemplates = new(() => new Func<Random, FuzzCall>[]
    {
        // Shapes
        r => { var d = IntsOrNull(r); return new($"new Shape({Show(d)})", () => new Shape(d!), null, d is null || d.Any(v => v < 0) || d.Aggregate(1L, (p, v) => Math.Min(p * Math.Max(v, 0), 1L << 40)) > Array.MaxLength); },
        r => { var s = GoodShape(r); int a = Int(r); return new($"{s}[{a}]", () => s[a], got => (int)got! == s.ToArray()[a < 0 ? a + s.Rank : a] ? null : "wrong dimension", a < -s.Rank || a >= s.Rank); },
        r => { var a = ShapeOrNull(r); var b = ShapeOrNull(r); return new($"Shape.TryBroadcast({a}, {b})", () => Shape.TryBroadcast(a!, b!)); },
        // Tensors
        r => { var v = r.Next(8) == 0 ? null : Values(r, r.Next(0, 7)); var s = r.Next(3) == 0 ? ShapeOrNull(r) : null;
               return new($"Tensor.From(double[{v?.Length}], {s})", () => Tensor.From(v!, s), got => Same((Tensor)got!, v!), v is null || (s is not null && s.Size != v.Length)); },
        r => { var s = ShapeOrNull(r); double v = Double(r); var d = DTypeOf(r);
               return new($"Tensor.Full({s}, {v}, {d.Name()})", () => Tensor.Full(s!, v, d),
                   got => Same((Tensor)got!, Enumerable.Repeat(d == DType.Int32 ? PolicyInt(v) : d == DType.Float32 ? (double)(float)v : v, s!.Size).ToArray()), s is null || !Defined(d)); },
        r => { var d = IntsOrNull(r); return new($"Tensor.Zeros({Show(d)})", () => Tensor.Zeros(d!)); },
        r => { var s = ShapeOrNull(r); var d = DTypeOf(r); double m = Double(r), sd = Double(r);
               return new($"Tensor.RandomNormal({s}, {m}, {sd}, dtype: {d.Name()})", () => Tensor.RandomNormal(s!, m, sd, r.Next(), d), null,
                   s is null || !Defined(d) || d == DType.Int32 || !double.IsFinite(m) || !(sd >= 0) || !double.IsFinite(sd)); },
        r => { var s = ShapeOrNull(r); var d = DTypeOf(r); double lo = Double(r), hi = Double(r);
               return new($"Tensor.RandomUniform({s}, {lo}, {hi}, dtype: {d.Name()})", () => Tensor.RandomUniform(s!, lo, hi, r.Next(), d), null,
                   s is null || !Defined(d) || d == DType.Int32 || !double.IsFinite(lo) || !double.IsFinite(hi) || !(lo <= hi)); },
        r => { var t = GoodTensor(r, GoodShape(r), Pick(r, DType.Float32, DType.Float64)); var d = DTypeOf(r);
               return new($"Tensor.Cast({t.DType.Name()} {t.Shape}, {d.Name()})", () => t.Cast(d),
                   got => Same((Tensor)got!, t.ToArray<double>().Select(v => d == DType.Int32 ? PolicyInt(v) : d == DType.Float32 ? (float)v : v).ToArray()), !Defined(d)); },
        r => { var t = GoodTensor(r, GoodShape(r), DType.Float64); var s = ShapeOrNull(r);
               return new($"Tensor.Reshape({t.Shape} to {s})", () => t.Reshape(s!), got => Same((Tensor)got!, t.ToArray<double>()), s is null || s.Size != t.Size); },
        r => { var t = GoodTensor(r, GoodShape(r), DType.Float64); var ix = IntsOrNull(r); return new($"{t.Shape}[{Show(ix)}]", () => t[ix!]); },
        r => { var t = TensorOrNull(r) ?? Tensor.Scalar(double.NaN); return new($"ToArray<int> of {t.DType.Name()}", () => t.ToArray<int>(), got => ((int[])got!).SequenceEqual(t.ToArray<double>().Select(PolicyInt)) ? null : "not the float-to-int policy"); },
        // Leaves
        r => { var n = Pick(r, null, "", " ", "x", "long_name"); var s = ShapeOrNull(r); var d = DTypeOf(r);
               return new($"Var({n ?? "null"}, {s}, {d.Name()})", () => Ex.Var(n!, s!, d), null, string.IsNullOrWhiteSpace(n) || s is null || !Defined(d)); },
        r => { var t = TensorOrNull(r); return new("Const(tensor)", () => Ex.Const(t!), null, t is null); },
        r => { var s = ShapeOrNull(r); var d = DTypeOf(r); double v = Double(r); return new($"Fill({v}, {s}, {d.Name()})", () => Ex.Fill(v, s!, d), null, s is null || !Defined(d)); },
        // Combinators
        r =>
        {
            var op = Pick(r, Unaries);
            var x = ExprOrNull(r);
            var env = GoodEnv(r);
            return new($"{op.Name}({x})", () => Ad.Eval(op.F(x!), env), got =>
            {
                if (x!.DType != DType.Float64) return null;
                return Same((Tensor)got!, Ad.Eval(x, env).ToArray<double>().Select(op.Ref).ToArray(), 1e-12);
            }, x is null);
        },
        r => { var op = Pick(r, Binaries); var a = ExprOrNull(r); var b = ExprOrNull(r); var env = GoodEnv(r);
               return new($"{op.Name}({a}, {b})", () => Ad.Eval(op.F(a!, b!), env), null, a is null || b is null); },
        r => { var op = Pick(r, Reductions); var x = ExprOrNull(r); var ax = IntsOrNull(r, 3); bool keep = r.Next(2) == 0; var env = GoodEnv(r);
               return new($"{op.Name}({x}, [{Show(ax)}], keep={keep})", () => Ad.Eval(op.F(x!, ax, keep), env),
                   got => op.Name == "sum" && ax is null && x!.DType == DType.Float64 && !keep ? Same((Tensor)got!, new[] { Ad.Eval(x, env).ToArray<double>().Sum() }, 1e-9) : null, x is null); },
        r => { var x = ExprOrNull(r); var d = IntsOrNull(r); var env = GoodEnv(r);
               return new($"Reshape({x}, [{Show(d)}])", () => Ad.Eval(Ex.Reshape(x!, d!), env), got => Same((Tensor)got!, Ad.Eval(x!, env).ToArray<double>()), x is null || d is null); },
        r => { var x = ExprOrNull(r); var s = ShapeOrNull(r); return new($"BroadcastTo({x}, {s})", () => Ex.BroadcastTo(x!, s!), null, x is null || s is null); },
        r => { var x = ExprOrNull(r); var p = IntsOrNull(r, 3); return new($"Transpose({x}, [{Show(p)}])", () => Ex.Transpose(x!, p), null, x is null); },
        r => Slice(r),
        r => { var x = ExprOrNull(r); var b = IntsOrNull(r, 3); var a = IntsOrNull(r, 3); var env = GoodEnv(r);
               return new($"Pad({x}, [{Show(b)}], [{Show(a)}])", () => Ad.Eval(Ex.Pad(x!, b!, a!), env), null,
                   x is null || b is null || a is null || b.Length != x.Rank || a.Length != x.Rank || b.Concat(a).Any(v => v < 0)
                   || x.Shape.Select((d, i) => (long)b[i] + d + a[i]).Aggregate(1L, (p, v) => Math.Min(p * v, 1L << 40)) > Array.MaxLength); },
        r => { var xs = ExprsOrNull(r); int axis = Int(r); return new($"Concat([{Show(xs)}], {axis})", () => Ex.Concat(xs!, axis), null, xs is null || xs.Length == 0 || xs.Any(x => x is null)); },
        r => { var labels = r.Next(3) == 0 ? ExprOrNull(r) : Ex.Const(Enumerable.Range(0, 4).Select(_ => r.Next(-1, 4)).ToArray()); int depth = Int(r); var d = DTypeOf(r);
               return new($"OneHot({labels}, {depth}, {d.Name()})", () => Ex.OneHot(labels!, depth, d).Eval(GoodEnv(r)), null, labels is null || depth <= 0 || !Defined(d) || d == DType.Int32); },
        r => { var x = ExprOrNull(r); var d = DTypeOf(r); var env = GoodEnv(r);
               return new($"Cast({x}, {d.Name()})", () => Ad.Eval(Ex.Cast(x!, d), env),
                   got => Same((Tensor)got!, Ad.Eval(x!, env).ToArray<double>().Select(v => d == DType.Int32 ? PolicyInt(v) : d == DType.Float32 ? (float)v : v).ToArray()), x is null || !Defined(d)); },
        r => { var x = ExprOrNull(r); var a = ExprOrNull(r); var b = ExprOrNull(r); return new($"Where({x}, {a}, {b})", () => Ex.Where(x!, a!, b!), null, x is null || a is null || b is null); },
        // Derivatives
        r => { var y = r.Next(4) == 0 ? ExprOrNull(r) : Ex.Sum(Ex.Sin(A)); var wrt = r.Next(5) == 0 ? null : new[] { Pick(r, Vars), Pick<Var>(r, A, A, null!) };
               var env = GoodEnv(r);
               return new($"Grad({y}, [{Show(wrt)}])", () => Ad.Eval(Ad.Grad(y!, wrt!), env),
                   got => y is Apply { Op: SumOp } && wrt![0] == A ? Same(((Tensor[])got!)[0], Ad.Eval(A, env).ToArray<double>().Select(Math.Cos).ToArray()) : null); },
        r => { var y = ExprOrNull(r); var u = ExprOrNull(r); var wrt = ExprsOrNull(r); return new($"Vjp({y}, {u}, [{Show(wrt)}])", () => Ad.Vjp(y!, u!, wrt!), null, y is null || u is null || wrt is null); },
        r => { var y = ExprOrNull(r); var wrt = ExprsOrNull(r); var t = ExprsOrNull(r); return new($"Jvp({y}, [{Show(wrt)}], [{Show(t)}])", () => Ad.Jvp(y!, wrt!, t!), null, y is null || wrt is null || t is null); },
        r => { var y = ExprOrNull(r); var x = ExprOrNull(r); bool h = r.Next(2) == 0; return new($"{(h ? "Hessian" : "Jacobian")}({y}, {x})", () => h ? Ad.Hessian(y!, x!) : Ad.Jacobian(y!, x!), null, y is null || x is null); },
        r => { var f = r.Next(3) == 0 ? null : Pick<Func<Expr, Expr>>(r, z => Ex.Sum(Ex.Sin(z)), z => z, _ => null!, z => Ex.Sin(z)); var z = ExprOrNull(r); int k = r.Next(4);
               return new($"function transform {k} of f at {z}", () => k switch { 0 => Ad.Grad(f!)(z!), 1 => Ad.Hessian(f!)(z!), 2 => Ad.Jacobian(f!)(z!), _ => (object)Ad.Vjp(f!, z!) }, null, f is null || z is null); },
        r => { var e = ExprOrNull(r); return new($"Simplify({e})", () => Ad.Simplify(e!), null, e is null); },
        // Evaluation
        r => { var es = ExprsOrNull(r); var env = r.Next(4) == 0 ? null : r.Next(3) == 0 ? Env.Of((A, GoodTensor(r, A.Shape, DType.Float64))) : GoodEnv(r); bool fin = r.Next(2) == 0;
               return new($"Eval([{Show(es)}], checkFinite={fin})", () => Ad.Eval(es!, env, fin), null, es is null || es.Any(e => e is null)); },
        r => { var v = (Var?)Pick<Var?>(r, A, F, I, null); var t = TensorOrNull(r);
               return new($"Env.Of(({v}, {t?.Shape} {t?.DType.Name()}))", () => Env.Of((v!, t!)), null, v is null || t is null || t.Shape != v.Shape || t.DType != v.DType); },
        r => { var es = ExprsOrNull(r); var env = r.Next(5) == 0 ? null : GoodEnv(r);
               return new($"Lower([{Show(es)}]).Run", () => Ad.Lower(es!).Run(env!), null, es is null || es.Any(e => e is null) || env is null); },
        r => Compiled(r),
        // Printing
        r => { var e = ExprOrNull(r) ?? Ex.Sin(B); int k = r.Next(3); return new($"print {k} of {e}", () => k switch { 0 => e.ToString(), 1 => e.ToLatex(), _ => e.ToDot() }); },
        r => { var es = ExprsOrNull(r); var names = r.Next(3) == 0 ? null : es?.Select((_, i) => r.Next(6) == 0 ? null! : "n" + i).ToArray();
               return new($"Expr.ToDot([{Show(es)}], names)", () => Expr.ToDot(es!, names), null, es is null || es.Length == 0 || es.Any(x => x is null) || (names?.Any(n => n is null) ?? false)); },
        // Tape
        r => { var c = ExprOrNull(r); var persistent = r.Next(2) == 0; int calls = r.Next(1, 3);
               return new($"tape(persistent={persistent}) watching {c}, {calls} gradients", () =>
               {
                   using var tape = new GradientTape(persistent);
                   tape.Watch(c!);
                   var y = Ex.Sum(Ex.Sin(c!));
                   object? g = null;
                   for (int i = 0; i < calls; i++) g = tape.Gradient(y, c!);
                   return g;
               }, null, c is null || (!persistent && calls > 1)); },
        r => { var y = ExprOrNull(r); var x = ExprOrNull(r); int k = r.Next(3); var u = (UnconnectedGradients)r.Next(-1, 3);
               return new($"tape {(k == 0 ? "Jacobian" : k == 1 ? "BatchJacobian" : "Gradient")}({y}, {x}, {u})", () =>
               {
                   using var tape = new GradientTape(persistent: true);
                   if (x is not null && x.DType.IsFloat()) tape.Watch(x);
                   var target = y is null ? null! : y.DType.IsFloat() ? Ex.Sin(y) : y;
                   return k switch { 0 => tape.Jacobian(target, x!, u), 1 => tape.BatchJacobian(target, x!, u), _ => (object?)tape.Gradient(target, x!, null, u) };
               }, null, y is null || x is null || !Enum.IsDefined(u)); },
        r => { var init = TensorOrNull(r); var next = TensorOrNull(r); int k = r.Next(3);
               return new($"Variable({init?.Shape}).{(k == 0 ? "Assign" : k == 1 ? "AssignAdd" : "AssignSub")}({next?.Shape} {next?.DType.Name()})", () =>
               {
                   var v = new Variable(init!);
                   var before = v.Value.ToArray<double>();
                   try { return k == 0 ? v.Assign(next!) : k == 1 ? v.AssignAdd(next!) : v.AssignSub(next!); }
                   catch (FunctionalADException) { Unchanged(v, before); throw; }
               }, null, init is null || next is null || next.Shape != init.Shape || next.DType != init.DType); },
        r => { var env = r.Next(2) == 0 ? Env.Empty : GoodEnv(r); var v = (Var?)Pick<Var?>(r, A, F, I, null); var t = TensorOrNull(r); bool read = r.Next(2) == 0;
               return new($"Env.{(read ? "this" : "Bind")}({v}, {t?.Shape})", () => read ? env[v!] : env.Bind(v!, t!), null, v is null || (!read && t is null)); },
        r => { Array? values = r.Next(6) switch { 0 => null, 1 => new float[2, 3], 2 => new double[0, 2, 2], 3 => new int[3], 4 => new float[][] { new float[1] }, _ => new long[2] };
               return new($"Tensor.From({values?.GetType().Name ?? "null"})", () => Tensor.From(values!), null, values is null or float[][] or long[]); },
        r => { var opt = r.Next(2) == 0 ? (Optimizer)new Adam() : new Sgd(0.1, 0.5); var init = GoodTensor(r, GoodShape(r), Pick(r, DType.Float32, DType.Float64));
               var vars = r.Next(6) == 0 ? null : new[] { new Variable(init) }; var grads = r.Next(6) == 0 ? null : new[] { r.Next(3) == 0 ? TensorOrNull(r) : init };
               return new("Optimizer.Apply(grads, vars)", () =>
               {
                   try { opt.Apply(grads!, vars!); }
                   catch (FunctionalADException) { if (vars is not null) Unchanged(vars[0], init.ToArray<double>()); throw; }
                   return vars![0].Value;
               }, null, vars is null || grads is null); },
        r => { var e = ExprOrNull(r) ?? A; var env = r.Next(4) == 0 ? null : r.Next(2) == 0 ? Env.Empty : GoodEnv(r);
               return new($"Lower({e}).Run(env)", () => Ad.Lower(e).Run(env!), null, env is null); },
        // Optimizers
        r => { double lr = Double(r), m = Double(r); bool adam = r.Next(2) == 0;
               return new($"{(adam ? "Adam" : "Sgd")}({lr}, {m})", () => adam ? new Adam(lr, m) : new Sgd(lr, m), null,
                   !(lr > 0) || !double.IsFinite(lr) || (adam ? !(m >= 0 && m < 1) : !(m >= 0 && m <= 1))); },
        r => { var opt = new Sgd(0.1); var ps = r.Next(5) == 0 ? null : new[] { TensorOrNull(r)! }; var gs = r.Next(5) == 0 ? null : new[] { TensorOrNull(r)! };
               return new("Sgd.Update(params, grads)", () => opt.Update(ps!, gs!, opt.Init(ps!)), null, ps is null || gs is null || ps[0] is null || gs[0] is null || ps[0].Shape != gs[0].Shape || ps[0].DType != gs[0].DType); },
        r => { var s = ShapeOrNull(r); var d = DTypeOf(r); return new($"GlorotUniform({s}, {d.Name()})", () => Initializers.GlorotUniform(s!, r.Next(), d), null, s is null || !Defined(d) || d == DType.Int32); },
        // Losses
        r => Loss(r),
        r => Sparse(r),
    });

    /// <summary>A refused update must leave the variable as it was; anything else is reported as a foreign failure.</summary>
    private static void Unchanged(Variable v, double[] before)
    {
        var now = v.Value.ToArray<double>();
        if (!now.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(before.Select(BitConverter.DoubleToInt64Bits)))
            throw new InvalidOperationException($"a refused update changed variable '{v.Name}'");
    }

    private static FuzzCall Slice(Random r)
    {
        var x = ExprOrNull(r);
        var b = IntsOrNull(r, 3);
        var s = IntsOrNull(r, 3);
        var env = GoodEnv(r);
        bool invalid = x is null || b is null || s is null || b.Length != s.Length || b.Length != x.Rank
            || b.Select((v, i) => v < 0 || (s[i] == -1 ? v > x.Shape.ToArray()[i] : s[i] < 0 || (long)v + s[i] > x.Shape.ToArray()[i])).Any(bad => bad);
        return new($"Slice({x}, [{Show(b)}], [{Show(s)}])", () => Ad.Eval(Ex.Slice(x!, b!, s!), env), got =>
        {
            var full = Ad.Eval(x!, env);
            var size = s!.Select((v, i) => v == -1 ? full.Shape.ToArray()[i] - b![i] : v).ToArray();
            var want = new List<double>();
            var idx = new int[size.Length];
            int count = size.Aggregate(1, (p, v) => p * v);
            for (int k = 0; k < count; k++)
            {
                int rem = k;
                for (int a = size.Length - 1; a >= 0; a--) { idx[a] = rem % size[a] + b![a]; rem /= size[a]; }
                want.Add(full[idx]);
            }
            return Same((Tensor)got!, want.ToArray());
        }, invalid);
    }

    private static FuzzCall Compiled(Random r)
    {
        var outs = r.Next(6) == 0 ? null : new Expr[] { Pick<Expr>(r, Ex.Sum(Ex.Sin(A) * A), A * B, Ex.Exp(S), null!, Ex.Const(GoodTensor(r, new Shape(2), DType.Float64)) * S) };
        var ins = r.Next(6) == 0 ? null : Pick(r, new[] { A, B, S }, new[] { A, B }, new[] { S }, new Var[] { null! });
        var values = ins?.Select(v => r.Next(6) == 0 ? TensorOrNull(r)! : GoodTensor(r, v?.Shape ?? Shape.Scalar, DType.Float64)).ToArray();
        bool spans = r.Next(2) == 0;
        int alias = r.Next(4);
        return new($"Compile([{Show(outs)}], [{Show(ins)}]).Run({(spans ? $"spans, alias {alias}" : "")})", () =>
        {
            var f = Ad.Compile(outs!, ins!);
            if (!spans) return (f, f.Run(values!));
            var o = f.CreateOutputs();
            // Alias 1: an output is an input's tensor; 2: an output is a constant of the function.
            if (alias == 1 && values!.Length > 0 && values[0] is { } v0 && v0.Shape == o[0].Shape) o[0] = v0;
            if (alias == 2 && outs![0] is Apply { } app && app.Args.OfType<Const>().FirstOrDefault() is { } c && c.Value.Shape == o[0].Shape) o[0] = c.Value;
            f.Run(values!, o);
            return (f, o);
        }, got =>
        {
            var (f, o) = ((CompiledFunction, Tensor[]))got!;
            var env = f.Inputs.Select((v, i) => (v, values![i])).Aggregate(Env.Empty, (e, p) => e.Bind(p.v, p.Item2));
            return Same(o[0], Ad.Eval(outs![0], env).ToArray<double>(), 1e-9);
        });
    }

    private static readonly string[] LossNames = { "MSE", "MAE", "BCE", "BCE logits", "CCE", "CCE logits", "Huber", "KL" };

    private static FuzzCall Loss(Random r)
    {
        var name = Pick(r, LossNames);
        var yt = r.Next(4) == 0 ? ExprOrNull(r) : Ex.Const(GoodTensor(r, new Shape(2, 3), DType.Float64));
        var yp = r.Next(4) == 0 ? ExprOrNull(r) : A;
        double smoothing = r.Next(3) == 0 ? Double(r) : 0;
        var reduction = (LossReduction)r.Next(-1, 4);
        var weight = r.Next(4) == 0 ? ExprOrNull(r) : null;
        int axis = r.Next(4) == 0 ? Int(r) : -1;
        bool invalid = yt is null || yp is null || !(smoothing >= 0 && smoothing <= 1) || !Enum.IsDefined(reduction);
        Func<Expr> build = name switch
        {
            "MSE" => () => Losses.MSE(yt!, yp!, reduction, weight),
            "MAE" => () => Losses.MAE(yt!, yp!, reduction, weight),
            "BCE" => () => Losses.BinaryCrossentropy(yt!, yp!, false, smoothing, axis, reduction, weight),
            "BCE logits" => () => Losses.BinaryCrossentropy(yt!, yp!, true, smoothing, axis, reduction, weight),
            "CCE" => () => Losses.CategoricalCrossentropy(yt!, yp!, false, smoothing, axis, reduction, weight),
            "CCE logits" => () => Losses.CategoricalCrossentropy(yt!, yp!, true, smoothing, axis, reduction, weight),
            "Huber" => () => Losses.Huber(yt!, yp!, Pick(r, 1.0, 0.0, double.NaN, -1.0), reduction, weight),
            _ => () => Losses.KLDivergence(yt!, yp!, reduction, weight),
        };
        var env = GoodEnv(r);
        return new($"{name}({yt}, {yp}, smoothing={smoothing}, reduction={reduction}, weight={weight}, axis={axis})", () => Ad.Eval(build(), env), null,
            invalid && name is not ("MSE" or "MAE" or "Huber" or "KL") || yt is null || yp is null || !Enum.IsDefined(reduction));
    }

    private static FuzzCall Sparse(Random r)
    {
        var labels = Enumerable.Range(0, 2).Select(_ => r.Next(-1, 5)).ToArray();
        var logits = GoodTensor(r, new Shape(2, 3), DType.Float64);
        bool fromLogits = r.Next(2) == 0;
        bool compiled = r.Next(3) == 0;
        return new($"SparseCategoricalCrossentropy([{string.Join(", ", labels)}], logits (2, 3), fromLogits={fromLogits}, compiled={compiled})", () =>
        {
            var y = (Var)Ex.Var("labels", new Shape(2), DType.Int32);
            var loss = Losses.SparseCategoricalCrossentropy(y, A, fromLogits);
            var yv = Tensor.From(labels);
            return compiled ? Ad.Compile(new[] { loss }, y, A).Run(yv, logits)[0] : Ad.Eval(loss, Env.Of((y, yv), (A, logits)));
        }, got =>
        {
            var z = logits.ToArray<double>();
            // The naive reference below has no answer for infinite logits (inf − inf); the fused kernel's is checked elsewhere.
            if (z.Any(v => !double.IsFinite(v))) return null;
            var want = labels.Select((c, i) =>
            {
                var row = z.Skip(3 * i).Take(3).Select(v => fromLogits ? v : Math.Log(Math.Clamp(v, 1e-7, 1 - 1e-7))).ToArray();
                double m = row.Max();
                return Math.Log(row.Sum(v => Math.Exp(v - m))) + m - row[c];
            }).ToArray();
            return Same((Tensor)got!, want, 1e-9);
        }, labels.Any(c => c < 0 || c >= 3));
    }

    private static string Show<T>(T[]? xs) => xs is null ? "null" : string.Join(", ", xs.Select(x => x?.ToString() ?? "null"));
}
