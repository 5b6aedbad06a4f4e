namespace FunctionalAD;

/// <summary>
/// Seeded weight initialisers with Keras's rules. Fans follow Keras: for a (fan_in, fan_out) matrix the two
/// dimensions; for higher ranks the last two times the receptive field (the product of the others); for a
/// vector both are its length. The same seed gives the same tensor on every machine.
/// </summary>
public static class Initializers
{
    // Keras divides by this so that a normal truncated at ±2σ still has the wanted standard deviation.
    private const double TruncatedStddevCorrection = 0.87962566103423978;

    /// <summary>Glorot (Xavier) uniform: U(−l, l) with l = √(6 / (fan_in + fan_out)).</summary>
    public static Tensor GlorotUniform(Shape shape, long seed = 0, DType dtype = DType.Float32)
    {
        var (fanIn, fanOut) = Fans(shape);
        return Uniform(shape, Math.Sqrt(6.0 / (fanIn + fanOut)), seed, dtype);
    }

    /// <summary>Glorot (Xavier) normal: a normal truncated at ±2σ with σ = √(2 / (fan_in + fan_out)).</summary>
    public static Tensor GlorotNormal(Shape shape, long seed = 0, DType dtype = DType.Float32)
    {
        var (fanIn, fanOut) = Fans(shape);
        return TruncatedNormal(shape, Math.Sqrt(2.0 / (fanIn + fanOut)) / TruncatedStddevCorrection, seed, dtype);
    }

    /// <summary>He uniform: U(−l, l) with l = √(6 / fan_in), for layers followed by relu.</summary>
    public static Tensor HeUniform(Shape shape, long seed = 0, DType dtype = DType.Float32)
    {
        var (fanIn, _) = Fans(shape);
        return Uniform(shape, Math.Sqrt(6.0 / fanIn), seed, dtype);
    }

    /// <summary>He normal: a normal truncated at ±2σ with σ = √(2 / fan_in), for layers followed by relu.</summary>
    public static Tensor HeNormal(Shape shape, long seed = 0, DType dtype = DType.Float32)
    {
        var (fanIn, _) = Fans(shape);
        return TruncatedNormal(shape, Math.Sqrt(2.0 / fanIn) / TruncatedStddevCorrection, seed, dtype);
    }

    /// <summary>(fan_in, fan_out) of a weight of <paramref name="shape"/>, Keras's way.</summary>
    public static (double FanIn, double FanOut) Fans(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Size == 0) throw new ShapeException($"Initializers: shape {shape} has no elements; fans need a non-empty weight");
        return shape.Rank switch
        {
            0 => (1, 1),
            1 => (shape[0], shape[0]),
            2 => (shape[0], shape[1]),
            _ => Receptive(shape),
        };
    }

    private static (double, double) Receptive(Shape shape)
    {
        double field = 1;
        for (int i = 0; i < shape.Rank - 2; i++) field *= shape[i];
        return (shape[-2] * field, shape[-1] * field);
    }

    /// <summary>U(−limit, limit) samples from SplitMix64, the generator <see cref="Tensor.RandomUniform"/> uses.</summary>
    private static Tensor Uniform(Shape shape, double limit, long seed, DType dtype)
    {
        var rng = Generator(seed, dtype);
        var v = new double[shape.Size];
        for (int i = 0; i < v.Length; i++) v[i] = -limit + 2 * limit * rng.NextDouble();
        return Tensor.FromDoubles(v, shape, dtype);
    }

    private static SplitMix64 Generator(long seed, DType dtype)
    {
        if (!dtype.IsFloat()) throw new DTypeException($"Initializers: dtype must be float32 or float64, not {dtype.Name()}");
        return new SplitMix64(unchecked((ulong)seed));
    }

    /// <summary>N(0, σ²) samples, each redrawn until it lies within ±2σ, as Keras's truncated normal.</summary>
    private static Tensor TruncatedNormal(Shape shape, double stddev, long seed, DType dtype)
    {
        var rng = Generator(seed, dtype);
        var v = new double[shape.Size];
        for (int i = 0; i < v.Length; i++)
        {
            double z;
            do
            {
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            } while (Math.Abs(z) > 2);
            v[i] = z * stddev;
        }
        return Tensor.FromDoubles(v, shape, dtype);
    }
}
