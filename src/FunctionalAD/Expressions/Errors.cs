namespace FunctionalAD;

/// <summary>Base of every error FunctionalAD raises on bad input; the message says what to fix.</summary>
public class FunctionalADException : Exception
{
    /// <summary>An error with a message that says what to fix.</summary>
    public FunctionalADException(string message) : base(message) { }
}

/// <summary>Shapes that do not fit the operation, raised when the expression is built.</summary>
public class ShapeException : FunctionalADException
{
    /// <summary>A shape error.</summary>
    public ShapeException(string message) : base(message) { }
}

/// <summary>Element types that do not fit the operation (mixed float32/float64, int where a float is needed).</summary>
public sealed class DTypeException : FunctionalADException
{
    /// <summary>A dtype error.</summary>
    public DTypeException(string message) : base(message) { }
}

/// <summary>An axis outside the rank of its operand.</summary>
public sealed class AxisException : ShapeException
{
    /// <summary>An axis error.</summary>
    public AxisException(string message) : base(message) { }
}

/// <summary>A variable with no value in the environment it was evaluated in.</summary>
public sealed class MissingBindingException : FunctionalADException
{
    /// <summary>The variable that had no value.</summary>
    public Var Variable { get; }
    /// <summary>A missing binding for <paramref name="v"/>.</summary>
    public MissingBindingException(Var v)
        : base($"no value bound for variable '{v.Name}' of shape {v.Shape} {v.DType.Name()}: add it to the Env, e.g. Env.Of(({v.Name}, tensor))")
        => Variable = v;
}

/// <summary>A derivative asked of the wrong kind of target, such as Grad of a non-scalar.</summary>
public sealed class DerivativeException : FunctionalADException
{
    /// <summary>A derivative error.</summary>
    public DerivativeException(string message) : base(message) { }
}

/// <summary>The opt-in finite check found a NaN or infinity; the message names the first node that made it.</summary>
public sealed class NonFiniteException : FunctionalADException
{
    /// <summary>The first node whose value is not finite.</summary>
    public Expr Node { get; }
    /// <summary>A non-finite value at <paramref name="node"/>.</summary>
    public NonFiniteException(Expr node, string message) : base(message) => Node = node;
}
