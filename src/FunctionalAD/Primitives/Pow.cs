using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>z = a^b with broadcasting. ∂/∂a = b·a^(b-1), ∂/∂b = log(a)·z (0 where a = 0).</summary>
public sealed class PowOp : BinaryElementwise
{
    internal static readonly PowOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "pow";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Pow", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => ($"{Latex.Wrap(a[0], a[0].Prec <= Latex.Power)}^{{{a[1].Text}}}", Latex.Power);
    internal override string Symbol => "^";
    internal override int Precedence => Printer.Power;
    internal override string Format(string[] a) => $"{a[0]}^{a[1]}";
    internal override BinaryKernel Operator => BinaryKernel<PowOperator>.Instance;

    internal override Expr Partial(Apply z, int arg) => arg == 0
        ? (Ex.UniformValue(z.Arg(1)) is { } c ? Ex.Literal(c, z.DType) * Ex.Pow(z.Arg(0), Ex.Literal(c - 1, z.DType)) : z.Arg(1) * Ex.Pow(z.Arg(0), z.Arg(1) - 1f))
        // ∂/∂b = log(a)·a^b, taken as 0 at a = 0 (its limit from a > 0 when b > 0, and JAX's choice), not −∞·0 = NaN:
        // log(a + [a = 0]) is log 1 = 0 there and log a elsewhere.
        : Ex.Log(z.Arg(0) + Ex.Equal(z.Arg(0), Ex.ZerosLike(z.Arg(0)))) * z;

    internal override Expr? Simplify(Expr[] a)
    {
        var shape = Shape.TryBroadcast(a[0].Shape, a[1].Shape)!;
        if (Ex.IsUniform(a[1], 1)) return Ex.BroadcastTo(a[0], shape);
        if (Ex.IsZero(a[1])) return Ex.Ones(shape, a[0].DType);
        return null;
    }
}

/// <summary>aᵇ, lane by lane through the runtime's pow: there is no vector pow, and exp(b·log a) would lose negative bases.</summary>
internal struct PowOperator : IBinaryOp
{
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => T.Pow(a, b);

    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = stackalloc T[Vector256<T>.Count], y = stackalloc T[Vector256<T>.Count];
        a.CopyTo(x);
        b.CopyTo(y);
        for (int i = 0; i < x.Length; i++) x[i] = T.Pow(x[i], y[i]);
        return Vector256.Create<T>(x);
    }

    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = stackalloc T[Vector512<T>.Count], y = stackalloc T[Vector512<T>.Count];
        a.CopyTo(x);
        b.CopyTo(y);
        for (int i = 0; i < x.Length; i++) x[i] = T.Pow(x[i], y[i]);
        return Vector512.Create<T>(x);
    }
}

public static partial class Ex
{
    /// <summary>a^b element-wise with broadcasting.</summary>
    public static Expr Pow(Expr a, Expr b) => Binary(PowOp.Instance, a, b);
    /// <summary>a^b for a number b.</summary>
    public static Expr Pow(Expr a, double b) => Binary(PowOp.Instance, a, Literal(b, a.DType));
}

public abstract partial class Expr
{
    /// <summary>a^b, so F#'s <c>**</c> works on expressions.</summary>
    public static Expr Pow(Expr a, Expr b) => Ex.Pow(a, b);
}
