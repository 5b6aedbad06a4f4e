using System.Numerics;
using System.Runtime.Intrinsics;

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
    internal override BinaryKernel Operator => BinaryKernel<TieShareOperator>.Instance;
    internal override bool Differentiable(int arg) => false;
    internal override Expr Partial(Apply z, int arg) => Ex.ZerosLike(z);
    internal override string Format(string[] a) => $"tie_share({a[0]}, {a[1]})";
}

/// <summary>1 where a &gt; b, ½ where a = b, else 0.</summary>
internal struct TieShareOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a > b ? T.One : a == b ? T.One / (T.One + T.One) : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => (Vector256.GreaterThan(a, b) & Vector256<T>.One) | (Vector256.Equals(a, b) & Vector256.Create(T.One / (T.One + T.One)));
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => (Vector512.GreaterThan(a, b) & Vector512<T>.One) | (Vector512.Equals(a, b) & Vector512.Create(T.One / (T.One + T.One)));
}

public static partial class Ex
{
    /// <summary>1 where a &gt; b, ½ where a = b, 0 elsewhere: how much of d max(a, b) is a's.</summary>
    public static Expr TieShare(Expr a, Expr b) => Binary(TieShareOp.Instance, a, b);
}
