using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>d(-x) = -dx.</summary>
public sealed class NegateOp : UnaryElementwise
{
    internal static readonly NegateOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "negate";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Neg", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a)
    {
        // -(a b) = -a b in value: only a sum or another minus needs parentheses.
        bool paren = a[0].Prec < Latex.Product || a[0].Minus;
        return ($"-{Latex.Wrap(a[0], paren)}", paren ? Latex.Prefix : Math.Min(a[0].Prec, Latex.Prefix));
    }
    internal override UnaryKernel Operator => UnaryKernel<NegateOperator>.Instance;
    internal override int Precedence => Printer.Prefix;
    internal override string Format(string[] a) => "-" + a[0];
    internal override Expr Derivative(Apply y) => Ex.Fill(-1, y.Shape, y.DType);
    internal override Expr Vjp(Apply y, int arg, Expr g) => -g;
    internal override Expr Jvp(Apply y, Expr?[] t) => -t[0]!;

    internal override Expr? Simplify(Expr[] a) =>
        a[0] is Apply { Op: NegateOp } n ? n.Arg(0) :
        Ex.IsZero(a[0]) ? a[0] :
        a[0] is Apply { Op: SubtractOp } s ? s.Arg(1) - s.Arg(0) : null;
}

/// <summary>-x.</summary>
internal struct NegateOperator : IUnaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => -x;
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> => -x;
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> => -x;
}

public static partial class Ex
{
    /// <summary>-x element-wise.</summary>
    public static Expr Negate(Expr x) => Primitive.Build(NegateOp.Instance, x);
}
