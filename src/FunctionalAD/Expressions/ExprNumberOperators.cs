namespace FunctionalAD;

// F# converts no number to an Expr inside an operator (x * 2 and x ** 2 would not compile), and its `**`
// looks for a static Pow on the left operand's type, so these overloads exist for F#; C# picks them too.
public abstract partial class Expr
{
    /// <summary>Adds an integer, as a literal of the expression's dtype.</summary>
    public static Expr operator +(Expr a, int b) => a + Ex.Literal(b);
    /// <summary>Adds to an integer.</summary>
    public static Expr operator +(int a, Expr b) => Ex.Literal(a) + b;
    /// <summary>Subtracts an integer.</summary>
    public static Expr operator -(Expr a, int b) => a - Ex.Literal(b);
    /// <summary>Subtracts from an integer.</summary>
    public static Expr operator -(int a, Expr b) => Ex.Literal(a) - b;
    /// <summary>Multiplies by an integer.</summary>
    public static Expr operator *(Expr a, int b) => a * Ex.Literal(b);
    /// <summary>Multiplies an integer.</summary>
    public static Expr operator *(int a, Expr b) => Ex.Literal(a) * b;
    /// <summary>Divides by an integer.</summary>
    public static Expr operator /(Expr a, int b) => a / Ex.Literal(b);
    /// <summary>Divides an integer.</summary>
    public static Expr operator /(int a, Expr b) => Ex.Literal(a) / b;

    /// <summary>a^b for a number b, so F#'s <c>x ** 2.0</c> works.</summary>
    public static Expr Pow(Expr a, double b) => Ex.Pow(a, b);
    /// <summary>a^b for a number b, so F#'s <c>x ** 2.0f</c> works.</summary>
    public static Expr Pow(Expr a, float b) => Ex.Pow(a, b);
    /// <summary>a^b for an integer b, so F#'s <c>x ** 2</c> works.</summary>
    public static Expr Pow(Expr a, int b) => Ex.Pow(a, b);
}
