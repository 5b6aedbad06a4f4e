using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>softplus(x) = log(1 + eˣ), computed as max(x, 0) + log(1 + e^-|x|) so it never overflows. d softplus(x) = σ(x) dx.</summary>
public sealed class SoftplusOp : UnaryElementwise
{
    internal static readonly SoftplusOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "softplus";
    internal override void Map<T>(ReadOnlySpan<T> x, Span<T> y)
    {
        TensorPrimitives.Abs(x, y);
        TensorPrimitives.Negate(y, y);
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.LogP1(y, y);
        for (int i = 0; i < y.Length; i++) y[i] += T.Max(x[i], T.Zero);
    }
    internal override Expr Derivative(Apply y) => Ex.Sigmoid(y[0]);
}

public static partial class Ex
{
    /// <summary>log(1 + eˣ) element-wise, stable for large |x|.</summary>
    public static Expr Softplus(Expr x) => Primitive.Build(SoftplusOp.Instance, x);
}
