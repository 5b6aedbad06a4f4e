namespace FunctionalAD;

/// <summary>
/// The share of d max(a, b) that flows to a: 1 where a &gt; b, ½ where a = b, 0 where a &lt; b.
/// Piecewise constant, so its own derivative is zero; it exists so that ties split the gradient evenly.
/// </summary>
public sealed class TieShareOp : BinaryElementwise
{
    internal static readonly TieShareOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "tie_share";
    internal override T Op<T>(T a, T b) => a > b ? T.One : a == b ? T.One / (T.One + T.One) : T.Zero;
    internal override bool Differentiable(int arg) => false;
    internal override Expr Partial(Apply z, int arg) => Ex.ZerosLike(z);
    internal override string Format(string[] a) => $"tie_share({a[0]}, {a[1]})";
}

public static partial class Ex
{
    /// <summary>1 where a &gt; b, ½ where a = b, 0 elsewhere: how much of d max(a, b) is a's.</summary>
    public static Expr TieShare(Expr a, Expr b) => Binary(TieShareOp.Instance, a, b);
}
