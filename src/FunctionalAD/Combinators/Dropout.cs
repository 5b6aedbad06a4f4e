namespace FunctionalAD;

public static partial class Ex
{
    /// <summary>
    /// Dropout as <c>tf.nn.dropout(x, rate, seed)</c>: each element is kept with probability 1 - rate and scaled by
    /// 1 / (1 - rate), or set to 0, so the expectation is unchanged; x itself when <paramref name="training"/> is false
    /// or rate is 0. The mask is a function of (seed, element index) alone (SplitMix64, no global generator: see
    /// <see cref="DropoutMask"/>), so the same seed gives the same mask on every machine and in every run; pass a new seed each training step for
    /// fresh noise. y = x · m with m a constant, so dy = m dx.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">rate is outside [0, 1).</exception>
    /// <exception cref="DTypeException">x is not float32 or float64.</exception>
    public static Expr Dropout(Expr x, double rate, long seed, bool training = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "dropout: rate must be in [0, 1)");
        if (!x.DType.IsFloat()) throw new DTypeException($"dropout: needs a float32 or float64 x, got {x.DType.Name()}\n  in: dropout({x})");
        if (!training || rate == 0) return x;
        return x * Const(DropoutMask(x.Shape, rate, seed, x.DType));
    }

    /// <summary>
    /// The mask <see cref="Dropout"/> multiplies by: 1 / (1 - rate) where uᵢ ≥ rate, 0 elsewhere, for the elements i in
    /// row-major order, with uᵢ ∈ [0, 1) the top 53 bits of the i-th output of the SplitMix64 generator seeded with
    /// <paramref name="seed"/> (Steele, Lea and Flood's, as in Java's SplittableRandom), divided by 2⁵³.
    /// </summary>
    public static Tensor DropoutMask(Shape shape, double rate, long seed, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "dropout: rate must be in [0, 1)");
        if (!dtype.IsFloat()) throw new DTypeException($"dropout: the mask must be float32 or float64, not {dtype.Name()}");
        double keep = 1 / (1 - rate);
        var m = new double[shape.Size];
        for (int i = 0; i < m.Length; i++)
        {
            double u = (SplitMix64(unchecked((ulong)seed + (ulong)i * 0x9E3779B97F4A7C15UL)) >> 11) * (1.0 / (1UL << 53));
            m[i] = u >= rate ? keep : 0;
        }
        var t = Tensor.From(m, shape);
        return dtype == DType.Float64 ? t : t.Cast(dtype);
    }

    private static ulong SplitMix64(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
