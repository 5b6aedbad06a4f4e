using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>d |x| = sign(x) dx, so |x|'(0) = 0</summary>
public sealed class AbsOp : UnaryElementwise
{
    internal static readonly AbsOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "abs";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Abs", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => ($"\\left|{a[0].Text}\\right|", Latex.Atom);
    internal override UnaryKernel Operator => UnaryKernel<AbsOperator>.Instance;
    internal override Expr Derivative(Apply y) => Ex.Sign(y.Arg(0));
}

/// <summary>|x|.</summary>
internal struct AbsOperator : IUnaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Abs(x);
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector256.Abs(x);
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector512.Abs(x);
}

public static partial class Ex
{
    /// <summary>abs(x) element-wise.</summary>
    public static Expr Abs(Expr x) => Primitive.Build(AbsOp.Instance, x);
}

public abstract partial class Expr
{
    /// <summary>abs(x) element-wise; lets F#'s own <c>abs</c> work on expressions.</summary>
    public static Expr Abs(Expr x) => Ex.Abs(x);
}
