namespace FunctionalAD;

public abstract partial class Expr
{
    /// <summary>A number in code becomes a literal constant that adopts the other operand's dtype.</summary>
    public static implicit operator Expr(float value) => Ex.Literal(value);
    /// <summary>A number in code becomes a literal constant that adopts the other operand's dtype.</summary>
    public static implicit operator Expr(double value) => Ex.Literal(value, DType.Float64);

    /// <summary>Element-wise sum with broadcasting.</summary>
    public static Expr operator +(Expr a, Expr b) => Ex.Add(a, b);
    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Expr operator -(Expr a, Expr b) => Ex.Subtract(a, b);
    /// <summary>Element-wise product with broadcasting.</summary>
    public static Expr operator *(Expr a, Expr b) => Ex.Multiply(a, b);
    /// <summary>Element-wise quotient with broadcasting.</summary>
    public static Expr operator /(Expr a, Expr b) => Ex.Divide(a, b);
    /// <summary>Negation.</summary>
    public static Expr operator -(Expr a) => Ex.Negate(a);

    /// <summary>Adds a number.</summary>
    public static Expr operator +(Expr a, float b) => a + Ex.Literal(b);
    /// <summary>Adds to a number.</summary>
    public static Expr operator +(float a, Expr b) => Ex.Literal(a) + b;
    /// <summary>Subtracts a number.</summary>
    public static Expr operator -(Expr a, float b) => a - Ex.Literal(b);
    /// <summary>Subtracts from a number.</summary>
    public static Expr operator -(float a, Expr b) => Ex.Literal(a) - b;
    /// <summary>Multiplies by a number.</summary>
    public static Expr operator *(Expr a, float b) => a * Ex.Literal(b);
    /// <summary>Multiplies a number.</summary>
    public static Expr operator *(float a, Expr b) => Ex.Literal(a) * b;
    /// <summary>Divides by a number.</summary>
    public static Expr operator /(Expr a, float b) => a / Ex.Literal(b);
    /// <summary>Divides a number.</summary>
    public static Expr operator /(float a, Expr b) => Ex.Literal(a) / b;

    /// <summary>Adds a number.</summary>
    public static Expr operator +(Expr a, double b) => a + Ex.Literal(b, DType.Float64);
    /// <summary>Adds to a number.</summary>
    public static Expr operator +(double a, Expr b) => Ex.Literal(a, DType.Float64) + b;
    /// <summary>Subtracts a number.</summary>
    public static Expr operator -(Expr a, double b) => a - Ex.Literal(b, DType.Float64);
    /// <summary>Subtracts from a number.</summary>
    public static Expr operator -(double a, Expr b) => Ex.Literal(a, DType.Float64) - b;
    /// <summary>Multiplies by a number.</summary>
    public static Expr operator *(Expr a, double b) => a * Ex.Literal(b, DType.Float64);
    /// <summary>Multiplies a number.</summary>
    public static Expr operator *(double a, Expr b) => Ex.Literal(a, DType.Float64) * b;
    /// <summary>Divides by a number.</summary>
    public static Expr operator /(Expr a, double b) => a / Ex.Literal(b, DType.Float64);
    /// <summary>Divides a number.</summary>
    public static Expr operator /(double a, Expr b) => Ex.Literal(a, DType.Float64) / b;
}
