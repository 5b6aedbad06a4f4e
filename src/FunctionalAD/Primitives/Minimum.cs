using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>min(a, b) element-wise. Where a = b the two arguments share the derivative equally.</summary>
public sealed class MinimumOp : BinaryElementwise
{
    internal static readonly MinimumOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "minimum";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Min", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => Latex.Call("\\min", a);
    internal override BinaryKernel Operator => BinaryKernel<MinimumOperator>.Instance;
    internal override Expr Partial(Apply z, int arg) => Ex.TieShare(z.Arg(1 - arg), z.Arg(arg));
    internal override string Format(string[] a) => $"minimum({a[0]}, {a[1]})";
}

/// <summary>min(a, b), NaN winning.</summary>
internal struct MinimumOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => T.Min(a, b);
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector256.Min(a, b);
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector512.Min(a, b);
}

public static partial class Ex
{
    /// <summary>min(a, b) element-wise with broadcasting; at ties each side gets half the gradient.</summary>
    public static Expr Minimum(Expr a, Expr b) => Binary(MinimumOp.Instance, a, b);
}
