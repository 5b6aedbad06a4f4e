using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>expm1(x) = eˣ - 1, accurate for tiny x (as <c>tf.math.expm1</c>). d expm1(x) = eˣ dx = (expm1(x) + 1) dx.</summary>
public sealed class Expm1Op : UnaryElementwise
{
    internal static readonly Expm1Op Instance = new();
    /// <inheritdoc/>
    public override string Name => "expm1";
    // ONNX has no expm1: eˣ − 1 agrees to the rounding of eˣ (absolute error near 1e-16 for tiny x).
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Sub", [b.Node("Exp", a), b.Scalar(1, node.DType)]);
    internal override UnaryKernel Operator => UnaryKernel<Expm1Operator>.Instance;
    internal override Expr Derivative(Apply y) => y + 1f;
}

/// <summary>
/// (u - 1)·x / log(u) with u = eˣ (Kahan): the rounding error of u cancels between numerator and denominator.
/// x itself where u rounds to 1, -1 where u - 1 rounds to -1, u where u is infinite.
/// </summary>
internal struct Expm1Operator : IUnaryOp
{
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = VectorMath.Exp(x);
        if (u == T.One) return x;
        T um1 = u - T.One;
        if (um1 == -T.One || T.IsInfinity(u)) return um1;
        return um1 * x / VectorMath.Log(u);
    }

    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var u = VectorMath.Exp(x);
        var um1 = u - Vector256<T>.One;
        var r = um1 * x / VectorMath.Log(u);
        var raw = Vector256.Equals(um1, Vector256.Create(-T.One)) | Vector256.Equals(u, Vector256.Create(T.PositiveInfinity));
        r = Vector256.ConditionalSelect(raw, um1, r);
        return Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<T>.One), x, r);
    }

    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var u = VectorMath.Exp(x);
        var um1 = u - Vector512<T>.One;
        var r = um1 * x / VectorMath.Log(u);
        var raw = Vector512.Equals(um1, Vector512.Create(-T.One)) | Vector512.Equals(u, Vector512.Create(T.PositiveInfinity));
        r = Vector512.ConditionalSelect(raw, um1, r);
        return Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<T>.One), x, r);
    }
}

public static partial class Ex
{
    /// <summary>eˣ - 1 element-wise, accurate for tiny x; <c>tf.math.expm1</c>.</summary>
    public static Expr Expm1(Expr x) => Primitive.Build(Expm1Op.Instance, x);
}
