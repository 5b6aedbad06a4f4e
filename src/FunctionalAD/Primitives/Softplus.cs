using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>softplus(x) = log(1 + eˣ), computed as max(x, 0) + log1p(e^-|x|) so it neither overflows nor rounds small values to 0. d softplus(x) = σ(x) dx.</summary>
public sealed class SoftplusOp : UnaryElementwise
{
    internal static readonly SoftplusOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "softplus";
    // max(x, 0) + log(1 + exp(-|x|)), as the kernel: finite for any x, and ONNX Runtime has no float64 Softplus.
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Add", [b.Node("Relu", a),
        b.Node("Log", [b.Node("Add", [b.Scalar(1, node.DType), b.Node("Exp", [b.Node("Neg", [b.Node("Abs", a)])])])])]);
    internal override UnaryKernel Operator => UnaryKernel<SoftplusOperator>.Instance;
    internal override Expr Derivative(Apply y) => Ex.Sigmoid(y.Arg(0));
}

/// <summary>
/// max(x, 0) + log1p(e^-|x|): never overflows, and keeps e^x where it is below the rounding of 1 + e^x.
/// float32 lanes are widened once and the whole formula runs in float64 before one rounding, rather than
/// rounding after the exp and again after the log: fewer conversions, and the result is the float64
/// formula's, correctly rounded in practice.
/// </summary>
internal struct SoftplusOperator : IUnaryOp
{
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating((float)Wide(double.CreateTruncating(x))) : T.Max(x, T.Zero) + VectorMath.LogP1(T.Exp(-T.Abs(x)));

    // float32: the formula on float64 lanes, with WideMath's exp and log.
    private static double Wide(double x) => Math.Max(x, 0) + WideMath.LogP1(WideMath.Exp(-Math.Abs(x)));

    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float)) return Formula(x);
        var (lo, hi) = Vector256.Widen(x.AsSingle());
        return Vector256.Narrow(Wide(lo), Wide(hi)).As<float, T>();
    }

    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float)) return Formula(x);
        var (lo, hi) = Vector512.Widen(x.AsSingle());
        return Vector512.Narrow(Wide(lo), Wide(hi)).As<float, T>();
    }

    private static Vector256<T> Formula<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.Max(x, Vector256<T>.Zero) + VectorMath.LogP1(VectorMath.Exp(-Vector256.Abs(x)));

    private static Vector256<double> Wide(Vector256<double> x) =>
        Vector256.Max(x, Vector256<double>.Zero) + WideMath.LogP1(WideMath.Exp(-Vector256.Abs(x)));

    private static Vector512<T> Formula<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector512.Max(x, Vector512<T>.Zero) + VectorMath.LogP1(VectorMath.Exp(-Vector512.Abs(x)));

    private static Vector512<double> Wide(Vector512<double> x) =>
        Vector512.Max(x, Vector512<double>.Zero) + WideMath.LogP1(WideMath.Exp(-Vector512.Abs(x)));
}

public static partial class Ex
{
    /// <summary>log(1 + eˣ) element-wise, stable for large |x|.</summary>
    public static Expr Softplus(Expr x) => Primitive.Build(SoftplusOp.Instance, x);
}
