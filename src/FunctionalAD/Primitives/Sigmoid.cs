using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>d σ(x) = σ(x)(1 - σ(x)) dx</summary>
public sealed class SigmoidOp : UnaryElementwise
{
    internal static readonly SigmoidOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "sigmoid";
    // TensorPrimitives.Sigmoid rejects empty spans, where every other map simply does nothing.
    internal override void Map<T>(ReadOnlySpan<T> x, Span<T> y)
    {
        if (!x.IsEmpty) TensorPrimitives.Sigmoid(x, y);
    }
    internal override Expr Derivative(Apply y) => y * (1f - y);
}

public static partial class Ex
{
    /// <summary>sigmoid(x) element-wise.</summary>
    public static Expr Sigmoid(Expr x) => Primitive.Build(SigmoidOp.Instance, x);
}
