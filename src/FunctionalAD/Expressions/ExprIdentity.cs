namespace FunctionalAD;

/// <summary>
/// Compares expressions by reference, hashing their creation number: the same answers as
/// <see cref="ReferenceEqualityComparer"/>, without the first-use cost of an object's identity hash, which every
/// node of a graph rebuilt each step (a tape step) would otherwise pay once per table it enters.
/// </summary>
internal sealed class ExprIdentity : IEqualityComparer<Expr>
{
    public static readonly ExprIdentity Instance = new();

    private ExprIdentity() { }

    public bool Equals(Expr? x, Expr? y) => ReferenceEquals(x, y);

    public int GetHashCode(Expr e) => e.Id.GetHashCode();
}
