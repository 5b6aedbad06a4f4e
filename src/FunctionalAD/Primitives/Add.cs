using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>a + b with broadcasting. ∂/∂a = 1, ∂/∂b = 1.</summary>
public sealed class AddOp : BinaryElementwise
{
    internal static readonly AddOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "add";
    internal override string Symbol => "+";
    internal override int Precedence => Printer.Sum;
    internal override bool Associative => true;
    internal override T Op<T>(T a, T b) => a + b;
    internal override void VV<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(a, b, d);
    internal override void VS<T>(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Add(a, b, d);
    internal override void SV<T>(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(b, a, d);
    internal override Expr Partial(Apply z, int arg) => Ex.OnesLike(z);
    internal override Expr Vjp(Apply z, int arg, Expr g) => Ex.SumTo(g, z[arg].Shape);

    internal override Expr? Simplify(Expr[] a)
    {
        if (Ex.IsZero(a[1])) return Ex.BroadcastTo(a[0], Shape.TryBroadcast(a[0].Shape, a[1].Shape)!);
        if (Ex.IsZero(a[0])) return Ex.BroadcastTo(a[1], Shape.TryBroadcast(a[0].Shape, a[1].Shape)!);
        if (a[1] is Apply { Op: NegateOp } n) return a[0] - n[0];
        if (a[0] is Apply { Op: NegateOp } m) return a[1] - m[0];
        return null;
    }
}

public static partial class Ex
{
    /// <summary>a + b with NumPy broadcasting.</summary>
    public static Expr Add(Expr a, Expr b) => Binary(AddOp.Instance, a, b);
}
