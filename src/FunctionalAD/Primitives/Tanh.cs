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
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => Latex.Call("\\tanh", a);
    internal override UnaryKernel Operator => UnaryKernel<TanhOperator>.Instance;
    internal override Expr Derivative(Apply y) => 1f - y * y;
}

/// <summary>
/// tanh x. float32: an odd rational minimax fit on [-c, c] (the coefficients Eigen uses; a few ulp, about ten
/// times faster than going through exp), ±1 from 9 on, x itself below 0.0004. float64: the runtime's tanh, lane by lane.
/// </summary>
internal struct TanhOperator : IUnaryOp
{
    private const float Clamp = 7.90531110763549805f;
    private const float A1 = 4.89352455891786e-03f, A3 = 6.37261928875436e-04f, A5 = 1.48572235717979e-05f, A7 = 5.12229709037114e-08f,
        A9 = -8.60467152213735e-11f, A11 = 2.00018790482477e-13f, A13 = -2.76076847742355e-16f;
    private const float B0 = 4.89352518554385e-03f, B2 = 2.26843463243900e-03f, B4 = 1.18534705686654e-04f, B6 = 1.19825839466702e-06f;

    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(Single(float.CreateTruncating(x))) : T.Tanh(x);

    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Single(x.AsSingle()).As<float, T>() : VectorMath.PerLane(x, static v => T.Tanh(v));

    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Single(x.AsSingle()).As<float, T>() : VectorMath.PerLane(x, static v => T.Tanh(v));

    private static float Single(float v)
    {
        if (float.IsNaN(v)) return v;
        float x = Math.Clamp(v, -Clamp, Clamp), x2 = x * x;
        float p = MathF.FusedMultiplyAdd(x2, A13, A11);
        p = MathF.FusedMultiplyAdd(x2, p, A9);
        p = MathF.FusedMultiplyAdd(x2, p, A7);
        p = MathF.FusedMultiplyAdd(x2, p, A5);
        p = MathF.FusedMultiplyAdd(x2, p, A3);
        p = MathF.FusedMultiplyAdd(x2, p, A1);
        float q = MathF.FusedMultiplyAdd(x2, B6, B4);
        q = MathF.FusedMultiplyAdd(x2, q, B2);
        q = MathF.FusedMultiplyAdd(x2, q, B0);
        return MathF.Abs(v) < 0.0004f ? v : MathF.Abs(v) >= 9f ? MathF.CopySign(1f, v) : x * p / q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Single(Vector512<float> v)
    {
        var x = Vector512.Min(Vector512.Max(v, Vector512.Create(-Clamp)), Vector512.Create(Clamp));
        var x2 = x * x;
        var p = Vector512.FusedMultiplyAdd(x2, Vector512.Create(A13), Vector512.Create(A11));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A9));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A7));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A5));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A3));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A1));
        var q = Vector512.FusedMultiplyAdd(x2, Vector512.Create(B6), Vector512.Create(B4));
        q = Vector512.FusedMultiplyAdd(x2, q, Vector512.Create(B2));
        q = Vector512.FusedMultiplyAdd(x2, q, Vector512.Create(B0));
        var r = x * p / q;
        // Tiny inputs return themselves (tanh x = x to float precision); NaN passes through the same way.
        var keep = Vector512.LessThan(Vector512.Abs(v), Vector512.Create(0.0004f)) | ~Vector512.Equals(v, v);
        // From 9 on, tanh rounds to ±1 in float; the fit stops a few ulps short of it.
        r = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512.Abs(v), Vector512.Create(9f)), Vector512.CopySign(Vector512<float>.One, v), r);
        return Vector512.ConditionalSelect(keep, v, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Single(Vector256<float> v)
    {
        var x = Vector256.Min(Vector256.Max(v, Vector256.Create(-Clamp)), Vector256.Create(Clamp));
        var x2 = x * x;
        var p = Vector256.FusedMultiplyAdd(x2, Vector256.Create(A13), Vector256.Create(A11));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A9));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A7));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A5));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A3));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A1));
        var q = Vector256.FusedMultiplyAdd(x2, Vector256.Create(B6), Vector256.Create(B4));
        q = Vector256.FusedMultiplyAdd(x2, q, Vector256.Create(B2));
        q = Vector256.FusedMultiplyAdd(x2, q, Vector256.Create(B0));
        var r = x * p / q;
        var keep = Vector256.LessThan(Vector256.Abs(v), Vector256.Create(0.0004f)) | ~Vector256.Equals(v, v);
        r = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(Vector256.Abs(v), Vector256.Create(9f)), Vector256.CopySign(Vector256<float>.One, v), r);
        return Vector256.ConditionalSelect(keep, v, r);
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
