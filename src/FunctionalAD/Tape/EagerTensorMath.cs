namespace FunctionalAD;

// F#'s sin, exp, sqrt, ** ... resolve a static member that maps a type to itself (Sin: ^T -> ^T), so a tape result
// stays a tape result under them; the value is computed from the operand's snapshot, as the operators do.
// The number-on-the-left operators complete the set EagerTensor.cs begins, so 1.0 - g and 2.0f / g work too.
public sealed partial class EagerTensor
{
    /// <summary>sin x element-wise, so F#'s <c>sin</c> applies to a tape result.</summary>
    public static EagerTensor Sin(EagerTensor x) => Lift(Ex.Sin(x.Expr), x);
    /// <summary>cos x element-wise.</summary>
    public static EagerTensor Cos(EagerTensor x) => Lift(Ex.Cos(x.Expr), x);
    /// <summary>eˣ element-wise.</summary>
    public static EagerTensor Exp(EagerTensor x) => Lift(Ex.Exp(x.Expr), x);
    /// <summary>ln x element-wise.</summary>
    public static EagerTensor Log(EagerTensor x) => Lift(Ex.Log(x.Expr), x);
    /// <summary>tanh x element-wise.</summary>
    public static EagerTensor Tanh(EagerTensor x) => Lift(Ex.Tanh(x.Expr), x);
    /// <summary>√x element-wise.</summary>
    public static EagerTensor Sqrt(EagerTensor x) => Lift(Ex.Sqrt(x.Expr), x);
    /// <summary>|x| element-wise.</summary>
    public static EagerTensor Abs(EagerTensor x) => Lift(Ex.Abs(x.Expr), x);
    /// <summary>xᵇ element-wise, so F#'s <c>g ** 2.0</c> works.</summary>
    public static EagerTensor Pow(EagerTensor x, double b) => Lift(Ex.Pow(x.Expr, b), x);
    /// <summary>xᵇ element-wise, so F#'s <c>g ** 2.0f</c> works.</summary>
    public static EagerTensor Pow(EagerTensor x, float b) => Lift(Ex.Pow(x.Expr, b), x);
    /// <summary>xᵇ element-wise, so F#'s <c>g ** 2</c> works.</summary>
    public static EagerTensor Pow(EagerTensor x, int b) => Lift(Ex.Pow(x.Expr, b), x);

    /// <summary>Adds to a number.</summary>
    public static EagerTensor operator +(double a, EagerTensor b) => Lift(Ex.Literal(a, b.DType) + b.Expr, b);
    /// <summary>Subtracts from a number.</summary>
    public static EagerTensor operator -(double a, EagerTensor b) => Lift(Ex.Literal(a, b.DType) - b.Expr, b);
    /// <summary>Divides a number.</summary>
    public static EagerTensor operator /(double a, EagerTensor b) => Lift(Ex.Literal(a, b.DType) / b.Expr, b);
    /// <summary>Adds to a number.</summary>
    public static EagerTensor operator +(float a, EagerTensor b) => Lift(Ex.Literal(a, b.DType) + b.Expr, b);
    /// <summary>Subtracts from a number.</summary>
    public static EagerTensor operator -(float a, EagerTensor b) => Lift(Ex.Literal(a, b.DType) - b.Expr, b);
    /// <summary>Divides a number.</summary>
    public static EagerTensor operator /(float a, EagerTensor b) => Lift(Ex.Literal(a, b.DType) / b.Expr, b);
    /// <summary>Adds to a number.</summary>
    public static EagerTensor operator +(int a, EagerTensor b) => Lift(Ex.Literal(a, b.DType) + b.Expr, b);
    /// <summary>Subtracts from a number.</summary>
    public static EagerTensor operator -(int a, EagerTensor b) => Lift(Ex.Literal(a, b.DType) - b.Expr, b);
    /// <summary>Divides a number.</summary>
    public static EagerTensor operator /(int a, EagerTensor b) => Lift(Ex.Literal(a, b.DType) / b.Expr, b);
}
