using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>sign(x): -1, 0 or 1. Piecewise constant, so its derivative is zero (and sign(0) = 0 keeps |x|'(0) = 0).</summary>
public sealed class SignOp : PiecewiseConstant
{
    internal static readonly SignOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "sign";
    internal override UnaryKernel Operator => UnaryKernel<SignOperator>.Instance;
}

/// <summary>sign x ∈ {-1, 0, 1}; NaN gives 0.</summary>
internal struct SignOperator : IUnaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> => (Vector256.GreaterThan(x, Vector256<T>.Zero) & Vector256<T>.One) - (Vector256.LessThan(x, Vector256<T>.Zero) & Vector256<T>.One);
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> => (Vector512.GreaterThan(x, Vector512<T>.Zero) & Vector512<T>.One) - (Vector512.LessThan(x, Vector512<T>.Zero) & Vector512<T>.One);
}

public static partial class Ex
{
    /// <summary>sign(x) element-wise: -1, 0 or 1.</summary>
    public static Expr Sign(Expr x) => Primitive.Build(SignOp.Instance, x);
}
