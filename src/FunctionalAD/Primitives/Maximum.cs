using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>max(a, b) element-wise. Where a = b the two arguments share the derivative equally.</summary>
public sealed class MaximumOp : BinaryElementwise
{
    internal static readonly MaximumOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "maximum";
    internal override T Op<T>(T a, T b) => T.Max(a, b);
    internal override void VV<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Max(a, b, d);
    internal override void VS<T>(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Max(a, b, d);
    internal override Expr Partial(Apply z, int arg) => Ex.TieShare(z[arg], z[1 - arg]);
    internal override string Format(string[] a) => $"maximum({a[0]}, {a[1]})";
}

public static partial class Ex
{
    /// <summary>max(a, b) element-wise with broadcasting; at ties each side gets half the gradient.</summary>
    public static Expr Maximum(Expr a, Expr b) => Binary(MaximumOp.Instance, a, b);
}
