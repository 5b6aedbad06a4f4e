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
    public void Training_step_runs_in_onnx_runtime_with_the_loss_and_gradients_of_Ad_Eval() =>
        StepMatches(new Mlp(), Mlp.Initial(seed: 3), batch: 32);

    [Fact]
    public void Cnn_training_step_runs_in_onnx_runtime_with_the_loss_and_gradients_of_Ad_Eval() =>
        StepMatches(new Cnn(), Cnn.Initial(seed: 3), batch: 16);

    /// <summary>
    /// The step of <paramref name="model"/> on the first <paramref name="batch"/> images: ONNX Runtime's loss and gradients
    /// equal Ad.Eval's (float32, 1e-4), and an SGD step on ONNX Runtime's gradients lowers the loss it computes.
    /// </summary>
    private static void StepMatches(IDigitsModel model, Tensor[] initial, int batch)
    {
        var data = DigitsSet.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv")).Take(Enumerable.Range(0, batch).ToArray());
        var x = Ex.Var("x", batch, DigitsSet.Features);
        var labels = Ex.Var("labels", new Shape(batch), DType.Int32);
        var loss = model.Loss(x, labels);
        Expr[] outputs = [loss, .. Ad.Grad(loss, model.Parameters)];
        Expr[] inputs = [x, labels, .. model.Parameters];
        Tensor[] values = [data.PixelTensor(), data.LabelTensor(), .. initial];
        (string, Tensor)[] Feeds(Tensor[] v) => inputs.Select((e, i) => (((Var)e).Name, v[i])).ToArray();

        var expected = Ad.Eval(outputs, Env.Of(inputs.Zip(values).ToArray()));
        var actual = OrtRunner.Run(Onnx.ToBytes(outputs, inputs), Feeds(values));

        Assert.Equal(outputs.Length, actual.Length);
        // A freshly initialised 10-class model: the loss sits near ln 10, so a wrong graph cannot pass by accident.
        Assert.InRange(actual[0].ToScalar(), 1.0, 5.0);
        for (int k = 0; k < outputs.Length; k++)
            Close.Assert(expected[k], actual[k], $"{model.GetType().Name} step output {k}", tolerance: 1e-4);

        var stepped = initial.Select((p, i) =>
            Tensor.From(p.ToArray<float>().Zip(actual[i + 1].ToArray<float>(), (w, g) => w - 0.1f * g).ToArray(), p.Shape)).ToArray();
        var after = OrtRunner.Run(Onnx.ToBytes([loss], inputs), Feeds([.. values[..2], .. stepped]))[0].ToScalar();
        Assert.True(after < actual[0].ToScalar(), $"loss {actual[0].ToScalar()}, then {after} after an SGD step");
    }
}
