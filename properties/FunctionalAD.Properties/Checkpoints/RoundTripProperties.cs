using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using Xunit;
using static FunctionalAD.Properties.Checkpoints.Files;

namespace FunctionalAD.Properties.Checkpoints;

/// <summary>
/// Every dtype at every rank 0..4 (empty axes included) survives .npy, .npz and safetensors bit for bit, with the
/// awkward values too: NaN, infinities, -0, subnormals and the int32 extremes.
/// </summary>
public class RoundTripProperties
{
    private static Gen<double> FloatValue => Gen.Frequency(
        (6, Gen.Choose(-1_000_000, 1_000_000).Select(k => k / 1024.0)),
        (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 1e-310, double.MaxValue, double.Epsilon)));

    private static Gen<int> IntValue => Gen.Frequency((6, Gen.Choose(-1000, 1000)), (1, Gen.Elements(int.MinValue, int.MaxValue, 0)));

    private static Gen<Tensor> TensorOf(DType dtype, Shape shape) => dtype switch
    {
        DType.Int32 => Gen.ArrayOf(IntValue, shape.Size).Select(v => Tensor.From(v, shape)),
        DType.Float64 => Gen.ArrayOf(FloatValue, shape.Size).Select(v => Tensor.From(v, shape)),
        _ => Gen.ArrayOf(FloatValue, shape.Size).Select(v => Tensor.From(v.Select(x => (float)x).ToArray(), shape)),
    };

    public static Gen<Tensor> AnyTensor =>
        from dtype in Gen.Elements(DType.Float32, DType.Float64, DType.Int32)
        from shape in Shapes.Of(0, 4, 4, allowEmpty: true)
        from t in TensorOf(dtype, shape)
        select t;

    private static Arbitrary<Tensor> Tensors => Arb.From(AnyTensor);

    private static Arbitrary<Dictionary<string, Tensor>> Named => Arb.From(
        from n in Gen.Choose(0, 5)
        from ts in Gen.ArrayOf(AnyTensor, n)
        from names in Gen.Shuffle(new[] { "w", "b", "layer.0.weight", "layer.0.bias", "x/y", "Ω" })
        select names.Take(n).Zip(ts).ToDictionary(p => p.Item1, p => p.Item2));

    [Property(MaxTest = 200)]
    public Property Npy_round_trips_through_files_and_streams() => Prop.ForAll(Tensors, t =>
    {
        var path = Scratch("t.npy");
        t.SaveNpy(path);
        AssertIdentical(t, Tensor.LoadNpy(path));
        var ms = new MemoryStream();
        t.SaveNpy(ms);
        Assert.Equal(File.ReadAllBytes(path), ms.ToArray());
        ms.Position = 0;
        AssertIdentical(t, Tensor.LoadNpy(new UnseekableStream(ms)));
    });

    [Property(MaxTest = 100)]
    public Property Npz_round_trips_stored_and_deflated() => Prop.ForAll(Named, Arb.From(Gen.Elements(false, true)), (arrays, compressed) =>
    {
        var path = Scratch("a.npz");
        Npz.Save(path, arrays, compressed);
        var back = Npz.Load(path);
        Assert.Equal(arrays.Keys, back.Keys);
        foreach (var (name, t) in arrays) AssertIdentical(t, back[name]);
    });

    [Property(MaxTest = 100)]
    public Property Safetensors_round_trips_with_metadata() => Prop.ForAll(Named, arrays =>
    {
        var meta = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ü \"quoted\"" };
        var path = Scratch("c.safetensors");
        Checkpoint.Save(path, arrays, meta);
        var back = Checkpoint.Load(path);
        Assert.Equal(arrays.Keys.Order(StringComparer.Ordinal), back.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, t) in arrays) AssertIdentical(t, back[name]);
        Assert.Equal(meta.OrderBy(p => p.Key), Checkpoint.LoadMetadata(path).OrderBy(p => p.Key));
        var ms = new MemoryStream(File.ReadAllBytes(path));
        var fromStream = Checkpoint.Load(new UnseekableStream(ms));
        foreach (var (name, t) in arrays) AssertIdentical(t, fromStream[name]);
    });

    [Property(MaxTest = 100)]
    public Property Fortran_order_reads_as_the_transpose_of_the_reversed_shape() => Prop.ForAll(Tensors, t =>
    {
        // A C-order array of shape (d_n-1, ..., d0) has the bytes of its transpose, shape (d0, ..., d_n-1), in Fortran order.
        var dims = t.Shape.ToArray();
        var ms = new MemoryStream();
        t.SaveNpy(ms);
        var bytes = ms.ToArray();
        var header = System.Text.Encoding.Latin1.GetString(bytes, 10, BitConverter.ToUInt16(bytes, 8));
        var reversed = dims.Reverse().ToArray();
        var shapeRepr = reversed.Length == 1 ? $"({reversed[0]},)" : "(" + string.Join(", ", reversed) + ")";
        var fortranHeader = header.TrimEnd().Replace("False", "True").Replace(ShapeRepr(dims), shapeRepr);
        var data = bytes.AsSpan(10 + BitConverter.ToUInt16(bytes, 8)).ToArray();
        var loaded = Tensor.LoadNpy(new MemoryStream(Files.Npy(fortranHeader, data)));
        Assert.Equal(new Shape(reversed), loaded.Shape);
        var strides = t.Shape.Strides();
        var rs = loaded.Shape.Strides();
        var src = t.ToArray<double>();
        var dst = loaded.ToArray<double>();
        for (int flat = 0; flat < src.Length; flat++)
        {
            int rem = flat, target = 0;
            for (int k = 0; k < dims.Length; k++)
            {
                int i = rem / strides[k];
                rem %= strides[k];
                target += i * rs[dims.Length - 1 - k];
            }
            Assert.Equal(BitConverter.DoubleToInt64Bits(src[flat]), BitConverter.DoubleToInt64Bits(dst[target]));
        }
    });

    private static string ShapeRepr(int[] d) => d.Length == 1 ? $"({d[0]},)" : "(" + string.Join(", ", d) + ")";
}
