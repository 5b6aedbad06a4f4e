using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>d cos(x) = -sin(x) dx</summary>
public sealed class CosOp : UnaryElementwise
{
    internal static readonly CosOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "cos";
    internal override void Map<T>(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Cos(x, y);
    internal override Expr Derivative(Apply y) => -Ex.Sin(y[0]);
}

public static partial class Ex
{
    /// <summary>cos(x) element-wise.</summary>
    public static Expr Cos(Expr x) => Primitive.Build(CosOp.Instance, x);
}

public abstract partial class Expr
{
    /// <summary>cos(x) element-wise; lets F#'s own <c>cos</c> work on expressions.</summary>
    public static Expr Cos(Expr x) => Ex.Cos(x);
}
