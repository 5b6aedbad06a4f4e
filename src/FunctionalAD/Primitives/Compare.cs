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

    internal override T Op<T>(T a, T b) => (Kind switch
    {
        Comparison.Greater => a > b,
        Comparison.GreaterEqual => a >= b,
        Comparison.Less => a < b,
        Comparison.LessEqual => a <= b,
        Comparison.Equal => a == b,
        _ => a != b,
    }) ? T.One : T.Zero;

    internal override bool Differentiable(int arg) => false;
    internal override Expr Partial(Apply z, int arg) => Ex.ZerosLike(z);
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
