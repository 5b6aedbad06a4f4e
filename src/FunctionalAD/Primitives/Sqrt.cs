using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>d sqrt(x) = dx / (2 sqrt(x))</summary>
public sealed class SqrtOp : UnaryElementwise
{
    internal static readonly SqrtOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "sqrt";
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => ($"\\sqrt{{{a[0].Text}}}", Latex.Atom);
    internal override UnaryKernel Operator => UnaryKernel<SqrtOperator>.Instance;
    internal override Expr Derivative(Apply y) => 0.5f / y;
}

/// <summary>√x.</summary>
internal struct SqrtOperator : IUnaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sqrt(x);
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector256.Sqrt(x);
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector512.Sqrt(x);
}

public static partial class Ex
{
    /// <summary>sqrt(x) element-wise.</summary>
    public static Expr Sqrt(Expr x) => Primitive.Build(SqrtOp.Instance, x);
}

public abstract partial class Expr
{
    /// <summary>sqrt(x) element-wise; lets F#'s own <c>sqrt</c> work on expressions.</summary>
    public static Expr Sqrt(Expr x) => Ex.Sqrt(x);
}
