using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>d sin(x) = cos(x) dx</summary>
public sealed class SinOp : UnaryElementwise
{
    internal static readonly SinOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "sin";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Sin", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => Latex.Call("\\sin", a);
    internal override UnaryKernel Operator => UnaryKernel<SinOperator>.Instance;
    internal override Expr Derivative(Apply y) => Ex.Cos(y.Arg(0));
}

/// <summary>sin x.</summary>
internal struct SinOperator : IUnaryOp
{
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sin(x);
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> => VectorMath.Sin(x);
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> => VectorMath.Sin(x);
}

public static partial class Ex
{
    /// <summary>sin(x) element-wise.</summary>
    public static Expr Sin(Expr x) => Primitive.Build(SinOp.Instance, x);
}

public abstract partial class Expr
{
    /// <summary>sin(x) element-wise; lets F#'s own <c>sin</c> work on expressions.</summary>
    public static Expr Sin(Expr x) => Ex.Sin(x);
}
