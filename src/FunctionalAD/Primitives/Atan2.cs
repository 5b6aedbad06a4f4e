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
