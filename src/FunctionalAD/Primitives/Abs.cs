using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>d |x| = sign(x) dx, so |x|'(0) = 0</summary>
public sealed class AbsOp : UnaryElementwise
{
    internal static readonly AbsOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "abs";
    internal override void Map<T>(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Abs(x, y);
    internal override Expr Derivative(Apply y) => Ex.Sign(y[0]);
}

public static partial class Ex
{
    /// <summary>abs(x) element-wise.</summary>
    public static Expr Abs(Expr x) => Primitive.Build(AbsOp.Instance, x);
}

public abstract partial class Expr
{
    /// <summary>abs(x) element-wise; lets F#'s own <c>abs</c> work on expressions.</summary>
    public static Expr Abs(Expr x) => Ex.Abs(x);
}
