using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>Random tensors are a function of their seed: the same everywhere, and different for different seeds.</summary>
public class RandomTensorTests
{
    private static Arbitrary<(Shape Shape, long Seed)> ShapeAndSeed => Arb.From(
        from shape in Shapes.Of(1, 3, 5)
        from seed in Gen.Choose(0, int.MaxValue)
        select (shape, (long)seed));

    [Property(MaxTest = 100)]
    public Property Same_seed_same_numbers_other_seed_other_numbers() => Prop.ForAll(ShapeAndSeed, c =>
    {
        var a = Tensor.RandomNormal(c.Shape, seed: c.Seed, dtype: DType.Float64).ToArray<double>();
        Assert.Equal(a, Tensor.RandomNormal(c.Shape, seed: c.Seed, dtype: DType.Float64).ToArray<double>());
        Assert.NotEqual(a, Tensor.RandomNormal(c.Shape, seed: c.Seed + 1, dtype: DType.Float64).ToArray<double>());
        var u = Tensor.RandomUniform(c.Shape, seed: c.Seed, dtype: DType.Float64).ToArray<double>();
        Assert.Equal(u, Tensor.RandomUniform(c.Shape, seed: c.Seed, dtype: DType.Float64).ToArray<double>());
        Assert.All(u, v => Assert.InRange(v, 0.0, 1.0));
    });

    [Property(MaxTest = 100)]
    public Property Mean_stddev_and_dtype_transform_one_stream() => Prop.ForAll(ShapeAndSeed, c =>
    {
        var z = Tensor.RandomNormal(c.Shape, seed: c.Seed, dtype: DType.Float64).ToArray<double>();
        var scaled = Tensor.RandomNormal(c.Shape, 3, 0.5, c.Seed, DType.Float64).ToArray<double>();
        var single = Tensor.RandomNormal(c.Shape, seed: c.Seed).ToArray<float>();
        for (int i = 0; i < z.Length; i++)
        {
            Assert.Equal(3 + 0.5 * z[i], scaled[i], 12);
            Assert.Equal((float)z[i], single[i]);
        }
    });

    [Fact]
    public void The_generator_is_splitmix64_bit_for_bit()
    {
        // Published outputs of SplitMix64 from seed 0 (Steele, Lea and Flood 2014; Vigna's reference code).
        var rng = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, rng.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.Next());
        Assert.Equal(0x06C45D188009454FUL, rng.Next());
    }

    [Fact]
    public void Normal_samples_have_mean_zero_and_unit_variance()
    {
        const int n = 100_000;
        var v = Tensor.RandomNormal(new Shape(n), seed: 42, dtype: DType.Float64).ToArray<double>();
        double mean = v.Average(), variance = v.Sum(x => (x - mean) * (x - mean)) / (n - 1);
        // Five standard errors: a wrong transform fails, an honest sample passes except with negligible odds.
        Assert.InRange(mean, -5 / Math.Sqrt(n), 5 / Math.Sqrt(n));
        Assert.InRange(variance, 1 - 5 * Math.Sqrt(2.0 / n), 1 + 5 * Math.Sqrt(2.0 / n));
    }
}
