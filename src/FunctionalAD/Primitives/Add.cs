using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>a + b with broadcasting. ∂/∂a = 1, ∂/∂b = 1.</summary>
public sealed class AddOp : BinaryElementwise
{
    internal static readonly AddOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "add";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Add", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => ($"{Latex.Wrap(a[0], a[0].Prec < Latex.Sum)} + {Latex.Right(a[1], a[1].Prec < Latex.Sum)}", Latex.Sum);
    internal override BinaryKernel Operator => BinaryKernel<AddOperator>.Instance;
    internal override string Symbol => "+";
    internal override int Precedence => Printer.Sum;
    internal override bool Associative => true;
    internal override Expr Partial(Apply z, int arg) => Ex.OnesLike(z);
    internal override Expr Vjp(Apply z, int arg, Expr g) => Ex.SumTo(g, z.Arg(arg).Shape);

    internal override Expr? Simplify(Expr[] a)
    {
        if (Ex.IsZero(a[1])) return Ex.BroadcastTo(a[0], Shape.TryBroadcast(a[0].Shape, a[1].Shape)!);
        if (Ex.IsZero(a[0])) return Ex.BroadcastTo(a[1], Shape.TryBroadcast(a[0].Shape, a[1].Shape)!);
        if (a[1] is Apply { Op: NegateOp } n) return a[0] - n.Arg(0);
        if (a[0] is Apply { Op: NegateOp } m) return a[1] - m.Arg(0);
        return null;
    }
}

/// <summary>a + b.</summary>
internal struct AddOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a + b;
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a + b;
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a + b;
}

public static partial class Ex
{
    /// <summary>a + b with NumPy broadcasting.</summary>
    public static Expr Add(Expr a, Expr b) => Binary(AddOp.Instance, a, b);
}
