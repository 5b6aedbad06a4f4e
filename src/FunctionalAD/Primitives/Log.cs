using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>d log(x) = dx / x</summary>
public sealed class LogOp : UnaryElementwise
{
    internal static readonly LogOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "log";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Log", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => Latex.Call("\\log", a);
    internal override UnaryKernel Operator => UnaryKernel<LogOperator>.Instance;
    internal override Expr Derivative(Apply y) => 1f / y.Arg(0);
    internal override Expr Vjp(Apply y, int arg, Expr g) => g / y.Arg(0);
    internal override Expr Jvp(Apply y, Expr?[] t) => t[0]! / y.Arg(0);
}

/// <summary>log x.</summary>
internal struct LogOperator : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => VectorMath.Log(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> => VectorMath.Log(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> => VectorMath.Log(x);
}

public static partial class Ex
{
    /// <summary>log(x) element-wise.</summary>
    public static Expr Log(Expr x) => Primitive.Build(LogOp.Instance, x);
}

public abstract partial class Expr
{
    /// <summary>log(x) element-wise; lets F#'s own <c>log</c> work on expressions.</summary>
    public static Expr Log(Expr x) => Ex.Log(x);
}
