using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>a - b with broadcasting. ∂/∂a = 1, ∂/∂b = -1.</summary>
public sealed class SubtractOp : BinaryElementwise
{
    internal static readonly SubtractOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "subtract";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Sub", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => ($"{Latex.Wrap(a[0], a[0].Prec < Latex.Sum)} - {Latex.Right(a[1], a[1].Prec <= Latex.Sum)}", Latex.Sum);
    internal override BinaryKernel Operator => BinaryKernel<SubtractOperator>.Instance;
    internal override string Symbol => "-";
    internal override int Precedence => Printer.Sum;
    internal override Expr Partial(Apply z, int arg) => Ex.Fill(arg == 0 ? 1 : -1, z.Shape, z.DType);
    internal override Expr Vjp(Apply z, int arg, Expr g) => Ex.SumTo(arg == 0 ? g : -g, z.Arg(arg).Shape);

    internal override Expr? Simplify(Expr[] a)
    {
        var shape = Shape.TryBroadcast(a[0].Shape, a[1].Shape)!;
        if (Ex.IsZero(a[1])) return Ex.BroadcastTo(a[0], shape);
        if (Ex.IsZero(a[0])) return Ex.BroadcastTo(-a[1], shape);
        if (ReferenceEquals(a[0], a[1])) return Ex.Zeros(shape, a[0].DType);
        if (a[1] is Apply { Op: NegateOp } n) return a[0] + n.Arg(0);
        return null;
    }
}

/// <summary>a - b.</summary>
internal struct SubtractOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a - b;
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a - b;
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a - b;
}

public static partial class Ex
{
    /// <summary>a - b with NumPy broadcasting.</summary>
    public static Expr Subtract(Expr a, Expr b) => Binary(SubtractOp.Instance, a, b);
}
