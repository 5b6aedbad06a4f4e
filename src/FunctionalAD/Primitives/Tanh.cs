using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>d tanh(x) = (1 - tanh²(x)) dx</summary>
public sealed class TanhOp : UnaryElementwise
{
    internal static readonly TanhOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "tanh";
    internal override void Map<T>(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Tanh(x, y);
    internal override Expr Derivative(Apply y) => 1f - y * y;
}

public static partial class Ex
{
    /// <summary>tanh(x) element-wise.</summary>
    public static Expr Tanh(Expr x) => Primitive.Build(TanhOp.Instance, x);
}

public abstract partial class Expr
{
    /// <summary>tanh(x) element-wise; lets F#'s own <c>tanh</c> work on expressions.</summary>
    public static Expr Tanh(Expr x) => Ex.Tanh(x);
}
