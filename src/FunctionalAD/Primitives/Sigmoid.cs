using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>d σ(x) = σ(x)(1 - σ(x)) dx</summary>
public sealed class SigmoidOp : UnaryElementwise
{
    internal static readonly SigmoidOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "sigmoid";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Sigmoid", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => Latex.Call("\\sigma", a);
    internal override UnaryKernel Operator => UnaryKernel<SigmoidOperator>.Instance;
    internal override Expr Derivative(Apply y) => y * (1f - y);
}

/// <summary>
/// σ(x) = 1 / (1 + e⁻ˣ). float32 lanes are widened once and the formula runs in float64 (e⁻ˣ by <see cref="WideMath"/>) before one rounding:
/// the result is then right down to the subnormals (σ(−88.7) = 3e-39, where e⁸⁸·⁷ overflows float32), and
/// it costs no more than rounding the exp to float32 first.
/// </summary>
internal struct SigmoidOperator : IUnaryOp
{
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating((float)(1 / (1 + WideMath.Exp(-double.CreateTruncating(x))))) : T.One / (T.One + T.Exp(-x));

    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float)) return Vector256<T>.One / (Vector256<T>.One + VectorMath.Exp(-x));
        var (lo, hi) = Vector256.Widen(x.AsSingle());
        return Vector256.Narrow(Vector256<double>.One / (Vector256<double>.One + WideMath.Exp(-lo)),
            Vector256<double>.One / (Vector256<double>.One + WideMath.Exp(-hi))).As<float, T>();
    }

    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float)) return Vector512<T>.One / (Vector512<T>.One + VectorMath.Exp(-x));
        var (lo, hi) = Vector512.Widen(x.AsSingle());
        return Vector512.Narrow(Vector512<double>.One / (Vector512<double>.One + WideMath.Exp(-lo)),
            Vector512<double>.One / (Vector512<double>.One + WideMath.Exp(-hi))).As<float, T>();
    }
}

public static partial class Ex
{
    /// <summary>sigmoid(x) element-wise.</summary>
    public static Expr Sigmoid(Expr x) => Primitive.Build(SigmoidOp.Instance, x);
}
