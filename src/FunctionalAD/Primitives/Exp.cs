using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>d exp(x) = exp(x) dx</summary>
public sealed class ExpOp : UnaryElementwise
{
    internal static readonly ExpOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "exp";
    internal override void Map<T>(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Exp(x, y);
    internal override Expr Derivative(Apply y) => y;
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
