namespace FunctionalAD;

/// <summary>
/// What <see cref="GradientTape.Gradient(Expr, Expr, Expr?, UnconnectedGradients)"/> returns for a source the
/// target does not depend on through recorded work (TensorFlow's <c>tf.UnconnectedGradients</c>).
/// </summary>
public enum UnconnectedGradients
{
    /// <summary>null, as TensorFlow's None (the default).</summary>
    None,
    /// <summary>Zeros shaped like the source.</summary>
    Zero,
}
