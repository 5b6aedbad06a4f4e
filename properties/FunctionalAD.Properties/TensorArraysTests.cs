using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>Tensors to and from spans, rectangular arrays of rank 2..4 and jagged arrays, element for element.</summary>
public class TensorArraysTests
{
    private static Arbitrary<int[]> Dims(int rank) => Arb.From(Gen.ArrayOf(Gen.Choose(0, 4), rank));

    [Property(MaxTest = 100)]
    public Property Rank2_arrays_round_trip_in_every_dtype() => Prop.ForAll(Dims(2), d =>
    {
        var f = new float[d[0], d[1]];
        var x = new double[d[0], d[1]];
        var n = new int[d[0], d[1]];
        for (int i = 0; i < d[0]; i++)
            for (int j = 0; j < d[1]; j++) { f[i, j] = i * 10 + j + 0.25f; x[i, j] = -(i * 10 + j) - 0.5; n[i, j] = i * 100 - j; }
        var tf = Tensor.From(f);
        Assert.Equal(new Shape(d), tf.Shape);
        Assert.Equal(f, tf.ToArray2D<float>());
        Assert.Equal(x, Tensor.From(x).ToArray2D<double>());
        Assert.Equal(n, Tensor.From(n).ToArray2D<int>());
        // Element (i, j) is the row-major element i * cols + j.
        for (int i = 0; i < d[0]; i++)
            for (int j = 0; j < d[1]; j++) Assert.Equal(f[i, j], (float)tf[i, j]);
        // Jagged arrays agree with rectangular ones.
        var jagged = tf.ToJagged<float>();
        Assert.Equal(d[0], jagged.Length);
        for (int i = 0; i < d[0]; i++) Assert.Equal(Enumerable.Range(0, d[1]).Select(j => f[i, j]), jagged[i]);
        if (d[1] > 0 || d[0] == 0) Assert.Equal(tf.ToArray<float>(), Tensor.From(jagged).ToArray<float>());
    });

    [Property(MaxTest = 50)]
    public Property Rank3_and_rank4_arrays_round_trip() => Prop.ForAll(Dims(4), d =>
    {
        var a3 = new double[d[0], d[1], d[2]];
        var a4 = new float[d[0], d[1], d[2], d[3]];
        int k = 0;
        foreach (var idx in Indices(d[..3])) a3[idx[0], idx[1], idx[2]] = k++ * 1.5;
        k = 0;
        foreach (var idx in Indices(d)) a4[idx[0], idx[1], idx[2], idx[3]] = k++ - 3;
        var t3 = Tensor.From(a3);
        Assert.Equal(Enumerable.Range(0, t3.Size).Select(i => i * 1.5), t3.ToArray<double>());
        Assert.Equal(a3, t3.ToArray3D<double>());
        var t4 = Tensor.From(a4);
        Assert.Equal(Enumerable.Range(0, t4.Size).Select(i => (float)(i - 3)), t4.ToArray<float>());
        Assert.Equal(a4, t4.ToArray4D<float>());
    });

    private static IEnumerable<int[]> Indices(int[] dims)
    {
        if (dims.Any(x => x == 0)) yield break;
        var idx = new int[dims.Length];
        while (true)
        {
            yield return (int[])idx.Clone();
            int a = dims.Length - 1;
            while (a >= 0 && ++idx[a] == dims[a]) idx[a--] = 0;
            if (a < 0) yield break;
        }
    }

    [Fact]
    public void Arrays_come_out_in_another_element_type_converted()
    {
        var t = Tensor.From(new[] { 1.5f, -2, 3, 4 }, new Shape(2, 2));
        Assert.Equal(new[,] { { 1.5, -2.0 }, { 3.0, 4.0 } }, t.ToArray2D<double>());
        Assert.Equal(new[,] { { 1, -2 }, { 3, 4 } }, t.ToArray2D<int>());
        Assert.Equal(new[] { new[] { 1.5, -2.0 }, new[] { 3.0, 4.0 } }, t.ToJagged<double>());
    }

    [Fact]
    public void Spans_both_ways()
    {
        ReadOnlySpan<float> f = [1, 2, 3, 4, 5, 6];
        var t = Tensor.From(f, new Shape(2, 3));
        Assert.Equal(new[,] { { 1f, 2, 3 }, { 4f, 5, 6 } }, t.ToArray2D<float>());
        Assert.Equal(new Shape(3), Tensor.From((ReadOnlySpan<double>)[1.0, 2, 3], new Shape(3)).Shape);
        Assert.Equal(DType.Int32, Tensor.From((ReadOnlySpan<int>)[1, 2], new Shape(2, 1)).DType);

        Span<float> into = stackalloc float[8];
        into.Fill(-1);
        t.CopyTo(into);
        Assert.Equal(new[] { 1f, 2, 3, 4, 5, 6, -1, -1 }, into.ToArray());
        Span<double> wide = stackalloc double[6];
        t.CopyTo(wide);
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5, 6 }, wide.ToArray());

        // The tensor copied the span: changing the source later changes nothing.
        var source = new float[] { 1, 2 };
        var copy = Tensor.From((ReadOnlySpan<float>)source, new Shape(2));
        source[0] = 99;
        Assert.Equal(1f, (float)copy[0]);
    }

    [Fact]
    public void Wrong_sizes_ranks_and_ragged_arrays_are_clear_errors()
    {
        var count = Assert.Throws<ArgumentException>(() => Tensor.From((ReadOnlySpan<float>)[1f, 2, 3], new Shape(2, 2)));
        Assert.Equal("values", count.ParamName);
        Assert.Contains("3 values do not fill shape (2, 2)", count.Message);

        var t = Tensor.Ones(2, 3);
        var shortDest = Assert.Throws<ArgumentException>(() => t.CopyTo(new float[5].AsSpan()));
        Assert.Equal("destination", shortDest.ParamName);
        Assert.Contains("holds 5 elements but the tensor of shape (2, 3) has 6", shortDest.Message);

        var rank = Assert.Throws<ShapeException>(() => Tensor.Ones(6).ToArray2D<float>());
        Assert.Contains("ToArray2D needs rank 2", rank.Message);
        Assert.Contains("(1, 6)", rank.Message);
        Assert.Throws<ShapeException>(() => t.ToArray3D<float>());
        Assert.Throws<ShapeException>(() => t.ToArray4D<float>());
        Assert.Throws<ShapeException>(() => Tensor.Ones(2, 2, 2).ToJagged<float>());

        var ragged = Assert.Throws<ArgumentException>(() => Tensor.From(new[] { new[] { 1f, 2 }, new[] { 3f } }));
        Assert.Equal("rows", ragged.ParamName);
        Assert.Contains("row 1 has 1 elements but row 0 has 2", ragged.Message);
        Assert.Contains("ragged", ragged.Message);
        Assert.Contains("row 1 is null", Assert.Throws<ArgumentException>(() => Tensor.From(new[] { new[] { 1.0 }, null! })).Message);
        Assert.Equal(new Shape(0, 0), Tensor.From(Array.Empty<int[]>()).Shape);
        Assert.Equal(new Shape(2, 3), Tensor.From(new[] { new[] { 1, 2, 3 }, new[] { 4, 5, 6 } }).Shape);

        // A float64 value outside int32 cannot be copied into ints silently.
        Assert.Throws<OverflowException>(() => Tensor.From(new[] { 3e10 }).CopyTo(new int[1].AsSpan()));
    }
}
