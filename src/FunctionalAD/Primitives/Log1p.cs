using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>log1p(x) = log(1 + x), accurate where 1 + x rounds to 1 (as <c>tf.math.log1p</c>). d log1p(x) = dx / (1 + x).</summary>
public sealed class Log1pOp : UnaryElementwise
{
    internal static readonly Log1pOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "log1p";
    // ONNX has no log1p: log(1 + x) agrees to float64 rounding of 1 + x (absolute error near 1e-16 for tiny x).
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Log", [b.Node("Add", [b.Scalar(1, node.DType), a[0]])]);
    internal override UnaryKernel Operator => UnaryKernel<Log1pOperator>.Instance;
    internal override Expr Derivative(Apply y) => 1f / (1f + y.Arg(0));
}

/// <summary>log(u)·x/(u - 1) with u = 1 + x (Goldberg), x itself where u = 1; -∞ at -1, NaN below.</summary>
internal struct Log1pOperator : IUnaryOp
{
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.IsPositiveInfinity(x) ? x : VectorMath.LogP1(x);
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(T.PositiveInfinity)), x, VectorMath.LogP1(x));
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(T.PositiveInfinity)), x, VectorMath.LogP1(x));
}

public static partial class Ex
{
    /// <summary>log(1 + x) element-wise, accurate for tiny x; <c>tf.math.log1p</c>.</summary>
    public static Expr Log1p(Expr x) => Primitive.Build(Log1pOp.Instance, x);
}
