using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>d exp(x) = exp(x) dx</summary>
public sealed class ExpOp : UnaryElementwise
{
    internal static readonly ExpOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "exp";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Exp", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => Latex.Call("\\exp", a);
    internal override UnaryKernel Operator => UnaryKernel<ExpOperator>.Instance;
    internal override Expr Derivative(Apply y) => y;
}

/// <summary>eˣ.</summary>
internal struct ExpOperator : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => VectorMath.Exp(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> => VectorMath.Exp(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> => VectorMath.Exp(x);
}

public static partial class Ex
{
    /// <summary>exp(x) element-wise.</summary>
    public static Expr Exp(Expr x) => Primitive.Build(ExpOp.Instance, x);
}

public abstract partial class Expr
{
    /// <summary>exp(x) element-wise; lets F#'s own <c>exp</c> work on expressions.</summary>
    public static Expr Exp(Expr x) => Ex.Exp(x);
}
