using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>d tanh(x) = (1 - tanh²(x)) dx</summary>
public sealed class TanhOp : UnaryElementwise
{
    internal static readonly TanhOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "tanh";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Tanh", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => Latex.Call("\\tanh", a);
    internal override UnaryKernel Operator => UnaryKernel<TanhOperator>.Instance;
    internal override Expr Derivative(Apply y) => 1f - y * y;
}

/// <summary>
/// tanh x. float32: x·P(x²)/Q(x²) on [−9.1, 9.1] (fitted on [−10, 10]) with P of degree 4 and Q of degree 5 in x², P(0) = Q(0) = 1 and all
/// coefficients positive (nothing cancels), a relative minimax fit (3e-9 before rounding; the measured error
/// over all floats is in docs/numerics.md), clamped
/// beyond ±9.1 where tanh rounds to ±1 (the fit gives exactly ±1 there), the result kept within [−1, 1] so
/// 1 − tanh² ≥ 0. With P(0) = Q(0) = 1 tiny inputs (subnormals, ±0) return themselves
/// with no special case; NaN passes through. Ten multiply-adds and one division, the same in scalar,
/// Vector256 and Vector512 forms. float64: the runtime's tanh, lane by lane.
/// </summary>
internal struct TanhOperator : IUnaryOp
{
    // tanh rounds to ±1 in float from 9.01 on; at 9.1 the fit's rounded value is 1 too.
    private const float Clamp = 9.1f;
    private const float A3 = 0.13738970273932305f, A5 = 0.0039495655043239395f, A7 = 3.0321757703106144e-5f, A9 = 4.6417613119236565e-8f;
    private const float B2 = 0.47072301857355312f, B4 = 0.02752393704439357f, B6 = 0.00041012861822429688f, B8 = 1.5202579212778833e-6f,
        B10 = 6.5153669782859612e-10f;

    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(Single(float.CreateTruncating(x))) : T.Tanh(x);

    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Single(x.AsSingle()).As<float, T>() : VectorMath.PerLane(x, static v => T.Tanh(v));

    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Single(x.AsSingle()).As<float, T>() : VectorMath.PerLane(x, static v => T.Tanh(v));

    private static float Single(float v)
    {
        if (float.IsNaN(v)) return v;
        float x = Math.Clamp(v, -Clamp, Clamp), s = x * x;
        float p = MathF.FusedMultiplyAdd(s, A9, A7);
        p = MathF.FusedMultiplyAdd(s, p, A5);
        p = MathF.FusedMultiplyAdd(s, p, A3);
        p = MathF.FusedMultiplyAdd(s, p, 1f);
        float q = MathF.FusedMultiplyAdd(s, B10, B8);
        q = MathF.FusedMultiplyAdd(s, q, B6);
        q = MathF.FusedMultiplyAdd(s, q, B4);
        q = MathF.FusedMultiplyAdd(s, q, B2);
        q = MathF.FusedMultiplyAdd(s, q, 1f);
        // Rounding carries the quotient a step past 1 for some inputs near the clamp; |tanh| ≤ 1 keeps 1 − tanh² ≥ 0.
        return Math.Clamp(x * p / q, -1f, 1f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Single(Vector512<float> v)
    {
        // The native min/max (one instruction each, where IEEE Min/Max take several) may turn a NaN into a
        // bound; the select at the end puts it back. ±0 and subnormals never reach a bound.
        var x = Vector512.MinNative(Vector512.MaxNative(v, Vector512.Create(-Clamp)), Vector512.Create(Clamp));
        var s = x * x;
        var p = Vector512.FusedMultiplyAdd(s, Vector512.Create(A9), Vector512.Create(A7));
        p = Vector512.FusedMultiplyAdd(s, p, Vector512.Create(A5));
        p = Vector512.FusedMultiplyAdd(s, p, Vector512.Create(A3));
        p = Vector512.FusedMultiplyAdd(s, p, Vector512<float>.One);
        var q = Vector512.FusedMultiplyAdd(s, Vector512.Create(B10), Vector512.Create(B8));
        q = Vector512.FusedMultiplyAdd(s, q, Vector512.Create(B6));
        q = Vector512.FusedMultiplyAdd(s, q, Vector512.Create(B4));
        q = Vector512.FusedMultiplyAdd(s, q, Vector512.Create(B2));
        q = Vector512.FusedMultiplyAdd(s, q, Vector512<float>.One);
        // Rounding carries the quotient a step past 1 for some inputs near the clamp; |tanh| ≤ 1 keeps 1 − tanh² ≥ 0.
        var r = Vector512.MinNative(Vector512.MaxNative(x * p / q, Vector512.Create(-1f)), Vector512<float>.One);
        return Vector512.ConditionalSelect(Vector512.Equals(v, v), r, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Single(Vector256<float> v)
    {
        var x = Vector256.MinNative(Vector256.MaxNative(v, Vector256.Create(-Clamp)), Vector256.Create(Clamp));
        var s = x * x;
        var p = Vector256.FusedMultiplyAdd(s, Vector256.Create(A9), Vector256.Create(A7));
        p = Vector256.FusedMultiplyAdd(s, p, Vector256.Create(A5));
        p = Vector256.FusedMultiplyAdd(s, p, Vector256.Create(A3));
        p = Vector256.FusedMultiplyAdd(s, p, Vector256<float>.One);
        var q = Vector256.FusedMultiplyAdd(s, Vector256.Create(B10), Vector256.Create(B8));
        q = Vector256.FusedMultiplyAdd(s, q, Vector256.Create(B6));
        q = Vector256.FusedMultiplyAdd(s, q, Vector256.Create(B4));
        q = Vector256.FusedMultiplyAdd(s, q, Vector256.Create(B2));
        q = Vector256.FusedMultiplyAdd(s, q, Vector256<float>.One);
        // Rounding carries the quotient a step past 1 for some inputs near the clamp; |tanh| ≤ 1 keeps 1 − tanh² ≥ 0.
        var r = Vector256.MinNative(Vector256.MaxNative(x * p / q, Vector256.Create(-1f)), Vector256<float>.One);
        return Vector256.ConditionalSelect(Vector256.Equals(v, v), r, v);
    }
}

public static partial class Ex
{
    /// <summary>tanh(x) element-wise.</summary>
    public static Expr Tanh(Expr x) => Primitive.Build(TanhOp.Instance, x);
}

public abstract partial class Expr
{
    /// <summary>tanh(x) element-wise; lets F#'s own <c>tanh</c> work on expressions.</summary>
    public static Expr Tanh(Expr x) => Ex.Tanh(x);
}
