using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>min(a, b) element-wise. Where a = b the two arguments share the derivative equally.</summary>
public sealed class MinimumOp : BinaryElementwise
{
    internal static readonly MinimumOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "minimum";
    internal override T Op<T>(T a, T b) => T.Min(a, b);
    internal override void VV<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Min(a, b, d);
    internal override void VS<T>(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Min(a, b, d);
    internal override Expr Partial(Apply z, int arg) => Ex.TieShare(z[1 - arg], z[arg]);
    internal override string Format(string[] a) => $"minimum({a[0]}, {a[1]})";
}

public static partial class Ex
{
    /// <summary>min(a, b) element-wise with broadcasting; at ties each side gets half the gradient.</summary>
    public static Expr Minimum(Expr a, Expr b) => Binary(MinimumOp.Instance, a, b);
}
