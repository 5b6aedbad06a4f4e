using System.Reflection;
using FunctionalAD.Properties.Support;
using Xunit;

namespace FunctionalAD.OnnxTests;

/// <summary>The export entry points: what they accept, what they refuse and how, and the opsets they write.</summary>
public class ExportApiTests
{
    [Fact]
    public void Every_catalogued_primitive_has_an_export()
    {
        var missing = Catalogue.Primitives
            .Where(t => t.GetMethod("Export", BindingFlags.NonPublic | BindingFlags.Instance)!.DeclaringType == typeof(Primitive))
            .Select(t => t.Name).OrderBy(n => n).ToArray();
        Assert.Empty(missing);
    }

    [Fact]
    public void A_variable_missing_from_the_inputs_is_named()
    {
        var a = Ex.Var("a", 3);
        var hidden = Ex.Var("hidden_weight", 3);
        var e = Assert.Throws<FunctionalADException>(() => Onnx.ToBytes([Ex.Sum(a * hidden)], [a]));
        Assert.Contains("'hidden_weight'", e.Message);
        Assert.Contains("not among the inputs", e.Message);
    }

    [Fact]
    public void Inputs_must_be_distinct_variables()
    {
        var a = Ex.Var("a", 3);
        var other = Ex.Var("a", 1);
        Assert.Contains("not a variable", Assert.Throws<ArgumentException>(() => Onnx.ToBytes([a], [a * 2f])).Message);
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => Onnx.ToBytes([a], [a, a])).Message);
        Assert.Contains("named 'a'", Assert.Throws<ArgumentException>(() => Onnx.ToBytes([a + other], [a, other])).Message);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => Onnx.ToBytes([], [a])).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentNullException>(() => Onnx.ToBytes(null!, [a])).ParamName);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(22)]
    public void Opsets_outside_the_written_range_are_refused(int opset)
    {
        var a = Ex.Var("a", 3);
        Assert.Equal("opset", Assert.Throws<ArgumentOutOfRangeException>(() => Onnx.ToBytes([a], [a], opset)).ParamName);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(18)]
    [InlineData(21)]
    public void Reductions_run_at_every_opset_written(int opset)
    {
        // Opset 18 moved the axes of ReduceMax, ReduceL2 and the rest from an attribute to an input.
        var x = Ex.Var("x", new Shape(2, 3, 4), DType.Float64);
        Expr[] outputs = [Ex.Max(x, 1), Ex.Norm(x, [0, 2]), Ex.LogSumExp(x, 2, keepDims: true), Ex.Sum(x), Ex.Softmax(x)];
        var value = Tensor.RandomNormal(new Shape(2, 3, 4), seed: 5).Cast(DType.Float64);
        var expected = Ad.Eval(outputs, Env.Of((x, value)));
        var actual = OrtRunner.Run(Onnx.ToBytes(outputs, [x], opset), [("x", value)]);
        for (int k = 0; k < outputs.Length; k++) Close.Assert(expected[k], actual[k], $"opset {opset} output {k}");
    }

    [Fact]
    public void Inputs_and_constants_can_be_outputs_themselves()
    {
        var x = Ex.Var("x", 2, 2);
        var c = Ex.Const(Tensor.From(new[] { 1f, 2f, 3f, 4f }, new Shape(2, 2)));
        var value = Tensor.From(new[] { 5f, 6f, 7f, 8f }, new Shape(2, 2));
        var actual = OrtRunner.Run(Onnx.ToBytes([x, c, x], [x]), [("x", value)]);
        Assert.Equal(value.ToArray<float>(), actual[0].ToArray<float>());
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, actual[1].ToArray<float>());
        Assert.Equal(value.ToArray<float>(), actual[2].ToArray<float>());
    }

    [Fact]
    public void File_and_stream_exports_write_the_same_model()
    {
        var x = Ex.Var("x", 3);
        var y = Ex.Tanh(x) * 3f;
        var path = Path.Combine(Path.GetTempPath(), $"functionalad-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            Onnx.Export(y, [x], path);
            using var stream = new MemoryStream();
            Onnx.Export([y], [x], stream);
            Assert.Equal(Onnx.ToBytes([y], [x]), File.ReadAllBytes(path));
            Assert.Equal(File.ReadAllBytes(path), stream.ToArray());
            var value = Tensor.From(new[] { -1f, 0f, 2f });
            Close.Assert(y.Eval((x, value)), OrtRunner.Run(File.ReadAllBytes(path), [("x", value)])[0], "tanh·3 from a file");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_custom_gradient_exports_as_its_body_and_its_rule()
    {
        // The rule is deliberately not the body's derivative (3·cos instead of cos), so the exported gradient
        // shows the user's rule was kept rather than the body differentiated.
        var x = Ex.Var("x", new Shape(4), DType.Float64);
        var y = Ex.CustomGradient(x, v => (Ex.Sin(v), g => g * Ex.Cos(v) * 3.0));
        var loss = Ex.Sum(y * y);
        Expr[] outputs = [y, Ad.Grad(loss, x)[0]];
        var value = Tensor.From(new[] { 0.1, -0.7, 1.3, 2.0 });
        var expected = Ad.Eval(outputs, Env.Of((x, value)));
        var actual = OrtRunner.Run(Onnx.ToBytes(outputs, [x]), [("x", value)]);
        Close.Assert(expected[0], actual[0], "custom body");
        Close.Assert(expected[1], actual[1], "custom rule");
        var v = value.ToArray<double>();
        Assert.Equal(2 * Math.Sin(v[2]) * 3 * Math.Cos(v[2]), actual[1].ToArray<double>()[2], 12);
    }

    [Fact]
    public void A_graph_that_cannot_export_leaves_no_file()
    {
        var x = Ex.Var("x", 3);
        var hidden = Ex.Var("hidden", 3);
        var path = Path.Combine(Path.GetTempPath(), $"functionalad-onnx-{Guid.NewGuid():N}.onnx");
        var e = Assert.Throws<FunctionalADException>(() => Onnx.Export(x * hidden, [x], path));
        Assert.Contains("'hidden'", e.Message);
        Assert.False(File.Exists(path));
    }
}
