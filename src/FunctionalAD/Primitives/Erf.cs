using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>erf(x) = 2/√π ∫₀ˣ e^-t² dt (as <c>tf.math.erf</c>). d erf(x) = 2/√π · e^-x² dx.</summary>
public sealed class ErfOp : UnaryElementwise
{
    internal static readonly ErfOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "erf";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Erf", a);
    internal override UnaryKernel Operator => UnaryKernel<ErfOperator>.Instance;
    internal override Expr Derivative(Apply y) => ErfOperator.TwoOverSqrtPi * Ex.Exp(-Ex.Square(y.Arg(0)));
}

/// <summary>
/// erf. float64, four lanes at a time: |x| &lt; 2.5: 2/√π · e^-x² · Σ 2ⁿx^(2n+1)/(1·3···(2n+1)), a series of positive
/// terms, so nothing cancels; 2.5 ≤ |x| &lt; 6: 1 - erfc(x) with erfc from its continued fraction
/// e^-x²/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))); beyond 6, ±1 (erfc(6) ≈ 2·10⁻¹⁷ is below float64's half ulp of 1).
/// Within 8 ulp (10⁻¹⁵ relative) of a 28-digit reference; accurate rather than fast (tens of iterations per element).
/// float32, widened to float64 lanes: near-minimax Chebyshev fits made for this library with mpmath's chebyfit,
/// x·P(x²) (degree 7, error 3·10⁻¹¹) for |x| &lt; 1 and 1 - e^-x²·R(1/x - 0.625) (degree 10 for erfc(x)·e^x², error
/// 7·10⁻¹⁰) for 1 ≤ |x| &lt; 4, 1 beyond; rounded once to float32, so within an ulp. Every form (scalar, Vector256,
/// Vector512) runs the one Vector256 routine of its type, so all backends give the same bits.
/// </summary>
internal struct ErfOperator : IUnaryOp
{
    internal const double TwoOverSqrtPi = 1.1283791670955125738961589031215452;
    private const double OneOverSqrtPi = 0.56418958354775628694807945156077259;

    // erf(x)/x as a polynomial in t = x², |x| < 1, highest degree first.
    private static readonly double[] P =
    {
        -9.6670445714869964e-6, 0.00011265959025606609, -0.00084840804055351063, 0.0052210318078580228,
        -0.026865430727670243, 0.11283782495236845, -0.3761263846802871, 1.1283791670615434,
    };

    // erfc(x)·e^x² as a polynomial in v = 1/x - 0.625, 1 ≤ x ≤ 4, highest degree first.
    private static readonly double[] Q =
    {
        -0.032892208538434746, 0.026034014634299878, 0.0044559005637013935, -0.026927345307460468,
        0.043242407102083356, -0.046942296065290854, 0.023329452647164608, 0.043766910221260762,
        -0.17239474805220902, 0.38228377200157301, 0.30595299227094106,
    };

    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float)
            ? T.CreateTruncating((float)Single(Vector256.Create(double.CreateTruncating(x))).GetElement(0))
            : T.CreateTruncating(Erf(Vector256.Create(double.CreateTruncating(x))).GetElement(0));

    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return Erf(x.AsDouble()).As<double, T>();
        var (lo, hi) = Vector256.Widen(x.AsSingle());
        return Vector256.Narrow(Single(lo), Single(hi)).As<float, T>();
    }

    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector512.Create(Invoke(x.GetLower()), Invoke(x.GetUpper()));

    /// <summary>erf(x) for float32 inputs held in float64 lanes, accurate to well below float32's ulp.</summary>
    internal static Vector256<double> Single(Vector256<double> x)
    {
        var a = Vector256.Abs(x);
        var s = Vector256.Min(a, Vector256<double>.One);
        var t = s * s;
        var p = Vector256.Create(P[0]);
        for (int i = 1; i < P.Length; i++) p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(P[i]));
        var near = s * p;
        var c = Vector256.Min(Vector256.Max(a, Vector256<double>.One), Vector256.Create(4.0));
        var v = Vector256<double>.One / c - Vector256.Create(0.625);
        var q = Vector256.Create(Q[0]);
        for (int i = 1; i < Q.Length; i++) q = Vector256.FusedMultiplyAdd(q, v, Vector256.Create(Q[i]));
        var far = Vector256<double>.One - VectorMath.Exp(-(c * c)) * q;
        var r = Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256<double>.One), near,
            Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(4.0)), far, Vector256<double>.One));
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), Vector256.CopySign(r, x), x);
    }

    /// <summary>erf(x) in float64 for four lanes.</summary>
    internal static Vector256<double> Erf(Vector256<double> x)
    {
        var a = Vector256.Abs(x);
        // The series on min(|x|, 2.5), stopping once every lane's next term is below 10⁻¹⁸ of its sum (later terms,
        // smaller still, would not change the sum's rounding).
        var s = Vector256.Min(a, Vector256.Create(2.5));
        var x2 = s * s;
        var twoX2 = x2 + x2;
        Vector256<double> term = s, sum = s;
        for (int n = 0; n < 200 && Vector256.GreaterThanAny(term, sum * 1e-18); n++)
        {
            term *= twoX2 / Vector256.Create(2.0 * n + 3);
            sum += term;
        }
        var near = Vector256.Create(TwoOverSqrtPi) * VectorMath.Exp(-x2) * sum;
        // The continued fraction on max(|x|, 2.5), evaluated from the tail inwards; 60 levels converge from 2.5 on.
        var c = Vector256.Max(a, Vector256.Create(2.5));
        var t = c;
        for (int n = 60; n >= 1; n--) t = c + Vector256.Create(0.5 * n) / t;
        var far = Vector256<double>.One - VectorMath.Exp(-(c * c)) * Vector256.Create(OneOverSqrtPi) / t;
        var r = Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(2.5)), near,
            Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(6.0)), far, Vector256<double>.One));
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), Vector256.CopySign(r, x), x);
    }
}

public static partial class Ex
{
    /// <summary>The error function erf(x) element-wise; <c>tf.math.erf</c>.</summary>
    public static Expr Erf(Expr x) => Primitive.Build(ErfOp.Instance, x);
}
