namespace FunctionalAD;

public static partial class Ex
{
    private const double InvSqrt2 = 0.70710678118654752440084436210484904;
    private const double SqrtTwoOverPi = 0.79788456080286535587989211986876373;

    /// <summary>
    /// GELU, as <c>tf.nn.gelu</c>: exact x·Φ(x) = ½x(1 + erf(x/√2)) by default; with <paramref name="approximate"/>,
    /// the tanh form ½x(1 + tanh(√(2/π)(x + 0.044715x³))). A combinator over <see cref="Erf"/> (or <see cref="Tanh"/>),
    /// so it fuses with its neighbours and its derivatives, d gelu(x) = (Φ(x) + x·φ(x)) dx, come from theirs.
    /// </summary>
    public static Expr Gelu(Expr x, bool approximate = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        var inner = approximate ? Tanh(SqrtTwoOverPi * (x + 0.044715 * (x * x * x))) : Erf(x * InvSqrt2);
        return 0.5 * x * (1.0 + inner);
    }
}
