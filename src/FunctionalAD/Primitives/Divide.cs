using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>a / b with broadcasting. ∂/∂a = 1/b, ∂/∂b = -a/b² = -z/b.</summary>
public sealed class DivideOp : BinaryElementwise
{
    internal static readonly DivideOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "divide";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Div", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => ($"\\frac{{{a[0].Text}}}{{{a[1].Text}}}", Latex.Product);
    internal override BinaryKernel Operator => BinaryKernel<DivideOperator>.Instance;
    internal override string Symbol => "/";
    internal override int Precedence => Printer.Product;
    internal override Expr Partial(Apply z, int arg) => arg == 0 ? 1f / z.Arg(1) : -z / z.Arg(1);
    internal override Expr Vjp(Apply z, int arg, Expr g) =>
        Ex.SumTo(arg == 0 ? g / z.Arg(1) : -(g * z) / z.Arg(1), z.Arg(arg).Shape);

    internal override Expr? Simplify(Expr[] a)
    {
        var shape = Shape.TryBroadcast(a[0].Shape, a[1].Shape)!;
        if (Ex.IsUniform(a[1], 1)) return Ex.BroadcastTo(a[0], shape);
        if (Ex.IsZero(a[0])) return Ex.Zeros(shape, a[0].DType);
        if (a[0] is Apply { Op: NegateOp } n) return -(n.Arg(0) / a[1]);
        return null;
    }
}

/// <summary>a / b.</summary>
internal struct DivideOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a / b;
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a / b;
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a / b;
}

public static partial class Ex
{
    /// <summary>a / b element-wise with NumPy broadcasting.</summary>
    public static Expr Divide(Expr a, Expr b) => Binary(DivideOp.Instance, a, b);
}
