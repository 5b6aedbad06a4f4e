using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>The relation a <see cref="CompareOp"/> tests.</summary>
public enum Comparison
{
    /// <summary>a &gt; b</summary>
    Greater,
    /// <summary>a ≥ b</summary>
    GreaterEqual,
    /// <summary>a &lt; b</summary>
    Less,
    /// <summary>a ≤ b</summary>
    LessEqual,
    /// <summary>a = b</summary>
    Equal,
    /// <summary>a ≠ b</summary>
    NotEqual,
}

/// <summary>
/// A comparison as a 0/1 mask in the arguments' float dtype, so masks multiply gradients directly.
/// Piecewise constant: zero derivative.
/// </summary>
public sealed class CompareOp(Comparison kind) : BinaryElementwise
{
    /// <summary>The relation tested.</summary>
    public Comparison Kind { get; } = kind;
    /// <inheritdoc/>
    public override string Name => Kind switch
    {
        Comparison.Greater => "greater",
        Comparison.GreaterEqual => "greater_equal",
        Comparison.Less => "less",
        Comparison.LessEqual => "less_equal",
        Comparison.Equal => "equal",
        _ => "not_equal",
    };
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => ($"\\left[{a[0].Text} {Latex.Relation(Kind)} {a[1].Text}\\right]", Latex.Atom);
    internal override string Symbol => Kind switch
    {
        Comparison.Greater => ">",
        Comparison.GreaterEqual => ">=",
        Comparison.Less => "<",
        Comparison.LessEqual => "<=",
        Comparison.Equal => "==",
        _ => "!=",
    };
    internal override int Precedence => Printer.Relation;

    internal override BinaryKernel Operator => Kind switch
    {
        Comparison.Greater => BinaryKernel<GreaterOperator>.Instance,
        Comparison.GreaterEqual => BinaryKernel<GreaterEqualOperator>.Instance,
        Comparison.Less => BinaryKernel<LessOperator>.Instance,
        Comparison.LessEqual => BinaryKernel<LessEqualOperator>.Instance,
        Comparison.Equal => BinaryKernel<EqualOperator>.Instance,
        _ => BinaryKernel<NotEqualOperator>.Instance,
    };

    internal override bool Differentiable(int arg) => false;
    internal override Expr Partial(Apply z, int arg) => Ex.ZerosLike(z);
}

/// <summary>[a &gt; b] as 1 or 0.</summary>
internal struct GreaterOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a > b ? T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector256.GreaterThan(a, b) & Vector256<T>.One;
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector512.GreaterThan(a, b) & Vector512<T>.One;
}

/// <summary>[a ≥ b] as 1 or 0.</summary>
internal struct GreaterEqualOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a >= b ? T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector256.GreaterThanOrEqual(a, b) & Vector256<T>.One;
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector512.GreaterThanOrEqual(a, b) & Vector512<T>.One;
}

/// <summary>[a &lt; b] as 1 or 0.</summary>
internal struct LessOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a < b ? T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector256.LessThan(a, b) & Vector256<T>.One;
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector512.LessThan(a, b) & Vector512<T>.One;
}

/// <summary>[a ≤ b] as 1 or 0.</summary>
internal struct LessEqualOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a <= b ? T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector256.LessThanOrEqual(a, b) & Vector256<T>.One;
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector512.LessThanOrEqual(a, b) & Vector512<T>.One;
}

/// <summary>[a = b] as 1 or 0.</summary>
internal struct EqualOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a == b ? T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector256.Equals(a, b) & Vector256<T>.One;
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Vector512.Equals(a, b) & Vector512<T>.One;
}

/// <summary>[a ≠ b] as 1 or 0.</summary>
internal struct NotEqualOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a != b ? T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> => ~Vector256.Equals(a, b) & Vector256<T>.One;
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> => ~Vector512.Equals(a, b) & Vector512<T>.One;
}

public static partial class Ex
{
    /// <summary>1 where a &gt; b, else 0.</summary>
    public static Expr Greater(Expr a, Expr b) => Binary(new CompareOp(Comparison.Greater), a, b);
    /// <summary>1 where a ≥ b, else 0.</summary>
    public static Expr GreaterEqual(Expr a, Expr b) => Binary(new CompareOp(Comparison.GreaterEqual), a, b);
    /// <summary>1 where a &lt; b, else 0.</summary>
    public static Expr Less(Expr a, Expr b) => Binary(new CompareOp(Comparison.Less), a, b);
    /// <summary>1 where a ≤ b, else 0.</summary>
    public static Expr LessEqual(Expr a, Expr b) => Binary(new CompareOp(Comparison.LessEqual), a, b);
    /// <summary>1 where a = b, else 0.</summary>
    public static Expr Equal(Expr a, Expr b) => Binary(new CompareOp(Comparison.Equal), a, b);
    /// <summary>1 where a ≠ b, else 0.</summary>
    public static Expr NotEqual(Expr a, Expr b) => Binary(new CompareOp(Comparison.NotEqual), a, b);
}
