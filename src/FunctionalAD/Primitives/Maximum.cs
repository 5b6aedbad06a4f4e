using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>max(a, b) element-wise. Where a = b the two arguments share the derivative equally.</summary>
public sealed class MaximumOp : BinaryElementwise
{
    internal static readonly MaximumOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "maximum";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Max", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => Latex.Call("\\max", a);
    internal override BinaryKernel Operator => BinaryKernel<MaximumOperator>.Instance;
    internal override Expr Partial(Apply z, int arg) => Ex.TieShare(z.Arg(arg), z.Arg(1 - arg));
    internal override string Format(string[] a) => $"maximum({a[0]}, {a[1]})";
}

/// <summary>max(a, b), NaN winning.</summary>
internal struct MaximumOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => T.Max(a, b);
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector256.Max(a, b);
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector512.Max(a, b);
}

public static partial class Ex
{
    /// <summary>max(a, b) element-wise with broadcasting; at ties each side gets half the gradient.</summary>
    public static Expr Maximum(Expr a, Expr b) => Binary(MaximumOp.Instance, a, b);
}
