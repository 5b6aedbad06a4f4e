using FsCheck;
using FsCheck.Fluent;
using FunctionalAD.Properties;
using Xunit;

namespace FunctionalAD.OnnxTests;

/// <summary>
/// Every row of the primitive table, exported and run in ONNX Runtime: the forward value and the VJP graph
/// (the cotangent of each argument, a derivative expression built from other primitives) equal <c>Ad.Eval</c>.
/// </summary>
public class PrimitiveTableOnnxTests
{
    /// <summary>
    /// Standard operators ONNX Runtime 1.31's CPU provider has no float64 kernel for (Erf, Atan): the models are valid
    /// ONNX in either dtype, and these rows run in float32 below.
    /// </summary>
    public static readonly Type[] Float32OnlyInRuntime = [typeof(ErfOp), typeof(Atan2Op)];

    /// <summary>
    /// Rows whose float32 export differs from their float64 one (Conv, ConvTranspose and AveragePool in float32; im2col,
    /// MatMul and col2im in float64, where ONNX Runtime's CPU kernels stop): run in both.
    /// </summary>
    public static readonly Type[] OwnFloat32Export = [typeof(Conv2DOp), typeof(Conv2DBackpropInputOp), typeof(Conv2DBackpropFilterOp), typeof(AvgPool2DOp)];

    public static TheoryData<string> OwnFloat32Rows => new(OwnFloat32Export.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(OwnFloat32Rows))]
    public void Float32_window_operators_match_Ad_Eval_in_onnx_runtime(string primitive) => RowMatches(primitive, cases: 25, Onnx.DefaultOpset, float32: true);

    /// <summary>Every row: custom functions export as their bodies, with their user rules in the VJP graph.</summary>
    public static TheoryData<string> ExportedRows => new(PrimitiveTable.Rows.Keys.Select(t => t.Name).OrderBy(n => n));

    [Theory]
    [MemberData(nameof(ExportedRows))]
    public void Forward_and_vjp_match_Ad_Eval_in_onnx_runtime(string primitive) => RowMatches(primitive, cases: 25, Onnx.DefaultOpset, float32: false);

    public static TheoryData<int> LaterOpsets => new(18, 19, 20, 21);

    /// <summary>Every row at every later opset the exporter writes (reductions take their axes as inputs from 18), on fewer cases.</summary>
    [Theory]
    [MemberData(nameof(LaterOpsets))]
    public void Every_row_runs_at_the_later_opsets(int opset)
    {
        foreach (var t in PrimitiveTable.Rows.Keys) RowMatches(t.Name, cases: 3, opset, float32: false);
        foreach (var t in OwnFloat32Export) RowMatches(t.Name, cases: 3, opset, float32: true);
    }

    private static void RowMatches(string primitive, int cases, int opset, bool float32)
    {
        var row = PrimitiveTable.Rows.Values.Single(r => r.Op.Name == primitive);
        bool narrow = float32 || Float32OnlyInRuntime.Contains(row.Op);
        foreach (var c in row.Cases.Sample(cases, 30))
        {
            var vars = narrow ? c.Vars.Select(v => (Var)Ex.Var(v.Name, v.Shape, DType.Float32)).ToArray() : c.Vars;
            var values = narrow ? c.Values.Select(t => t.Cast(DType.Float32)).ToArray() : c.Values;
            var y = narrow ? c.BuildWith(vars) : c.Build();
            var g = Ex.Var("cotangent", y.Shape, y.DType);
            var differentiable = vars.Where(v => v.DType.IsFloat()).ToArray();
            var outputs = new List<Expr> { y };
            if (y.DType.IsFloat() && differentiable.Length > 0) outputs.AddRange(Ad.Vjp(y, g, differentiable));
            var gValue = Tensor.RandomNormal(y.Shape, seed: c.Seed).Cast(y.DType);
            var inputs = vars.Zip(values, (v, t) => ((Expr)v, t)).Append((g, gValue)).ToArray();

            var expected = Ad.Eval(outputs.ToArray(), Env.Of(inputs));
            var actual = OrtRunner.Run(Onnx.ToBytes(outputs, inputs.Select(i => i.Item1).ToArray(), opset),
                inputs.Select(i => (((Var)i.Item1).Name, i.Item2)).ToArray());

            Assert.Equal(expected.Length, actual.Length);
            for (int k = 0; k < expected.Length; k++)
                Close.Assert(expected[k], actual[k], $"{primitive} output {k} of {c} at opset {opset}");
        }
    }

    [Fact]
    public void A_primitive_without_a_mapping_fails_at_export_naming_itself()
    {
        var x = Ex.Var("x", 3);
        var y = Primitive.Build(new UnmappedOp(), x) * 2f;
        var e = Assert.Throws<FunctionalADException>(() => Onnx.ToBytes([y], [x]));
        Assert.Contains("primitive 'unmapped_test_op' (UnmappedOp) has no ONNX mapping", e.Message);
    }

    /// <summary>A primitive of the test's own with no Export member, as a newly added one would be.</summary>
    private sealed class UnmappedOp : Primitive
    {
        public override string Name => "unmapped_test_op";
        internal override (Shape Shape, DType DType) Infer(Expr[] args) => (args[0].Shape, args[0].DType);
        internal override void Forward(Tensor[] args, Tensor result) => Array.Copy(args[0].Data, result.Data, result.Size);
        internal override Expr Vjp(Apply y, int arg, Expr g) => g;
        internal override Expr Jvp(Apply y, Expr?[] tangents) => tangents[0]!;
    }
}

/// <summary>Element-wise comparison of tensors with a tolerance fitting their dtype.</summary>
public static class Close
{
    /// <summary>Same shape and dtype, and every element within rtol·(1 + |expected|) (NaN only where NaN).</summary>
    public static void Assert(Tensor expected, Tensor actual, string what, double? tolerance = null)
    {
        Xunit.Assert.True(expected.Shape == actual.Shape, $"{what}: shape {actual.Shape}, expected {expected.Shape}");
        Xunit.Assert.True(expected.DType == actual.DType, $"{what}: dtype {actual.DType}, expected {expected.DType}");
        double tol = tolerance ?? (expected.DType == DType.Float32 ? 2e-5 : 1e-12);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
        {
            bool ok = double.IsNaN(e[i]) ? double.IsNaN(a[i]) : e[i] == a[i] || Math.Abs(e[i] - a[i]) <= tol * (1 + Math.Abs(e[i]));
            Xunit.Assert.True(ok, $"{what}: element {i} is {a[i]} in ONNX Runtime, {e[i]} in Ad.Eval");
        }
    }
}
