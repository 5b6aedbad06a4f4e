using FsCheck;
using FsCheck.Fluent;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// Every row of the primitive table (<see cref="PrimitiveTable"/>, the single list of primitives: a new row is
/// compiled here with nothing else to add) goes through <see cref="Ad.Compile"/>, in float64 and float32, value
/// and VJP, and must equal a plain node-by-node interpreter and run no interpreted step.
/// Values: bit for bit wherever interpreter and compiled code run the same kernel (element-wise operators,
/// layout, cast, one-hot, softmax cross-entropy); reductions and products may sum in another order (fused
/// sums accumulate tile by tile), so those compare to 1e-12 (float64) / 1e-5 (float32) relative, and so do all VJPs.
/// </summary>
public class CompileTableTests
{
    public static TheoryData<string> RowNames => new(PrimitiveTable.Rows.Keys.Select(t => t.Name).OrderBy(n => n));

    /// <summary>Primitives whose compiled step may legitimately run through the interpreter: none.</summary>
    private static readonly string[] MayInterpret = Array.Empty<string>();

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Every_primitive_compiles_and_equals_the_interpreter(string primitive)
    {
        var row = PrimitiveTable.Rows.Values.Single(r => r.Op.Name == primitive);
        bool sameKernel = !typeof(Reduction).IsAssignableFrom(row.Op) && row.Op != typeof(MatMulOp);
        var property = Prop.ForAll(row.Cases.ToArbitrary(), c =>
        {
            Check(c, DType.Float64, sameKernel);
            Check(c, DType.Float32, sameKernel);
        });
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(60).WithQuietOnSuccess(true), property);
    }

    private static void Check(PrimitiveCase c, DType dtype, bool sameKernel)
    {
        var vars = c.Vars.Select(v => (Var)Var(v.Name, v.Shape, dtype)).ToArray();
        var values = c.Values.Select(v => v.Cast(dtype)).ToArray();
        var y = c.BuildWith(vars);
        var outputs = new List<Expr> { y };
        if (y.DType.IsFloat())
        {
            // A random cotangent, so every argument's VJP is exercised with distinct weights.
            var w = Tensor.RandomNormal(y.Shape, seed: c.Seed).Cast(y.DType);
            outputs.AddRange(Ad.Vjp(y, Const(w), vars));
        }
        var f = Ad.Compile(outputs.ToArray(), vars);
        var where = $"{dtype.Name()} {y}\n{f.Describe()}";
        Assert.True(f.InterpretedSteps.All(MayInterpret.Contains), $"interpreted steps {string.Join(", ", f.InterpretedSteps)} in {where}");
        var got = f.Run(values);
        var want = Interpret(outputs, vars, values);
        double rel = dtype == DType.Float64 ? 1e-12 : 1e-5;
        for (int i = 0; i < outputs.Count; i++)
        {
            Assert.Equal(want[i].Shape, got[i].Shape);
            Assert.Equal(want[i].DType, got[i].DType);
            double[] a = want[i].Cast(DType.Float64).ToArray<double>(), b = got[i].Cast(DType.Float64).ToArray<double>();
            for (int k = 0; k < a.Length; k++)
            {
                if (double.IsNaN(a[k]) && double.IsNaN(b[k])) continue;
                bool ok = i == 0 && sameKernel
                    ? BitConverter.DoubleToInt64Bits(a[k]) == BitConverter.DoubleToInt64Bits(b[k])
                    : a[k] == b[k] || Math.Abs(a[k] - b[k]) <= rel * (1 + Math.Abs(a[k]));
                Assert.True(ok, $"output {i} element {k}: interpreter {a[k]:R}, compiled {b[k]:R}\n{where}");
            }
        }
    }

    [Fact]
    public void Softmax_cross_entropy_and_norm_compile_to_steps_that_allocate_nothing()
    {
        var z = (Var)Var("z", 32, 10);
        var y = (Var)Var("y", 32, 10);
        var w = (Var)Var("w", 10, 7);
        var loss = Mean(SoftmaxCrossEntropyWithLogits(y, z)) + Norm(w) + Sum(Norm(w, new[] { 1 }));
        var outputs = new[] { loss }.Concat(Ad.Grad(loss, z, w)).ToArray();
        var f = Ad.Compile(outputs, z, y, w);
        Assert.Empty(f.InterpretedSteps);
        Assert.Contains("softmax cross-entropy", f.Describe());
        Assert.Contains("reduce norm", f.Describe());
        var values = new[] { Tensor.RandomNormal(z.Shape, seed: 1), Tensor.RandomNormal(y.Shape, seed: 2), Tensor.RandomNormal(w.Shape, seed: 3) };
        var results = f.CreateOutputs();
        f.Run(values, results);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) f.Run(values, results);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        var want = Interpret(outputs, new[] { z, y, w }, values);
        for (int i = 0; i < outputs.Length; i++)
        {
            float[] a = want[i].ToFloatArray(), b = results[i].ToFloatArray();
            for (int k = 0; k < a.Length; k++) Assert.True(Math.Abs(a[k] - b[k]) <= 1e-5 * (1 + Math.Abs(a[k])), $"output {i} element {k}: {a[k]} vs {b[k]}");
        }
    }

    // Found by the table: a broadcast operand gathered over a domain whose last axis is empty divided by zero.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void An_empty_domain_with_a_broadcast_operand_compiles(int single)
    {
        var dt = single == 1 ? DType.Float32 : DType.Float64;
        var a = (Var)Var("a", new Shape(2, 0), dt);
        var b = (Var)Var("b", new Shape(2, 1), dt);
        var y = a * b;
        var outputs = new List<Expr> { y };
        outputs.AddRange(Ad.Vjp(y, Const(Tensor.Zeros(y.Shape).Cast(dt)), a, b));
        var f = Ad.Compile(outputs.ToArray(), a, b);
        var values = new[] { Tensor.Zeros(new Shape(2, 0)).Cast(dt), Tensor.From(new[] { -1.5, 0.5 }, new Shape(2, 1)).Cast(dt) };
        var got = f.Run(values);
        var want = Interpret(outputs, new[] { a, b }, values);
        for (int i = 0; i < outputs.Count; i++)
            Assert.Equal(want[i].Cast(DType.Float64).ToArray<double>(), got[i].Cast(DType.Float64).ToArray<double>());
        Assert.Equal(new[] { 0.0, 0.0 }, got[2].Cast(DType.Float64).ToArray<double>());
    }

    /// <summary>The reference: every node's own interpreter kernel, in creation order, nothing fused or compiled.</summary>
    internal static Tensor[] Interpret(IReadOnlyList<Expr> outputs, Var[] vars, Tensor[] values)
    {
        var v = new Dictionary<Expr, Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < vars.Length; i++) v[vars[i]] = values[i];
        foreach (var n in Graph.Reachable(outputs))
        {
            if (v.ContainsKey(n)) continue;
            if (n is Const k) { v[n] = k.Value; continue; }
            var a = (Apply)n;
            var result = Tensor.Uninitialized(a.Shape, a.DType);
            a.Op.Forward(a.Args.Select(x => v[x]).ToArray(), result);
            v[n] = result;
        }
        return outputs.Select(o => v[o]).ToArray();
    }
}
