namespace FunctionalAD;

// C# converts a Variable to an Expr inside an operator; F# looks only for an operator on the operands' own
// types, so x * w with x an Expr and w a Variable needs these. Each reads the variable, as the conversion does.
public sealed partial class Variable
{
    /// <summary>Element-wise sum with an expression.</summary>
    public static Expr operator +(Variable a, Expr b) => a.Read() + b;
    /// <summary>Element-wise sum with an expression.</summary>
    public static Expr operator +(Expr a, Variable b) => a + b.Read();
    /// <summary>Element-wise difference with an expression.</summary>
    public static Expr operator -(Variable a, Expr b) => a.Read() - b;
    /// <summary>Element-wise difference with an expression.</summary>
    public static Expr operator -(Expr a, Variable b) => a - b.Read();
    /// <summary>Element-wise product with an expression.</summary>
    public static Expr operator *(Variable a, Expr b) => a.Read() * b;
    /// <summary>Element-wise product with an expression.</summary>
    public static Expr operator *(Expr a, Variable b) => a * b.Read();
    /// <summary>Element-wise quotient with an expression.</summary>
    public static Expr operator /(Variable a, Expr b) => a.Read() / b;
    /// <summary>Element-wise quotient with an expression.</summary>
    public static Expr operator /(Expr a, Variable b) => a / b.Read();
}
