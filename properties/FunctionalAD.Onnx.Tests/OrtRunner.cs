using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FunctionalAD.OnnxTests;

/// <summary>Runs an exported model in ONNX Runtime (CPU) and hands back FunctionalAD tensors.</summary>
public static class OrtRunner
{
    /// <summary>The model's outputs, in order, for the inputs bound by name.</summary>
    public static Tensor[] Run(byte[] model, IReadOnlyList<(string Name, Tensor Value)> inputs)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model, options);
        var feeds = inputs.Select(i => ToOrt(i.Name, i.Value)).ToList();
        using var results = session.Run(feeds);
        return results.Select(FromOrt).ToArray();
    }

    private static NamedOnnxValue ToOrt(string name, Tensor t)
    {
        var dims = t.Shape.ToArray();
        return t.DType switch
        {
            DType.Float32 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(t.ToArray<float>(), dims)),
            DType.Float64 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<double>(t.ToArray<double>(), dims)),
            _ => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<int>(t.ToArray<int>(), dims)),
        };
    }

    private static Tensor FromOrt(DisposableNamedOnnxValue v) => v.Value switch
    {
        DenseTensor<float> f => Tensor.From(f.Buffer.ToArray(), new Shape(f.Dimensions.ToArray())),
        DenseTensor<double> d => Tensor.From(d.Buffer.ToArray(), new Shape(d.Dimensions.ToArray())),
        DenseTensor<int> i => Tensor.From(i.Buffer.ToArray(), new Shape(i.Dimensions.ToArray())),
        var other => throw new InvalidOperationException($"unexpected ONNX Runtime output {v.Name}: {other?.GetType().Name}"),
    };
}
