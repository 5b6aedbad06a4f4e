using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>d σ(x) = σ(x)(1 - σ(x)) dx</summary>
public sealed class SigmoidOp : UnaryElementwise
{
    internal static readonly SigmoidOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "sigmoid";
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => Latex.Call("\\sigma", a);
    internal override UnaryKernel Operator => UnaryKernel<SigmoidOperator>.Instance;
    internal override Expr Derivative(Apply y) => y * (1f - y);
}

/// <summary>σ(x) = 1 / (1 + e⁻ˣ).</summary>
internal struct SigmoidOperator : IUnaryOp
{
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector256<T>.One / (Vector256<T>.One + VectorMath.Exp(-x));
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector512<T>.One / (Vector512<T>.One + VectorMath.Exp(-x));
}

public static partial class Ex
{
    /// <summary>sigmoid(x) element-wise.</summary>
    public static Expr Sigmoid(Expr x) => Primitive.Build(SigmoidOp.Instance, x);
}
