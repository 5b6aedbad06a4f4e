using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// atan2(y, x), the angle of the point (x, y) in (-π, π] (as <c>tf.math.atan2</c>; y first). ∂/∂y = x / (x² + y²),
/// ∂/∂x = -y / (x² + y²); both are defined as 0 at the origin, where atan2 has no derivative.
/// </summary>
public sealed class Atan2Op : BinaryElementwise
{
    internal static readonly Atan2Op Instance = new();
    /// <inheritdoc/>
    public override string Name => "atan2";
    internal override BinaryKernel Operator => BinaryKernel<Atan2Operator>.Instance;
    internal override string Format(string[] a) => $"atan2({a[0]}, {a[1]})";

    /// <summary>
    /// ONNX has no Atan2: atan(y/x), plus π with y's sign where x's sign bit is set. The quotient is replaced where it
    /// is 0/0 (by y, a signed zero) and ∞/∞ (by sign(y)·sign(x)), so the axes, ±0 and ±∞ give what the C library's
    /// atan2 gives. A sign bit is "x &lt; 0 or 1/x &lt; 0", which tells −0 from +0; the result takes y's sign bit.
    /// </summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a)
    {
        var dt = node.DType;
        string y = a[0], x = a[1];
        if (node.Arg(0).Shape != node.Shape) y = b.Node("Expand", [y, b.Int64s(node.Shape.ToArray().Select(d => (long)d).ToArray())]);
        if (node.Arg(1).Shape != node.Shape) x = b.Node("Expand", [x, b.Int64s(node.Shape.ToArray().Select(d => (long)d).ToArray())]);
        var zero = b.Scalar(0, dt);
        string SignBit(string v) => b.Node("Or", [b.Node("Less", [v, zero]), b.Node("Less", [b.Node("Div", [b.Scalar(1, dt), v]), zero])]);
        string Both(string op, string p, string q) => b.Node("And", [b.Node(op, [p]), b.Node(op, [q])]);
        var zeros = b.Node("And", [b.Node("Equal", [y, zero]), b.Node("Equal", [x, zero])]);
        var q = b.Node("Where", [Both("IsInf", y, x), b.Node("Mul", [b.Node("Sign", [y]), b.Node("Sign", [x])]),
            b.Node("Where", [zeros, y, b.Node("Div", [y, x])])]);
        var t = b.Node("Atan", [q]);
        var negative = SignBit(y);
        var pi = b.Node("Where", [negative, b.Scalar(-Math.PI, dt), b.Scalar(Math.PI, dt)]);
        var angle = b.Node("Where", [SignBit(x), b.Node("Add", [t, pi]), t]);
        // The angle always has y's sign bit, zeros included; applied by a product, as a runtime's Atan and Where need not
        // keep the sign of a zero (ONNX Runtime 1.31's Where returns +0 for a selected −0).
        return b.Node("Mul", [b.Node("Abs", [angle]), b.Node("Where", [negative, b.Scalar(-1, dt), b.Scalar(1, dt)])]);
    }

    internal override Expr Partial(Apply z, int arg)
    {
        Expr y = z.Arg(0), x = z.Arg(1);
        var r2 = Ex.Square(x) + Ex.Square(y);
        // A denominator of 1 at the origin, where the numerator is 0 too: no NaN, in any derivative order.
        var safe = Ex.Where(Ex.Equal(r2, 0f), Ex.OnesLike(r2), r2);
        return arg == 0 ? x / safe : -y / safe;
    }
}

/// <summary>atan2(y, x), lane by lane through the runtime's.</summary>
internal struct Atan2Operator : IBinaryOp
{
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => T.Atan2(a, b);

    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> s = stackalloc T[Vector256<T>.Count];
        for (int i = 0; i < s.Length; i++) s[i] = T.Atan2(a[i], b[i]);
        return Vector256.Create<T>(s);
    }

    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> s = stackalloc T[Vector512<T>.Count];
        for (int i = 0; i < s.Length; i++) s[i] = T.Atan2(a[i], b[i]);
        return Vector512.Create<T>(s);
    }
}

public static partial class Ex
{
    /// <summary>atan2(y, x) element-wise with broadcasting: the angle of (x, y); <c>tf.math.atan2</c>.</summary>
    public static Expr Atan2(Expr y, Expr x) => Binary(Atan2Op.Instance, y, x);
}

public abstract partial class Expr
{
    /// <summary>atan2(y, x) element-wise; lets F#'s own <c>atan2</c> work on expressions.</summary>
    public static Expr Atan2(Expr y, Expr x) => Ex.Atan2(y, x);
}
