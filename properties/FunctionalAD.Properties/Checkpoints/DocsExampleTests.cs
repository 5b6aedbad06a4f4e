using FunctionalAD;
using Xunit;
using static FunctionalAD.Properties.Checkpoints.Files;

namespace FunctionalAD.Properties.Checkpoints;

/// <summary>The code of docs/checkpoints.md, as written there, does what the page says.</summary>
public class DocsExampleTests
{
    [Fact]
    public void Saving_and_restoring_a_model()
    {
        var path = Scratch("model.safetensors");
        var w = new Variable(Tensor.RandomNormal(new Shape(64, 10), seed: 1), "dense/kernel");
        var b = new Variable(Tensor.Zeros(10), "dense/bias");
        var trained = w.Value;
        Checkpoint.Save(path, [w, b], new Dictionary<string, string> { ["epoch"] = "12" });
        w.Assign(Tensor.Zeros(new Shape(64, 10)));

        Checkpoint.Restore(path, [w, b]);
        var epoch = Checkpoint.LoadMetadata(path)["epoch"];
        Assert.Equal("12", epoch);
        AssertIdentical(trained, w.Value);
    }

    [Fact]
    public void Arrays_and_spans()
    {
        var m = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } });
        var j = Tensor.From(new[] { new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 } });
        var s = Tensor.From(stackalloc float[] { 1, 2, 3, 4, 5, 6 }, new Shape(2, 3));
        Assert.Equal(new Shape(2, 2), m.Shape);
        Assert.Equal(DType.Float64, j.DType);
        Assert.Equal(new Shape(2, 3), s.Shape);

        float[,] a2 = m.ToArray2D<float>();
        double[][] rows = m.ToJagged<double>();
        Span<float> buffer = stackalloc float[m.Size];
        m.CopyTo(buffer);
        Assert.Equal(4f, a2[1, 1]);
        Assert.Equal(3.0, rows[1][0]);
        Assert.Equal(new[] { 1f, 2, 3, 4 }, buffer.ToArray());
        Assert.Equal(j.ToArray<double>(), m.ToArray<double>());
    }
}
