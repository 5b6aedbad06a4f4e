using Digits;
using DigitsCnn;
using Xunit;

namespace FunctionalAD.OnnxTests;

/// <summary>
/// The digits examples' whole training steps (mean loss and every parameter gradient) as one ONNX graph each: the MLP's,
/// and the CNN's (convolutions, max pooling and their gradient primitives).
/// </summary>
public class DigitsStepOnnxTests
{
    [Fact]
    public void Training_step_runs_in_onnx_runtime_with_the_loss_and_gradients_of_Ad_Eval()
    {
        const int batch = 32;
        var data = DigitsSet.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv")).Take(Enumerable.Range(0, batch).ToArray());
        var model = new Mlp();
        var x = Ex.Var("x", batch, DigitsSet.Features);
        var labels = Ex.Var("labels", new Shape(batch), DType.Int32);
        var loss = model.Loss(x, labels);
        Expr[] outputs = [loss, .. Ad.Grad(loss, model.Parameters)];
        Expr[] inputs = [x, labels, .. model.Parameters];
        Tensor[] values = [data.PixelTensor(), data.LabelTensor(), .. Mlp.Initial(seed: 3)];

        var expected = Ad.Eval(outputs, Env.Of(inputs.Zip(values).ToArray()));
        var actual = OrtRunner.Run(Onnx.ToBytes(outputs, inputs), inputs.Select((v, i) => (((Var)v).Name, values[i])).ToArray());

        Assert.Equal(5, actual.Length);
        // A freshly initialised 10-class model: the loss sits near ln 10, so a wrong graph cannot pass by accident.
        Assert.InRange(actual[0].ToScalar(), 1.0, 5.0);
        for (int k = 0; k < outputs.Length; k++)
            Close.Assert(expected[k], actual[k], $"digits step output {k}", tolerance: 1e-4);
    }

    [Fact]
    public void Cnn_training_step_runs_in_onnx_runtime_with_the_loss_and_gradients_of_Ad_Eval()
    {
        const int batch = 16;
        var data = DigitsSet.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv")).Take(Enumerable.Range(0, batch).ToArray());
        var model = new Cnn();
        var x = Ex.Var("x", batch, DigitsSet.Features);
        var labels = Ex.Var("labels", new Shape(batch), DType.Int32);
        var loss = model.Loss(x, labels);
        Expr[] outputs = [loss, .. Ad.Grad(loss, model.Parameters)];
        Expr[] inputs = [x, labels, .. model.Parameters];
        Tensor[] values = [data.PixelTensor(), data.LabelTensor(), .. Cnn.Initial(seed: 3)];
        var feeds = inputs.Select((v, i) => (((Var)v).Name, values[i])).ToArray();

        var expected = Ad.Eval(outputs, Env.Of(inputs.Zip(values).ToArray()));
        var actual = OrtRunner.Run(Onnx.ToBytes(outputs, inputs), feeds);

        Assert.Equal(7, actual.Length);
        Assert.InRange(actual[0].ToScalar(), 1.0, 5.0);
        for (int k = 0; k < outputs.Length; k++)
            Close.Assert(expected[k], actual[k], $"CNN step output {k}", tolerance: 1e-4);

        // One SGD step with ONNX Runtime's gradients lowers the loss ONNX Runtime computes, as it does in Ad.Eval.
        var stepped = values[2..].Select((p, i) =>
            Tensor.From(p.ToArray<float>().Zip(actual[i + 1].ToArray<float>(), (w, g) => w - 0.1f * g).ToArray(), p.Shape)).ToArray();
        var after = OrtRunner.Run(Onnx.ToBytes([loss], inputs), [.. feeds[..2], .. inputs[2..].Select((v, i) => (((Var)v).Name, stepped[i]))]);
        Assert.True(after[0].ToScalar() < actual[0].ToScalar(), $"loss {actual[0].ToScalar()} then {after[0].ToScalar()}");
    }
}
