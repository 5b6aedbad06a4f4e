using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// exp and log of float64 lanes that hold float32 values (or feed a float32 result), accurate to about 2⁻⁴⁷
/// relative: enough that rounding once to float32 gives the correctly rounded result (no difference from
/// <c>(float)Math.Exp(x)</c> or <c>(float)Math.Log(x)</c> over every float; docs/numerics.md), and far cheaper than
/// full float64 accuracy.
/// </summary>
/// <remarks>
/// Ours rather than the runtime's <c>Vector512.Exp</c>/<c>Log</c>: those are calls into the runtime library, whose
/// speed depends on its tiering (measured 0.86 ns an element once tiered, 3.1 ns in tier-0 or precompiled code, so
/// one-CPU processes and short runs pay 3.5×), where these inline into our kernels, which are optimised from their
/// first call. Each function is the same operations lane by lane in its Vector256 and Vector512 forms, and the
/// scalar form runs the Vector256 form on one lane, so every form gives the same bits.
/// </remarks>
internal static class WideMath
{
    // exp: x = k·ln2 + r with |r| ≤ ln2/2 (Cody–Waite: k·Ln2Hi is exact for |k| < 2¹⁰), e^r by its Taylor series to
    // r¹¹ (truncation below 2⁻⁴⁷), then 2^k added to the exponent field. k comes from adding 1.5·2⁵² to x/ln2:
    // the sum's low mantissa bits are k, so shifting its bits left by 52 gives k in the exponent's place.
    private const double InvLn2 = 1.4426950408889634, Shifter = 6755399441055744.0;
    private const double Ln2Hi = 6.93147180369123816490e-01, Ln2Lo = 1.90821492927058770002e-10;
    // Inputs clamped to [−708, 709] keep e^r·2^k a normal double; float32 results are 0 or ∞ long before.
    private const double ExpLow = -708, ExpHigh = 709;
    private const double E2 = 1.0 / 2, E3 = 1.0 / 6, E4 = 1.0 / 24, E5 = 1.0 / 120, E6 = 1.0 / 720, E7 = 1.0 / 5040,
        E8 = 1.0 / 40320, E9 = 1.0 / 362880, E10 = 1.0 / 3628800, E11 = 1.0 / 39916800;

    // log: x = m·2^e with m in [√½, √2), log m = 2·atanh(s) with s = (m − 1)/(m + 1), |s| ≤ 0.172, by its series to
    // s¹⁷ (truncation below 2⁻⁵⁰). e and m come from integer arithmetic on the bits: subtracting √½'s bits makes the
    // exponent field e; the exponent field plus 1.5·2⁵²'s bits, read as a double, is e + 1.5·2⁵².
    private const long SqrtHalfBits = 0x3FE6A09E667F3BCDL, ExponentField = unchecked((long)0xFFF0000000000000UL);
    private const long ExponentSignBit = 0x800, TwoTo52Bits = 0x4330000000000000L;
    private const double ExponentBias = 4503599627370496.0 + 2048, Ln2 = 0.6931471805599453;
    private const double L1 = 1.0 / 3, L2 = 1.0 / 5, L3 = 1.0 / 7, L4 = 1.0 / 9, L5 = 1.0 / 11, L6 = 1.0 / 13, L7 = 1.0 / 15, L8 = 1.0 / 17;

