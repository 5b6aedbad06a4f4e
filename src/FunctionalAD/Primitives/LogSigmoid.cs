using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// log σ(x) = -softplus(-x) = min(x, 0) - log1p(e^-|x|) (as <c>tf.math.log_sigmoid</c>): never overflows, and keeps
/// the tiny e^-x that log(σ(x)) would round away for large x. d log σ(x) = σ(-x) dx.
/// </summary>
public sealed class LogSigmoidOp : UnaryElementwise
{
    internal static readonly LogSigmoidOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "log_sigmoid";
    // min(x, 0) − log(1 + e^−|x|), as the kernel, so it stays finite at any magnitude.
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Sub", [b.Node("Min", [a[0], b.Scalar(0, node.DType)]),
        b.Node("Log", [b.Node("Add", [b.Scalar(1, node.DType), b.Node("Exp", [b.Node("Neg", [b.Node("Abs", a)])])])])]);
    internal override UnaryKernel Operator => UnaryKernel<LogSigmoidOperator>.Instance;
    internal override Expr Derivative(Apply y) => Ex.Sigmoid(-y.Arg(0));
}

/// <summary>min(x, 0) - log1p(e^-|x|).</summary>
internal struct LogSigmoidOperator : IUnaryOp
{
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Min(x, T.Zero) - VectorMath.LogP1(VectorMath.Exp(-T.Abs(x)));
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.Min(x, Vector256<T>.Zero) - VectorMath.LogP1(VectorMath.Exp(-Vector256.Abs(x)));
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector512.Min(x, Vector512<T>.Zero) - VectorMath.LogP1(VectorMath.Exp(-Vector512.Abs(x)));
}

public static partial class Ex
{
    /// <summary>log σ(x) = -softplus(-x) element-wise, stable at any magnitude; <c>tf.math.log_sigmoid</c>.</summary>
    public static Expr LogSigmoid(Expr x) => Primitive.Build(LogSigmoidOp.Instance, x);
}
