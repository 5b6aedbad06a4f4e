using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>d sin(x) = cos(x) dx</summary>
public sealed class SinOp : UnaryElementwise
{
    internal static readonly SinOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "sin";
    internal override void Map<T>(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Sin(x, y);
    internal override Expr Derivative(Apply y) => Ex.Cos(y[0]);
}

public static partial class Ex
{
    /// <summary>sin(x) element-wise.</summary>
    public static Expr Sin(Expr x) => Primitive.Build(SinOp.Instance, x);
}

public abstract partial class Expr
{
    /// <summary>sin(x) element-wise; lets F#'s own <c>sin</c> work on expressions.</summary>
    public static Expr Sin(Expr x) => Ex.Sin(x);
}
