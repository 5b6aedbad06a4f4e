namespace FunctionalAD;

/// <summary>sign(x): -1, 0 or 1. Piecewise constant, so its derivative is zero (and sign(0) = 0 keeps |x|'(0) = 0).</summary>
public sealed class SignOp : PiecewiseConstant
{
    internal static readonly SignOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "sign";
    internal override void Map<T>(ReadOnlySpan<T> x, Span<T> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > T.Zero ? T.One : x[i] < T.Zero ? -T.One : T.Zero;
    }
}

public static partial class Ex
{
    /// <summary>sign(x) element-wise: -1, 0 or 1.</summary>
    public static Expr Sign(Expr x) => Primitive.Build(SignOp.Instance, x);
}