    /// <summary>eˣ to about 2⁻⁴⁷ relative; 0 below −708 is a tiny normal, ∞ above 709 is a huge one; NaN passes through.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<double> Exp(Vector512<double> d)
    {
        // The native min/max may turn a NaN into a bound; the select at the end puts it back.
        var x = Vector512.MinNative(Vector512.MaxNative(d, Vector512.Create(ExpLow)), Vector512.Create(ExpHigh));
        var t = Vector512.FusedMultiplyAdd(x, Vector512.Create(InvLn2), Vector512.Create(Shifter));
        var k = t - Vector512.Create(Shifter);
        var r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.FusedMultiplyAdd(r, Vector512.Create(E11), Vector512.Create(E10));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512.Create(E9));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512.Create(E8));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512.Create(E7));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512.Create(E6));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512.Create(E5));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512.Create(E4));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512.Create(E3));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512.Create(E2));
        p = Vector512.FusedMultiplyAdd(r, p, Vector512<double>.One);
        p = Vector512.FusedMultiplyAdd(r, p, Vector512<double>.One);
        var y = (p.AsInt64() + Vector512.ShiftLeft(t.AsInt64(), 52)).AsDouble();
        return Vector512.ConditionalSelect(Vector512.Equals(d, d), y, d);
    }

    /// <inheritdoc cref="Exp(Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<double> Exp(Vector256<double> d)
    {
        var x = Vector256.MinNative(Vector256.MaxNative(d, Vector256.Create(ExpLow)), Vector256.Create(ExpHigh));
        var t = Vector256.FusedMultiplyAdd(x, Vector256.Create(InvLn2), Vector256.Create(Shifter));
        var k = t - Vector256.Create(Shifter);
        var r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.FusedMultiplyAdd(r, Vector256.Create(E11), Vector256.Create(E10));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256.Create(E9));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256.Create(E8));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256.Create(E7));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256.Create(E6));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256.Create(E5));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256.Create(E4));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256.Create(E3));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256.Create(E2));
        p = Vector256.FusedMultiplyAdd(r, p, Vector256<double>.One);
        p = Vector256.FusedMultiplyAdd(r, p, Vector256<double>.One);
        var y = (p.AsInt64() + Vector256.ShiftLeft(t.AsInt64(), 52)).AsDouble();
        return Vector256.ConditionalSelect(Vector256.Equals(d, d), y, d);
    }

    /// <inheritdoc cref="Exp(Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Exp(double x) => Exp(Vector256.Create(x)).ToScalar();

    /// <summary>
    /// log x to about 2⁻⁵⁰ relative for positive normal x (every float32 is one once widened); −∞ at ±0, NaN below
    /// 0, ∞ at ∞, NaN passes through. Subnormal float64 inputs are outside its range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<double> Log(Vector512<double> d)
    {
        var bits = d.AsInt64();
        var u = bits - Vector512.Create(SqrtHalfBits);
        var m = (bits - (u & Vector512.Create(ExponentField))).AsDouble();
        var e = ((Vector512.ShiftRightLogical(u, 52) ^ Vector512.Create(ExponentSignBit)) | Vector512.Create(TwoTo52Bits)).AsDouble() - Vector512.Create(ExponentBias);
        var f = m - Vector512<double>.One;
        var s = f / (Vector512.Create(2.0) + f);
        var z = s * s;
        var p = Vector512.FusedMultiplyAdd(z, Vector512.Create(L8), Vector512.Create(L7));
        p = Vector512.FusedMultiplyAdd(z, p, Vector512.Create(L6));
        p = Vector512.FusedMultiplyAdd(z, p, Vector512.Create(L5));
        p = Vector512.FusedMultiplyAdd(z, p, Vector512.Create(L4));
        p = Vector512.FusedMultiplyAdd(z, p, Vector512.Create(L3));
        p = Vector512.FusedMultiplyAdd(z, p, Vector512.Create(L2));
        p = Vector512.FusedMultiplyAdd(z, p, Vector512.Create(L1));
        var s2 = s + s;
        var y = Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2), Vector512.FusedMultiplyAdd(s2, z * p, s2));
        var special = Vector512.ConditionalSelect(Vector512.Equals(d, Vector512<double>.Zero), Vector512.Create(double.NegativeInfinity),
            Vector512.ConditionalSelect(Vector512.LessThan(d, Vector512<double>.Zero), Vector512.Create(double.NaN), d));
        var normal = Vector512.GreaterThan(d, Vector512<double>.Zero) & Vector512.LessThan(d, Vector512.Create(double.PositiveInfinity));
        return Vector512.ConditionalSelect(normal, y, special);
    }

    /// <inheritdoc cref="Log(Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<double> Log(Vector256<double> d)
    {
        var bits = d.AsInt64();
        var u = bits - Vector256.Create(SqrtHalfBits);
        var m = (bits - (u & Vector256.Create(ExponentField))).AsDouble();
        var e = ((Vector256.ShiftRightLogical(u, 52) ^ Vector256.Create(ExponentSignBit)) | Vector256.Create(TwoTo52Bits)).AsDouble() - Vector256.Create(ExponentBias);
        var f = m - Vector256<double>.One;
        var s = f / (Vector256.Create(2.0) + f);
        var z = s * s;
        var p = Vector256.FusedMultiplyAdd(z, Vector256.Create(L8), Vector256.Create(L7));
        p = Vector256.FusedMultiplyAdd(z, p, Vector256.Create(L6));
        p = Vector256.FusedMultiplyAdd(z, p, Vector256.Create(L5));
        p = Vector256.FusedMultiplyAdd(z, p, Vector256.Create(L4));
        p = Vector256.FusedMultiplyAdd(z, p, Vector256.Create(L3));
        p = Vector256.FusedMultiplyAdd(z, p, Vector256.Create(L2));
        p = Vector256.FusedMultiplyAdd(z, p, Vector256.Create(L1));
        var s2 = s + s;
        var y = Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2), Vector256.FusedMultiplyAdd(s2, z * p, s2));
        var special = Vector256.ConditionalSelect(Vector256.Equals(d, Vector256<double>.Zero), Vector256.Create(double.NegativeInfinity),
            Vector256.ConditionalSelect(Vector256.LessThan(d, Vector256<double>.Zero), Vector256.Create(double.NaN), d));
        var normal = Vector256.GreaterThan(d, Vector256<double>.Zero) & Vector256.LessThan(d, Vector256.Create(double.PositiveInfinity));
        return Vector256.ConditionalSelect(normal, y, special);
    }

    /// <inheritdoc cref="Log(Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Log(double x) => Log(Vector256.Create(x)).ToScalar();

    /// <summary>log(1 + y) for y ≥ 0 by <see cref="Log(Vector512{double})"/>, as <see cref="VectorMath.LogP1{T}(Vector512{T})"/> computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<double> LogP1(Vector512<double> y)
    {
        var u = Vector512<double>.One + y;
        return Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<double>.One), y, Log(u) * (y / (u - Vector512<double>.One)));
    }

    /// <inheritdoc cref="LogP1(Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<double> LogP1(Vector256<double> y)
    {
        var u = Vector256<double>.One + y;
        return Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<double>.One), y, Log(u) * (y / (u - Vector256<double>.One)));
    }

    /// <inheritdoc cref="LogP1(Vector512{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LogP1(double y) => LogP1(Vector256.Create(y)).ToScalar();
}
