using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>d sqrt(x) = dx / (2 sqrt(x))</summary>
public sealed class SqrtOp : UnaryElementwise
{
    internal static readonly SqrtOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "sqrt";
    internal override void Map<T>(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Sqrt(x, y);
    internal override Expr Derivative(Apply y) => 0.5f / y;
}

public static partial class Ex
{
    /// <summary>sqrt(x) element-wise.</summary>
    public static Expr Sqrt(Expr x) => Primitive.Build(SqrtOp.Instance, x);
}

public abstract partial class Expr
{
    /// <summary>sqrt(x) element-wise; lets F#'s own <c>sqrt</c> work on expressions.</summary>
    public static Expr Sqrt(Expr x) => Ex.Sqrt(x);
}
