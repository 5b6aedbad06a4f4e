using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>a · b with broadcasting. ∂/∂a = b, ∂/∂b = a.</summary>
public sealed class MultiplyOp : BinaryElementwise
{
    internal static readonly MultiplyOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "multiply";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Mul", a);
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a)
    {
        // ⊙ says element-wise where both sides are tensors; a scalar factor is an ordinary product.
        var dot = e.Arg(0).Rank > 0 && e.Arg(1).Rank > 0 ? "\\odot" : "\\cdot";
        return ($"{Latex.Wrap(a[0], a[0].Prec < Latex.Product)} {dot} {Latex.Right(a[1], a[1].Prec < Latex.Product)}", Latex.Product);
    }
    internal override BinaryKernel Operator => BinaryKernel<MultiplyOperator>.Instance;
    internal override string Symbol => "*";
    internal override int Precedence => Printer.Product;
    internal override bool Associative => true;
    internal override Expr Partial(Apply z, int arg) => z.Arg(1 - arg);

    internal override Expr? Simplify(Expr[] a)
    {
        var shape = Shape.TryBroadcast(a[0].Shape, a[1].Shape)!;
        for (int i = 0; i < 2; i++)
        {
            Expr x = a[i], other = a[1 - i];
            if (Ex.IsZero(x)) return Ex.Zeros(shape, x.DType);
            if (Ex.IsUniform(x, 1)) return Ex.BroadcastTo(other, shape);
            if (Ex.IsUniform(x, -1)) return Ex.BroadcastTo(-other, shape);
            if (x is Apply { Op: NegateOp } n) return -(i == 0 ? n.Arg(0) * other : other * n.Arg(0));
        }
        // a · (b / c) = (a · b) / c, as written by hand; so t · (1 / b) from a quotient's JVP reads t / b.
        if (a[1] is Apply { Op: DivideOp } q) return Ex.BroadcastTo(a[0] * q.Arg(0) / q.Arg(1), shape);
        // Numbers gather on the left, where they print as a coefficient: c1 * (c2 * x) = (c1 c2) * x.
        if (Ex.UniformValue(a[1]) is { } c && a[1].Shape.Rank == 0 && Ex.UniformValue(a[0]) is null)
            return a[1] * a[0];
        if (Ex.UniformValue(a[0]) is { } c1 && a[0].Shape.Rank == 0 && a[1] is Apply { Op: MultiplyOp } m
            && Ex.UniformValue(m.Arg(0)) is { } c2 && m.Arg(0).Shape.Rank == 0)
            return Ex.Literal(c1 * c2, a[0].DType) * m.Arg(1);
        return null;
    }
}

/// <summary>a · b.</summary>
internal struct MultiplyOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a * b;
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a * b;
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => a * b;
}

public static partial class Ex
{
    /// <summary>a · b element-wise with NumPy broadcasting.</summary>
    public static Expr Multiply(Expr a, Expr b) => Binary(MultiplyOp.Instance, a, b);

    /// <summary>x² element-wise.</summary>
    public static Expr Square(Expr x) => x * x;
}
