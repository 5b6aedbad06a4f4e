using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>d cos(x) = -sin(x) dx</summary>
public sealed class CosOp : UnaryElementwise
{
    internal static readonly CosOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "cos";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Cos", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => Latex.Call("\\cos", a);
    internal override UnaryKernel Operator => UnaryKernel<CosOperator>.Instance;
    internal override Expr Derivative(Apply y) => -Ex.Sin(y.Arg(0));
}

/// <summary>cos x.</summary>
internal struct CosOperator : IUnaryOp
{
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Cos(x);
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> => VectorMath.Cos(x);
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> => VectorMath.Cos(x);
}

public static partial class Ex
{
    /// <summary>cos(x) element-wise.</summary>
    public static Expr Cos(Expr x) => Primitive.Build(CosOp.Instance, x);
}

public abstract partial class Expr
{
    /// <summary>cos(x) element-wise; lets F#'s own <c>cos</c> work on expressions.</summary>
    public static Expr Cos(Expr x) => Ex.Cos(x);
}
