namespace FunctionalAD;

// F# looks for an operator on the operands' own types and converts neither, so g * x with g a tape result and x an
// expression or a variable needs these (C# found them through the implicit conversion to Expr). The Variable
// forms also keep C# from finding two equally good candidates in Variable's mixed operators.
public sealed partial class EagerTensor
{
    /// <summary>Element-wise sum with an expression: an expression, since the other side has no snapshot.</summary>
    public static Expr operator +(EagerTensor a, Expr b) => a.Expr + b;
    /// <summary>Element-wise sum with an expression: an expression, since the other side has no snapshot.</summary>
    public static Expr operator +(Expr a, EagerTensor b) => a + b.Expr;
    /// <summary>Element-wise sum with a variable: an expression, since the other side has no snapshot.</summary>
    public static Expr operator +(EagerTensor a, Variable b) => a.Expr + b.Read();
    /// <summary>Element-wise sum with a variable: an expression, since the other side has no snapshot.</summary>
    public static Expr operator +(Variable a, EagerTensor b) => a.Read() + b.Expr;
    /// <summary>Element-wise difference with an expression: an expression, since the other side has no snapshot.</summary>
    public static Expr operator -(EagerTensor a, Expr b) => a.Expr - b;
    /// <summary>Element-wise difference with an expression: an expression, since the other side has no snapshot.</summary>
    public static Expr operator -(Expr a, EagerTensor b) => a - b.Expr;
    /// <summary>Element-wise difference with a variable: an expression, since the other side has no snapshot.</summary>
    public static Expr operator -(EagerTensor a, Variable b) => a.Expr - b.Read();
    /// <summary>Element-wise difference with a variable: an expression, since the other side has no snapshot.</summary>
    public static Expr operator -(Variable a, EagerTensor b) => a.Read() - b.Expr;
    /// <summary>Element-wise product with an expression: an expression, since the other side has no snapshot.</summary>
    public static Expr operator *(EagerTensor a, Expr b) => a.Expr * b;
    /// <summary>Element-wise product with an expression: an expression, since the other side has no snapshot.</summary>
    public static Expr operator *(Expr a, EagerTensor b) => a * b.Expr;
    /// <summary>Element-wise product with a variable: an expression, since the other side has no snapshot.</summary>
    public static Expr operator *(EagerTensor a, Variable b) => a.Expr * b.Read();
    /// <summary>Element-wise product with a variable: an expression, since the other side has no snapshot.</summary>
    public static Expr operator *(Variable a, EagerTensor b) => a.Read() * b.Expr;
    /// <summary>Element-wise quotient with an expression: an expression, since the other side has no snapshot.</summary>
    public static Expr operator /(EagerTensor a, Expr b) => a.Expr / b;
    /// <summary>Element-wise quotient with an expression: an expression, since the other side has no snapshot.</summary>
    public static Expr operator /(Expr a, EagerTensor b) => a / b.Expr;
    /// <summary>Element-wise quotient with a variable: an expression, since the other side has no snapshot.</summary>
    public static Expr operator /(EagerTensor a, Variable b) => a.Expr / b.Read();
    /// <summary>Element-wise quotient with a variable: an expression, since the other side has no snapshot.</summary>
    public static Expr operator /(Variable a, EagerTensor b) => a.Read() / b.Expr;
}
