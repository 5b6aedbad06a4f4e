using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>d relu(x) = [x &gt; 0] dx, so relu'(0) = 0</summary>
public sealed class ReluOp : UnaryElementwise
{
    internal static readonly ReluOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "relu";
    internal override void Map<T>(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Max(x, T.Zero, y);
    internal override Expr Derivative(Apply y) => Ex.Greater(y[0], 0f);
}

public static partial class Ex
{
    /// <summary>relu(x) element-wise.</summary>
    public static Expr Relu(Expr x) => Primitive.Build(ReluOp.Instance, x);
}
