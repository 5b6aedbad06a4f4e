namespace FunctionalAD.Interactive;

/// <summary>
/// An expression shown under a name, as a typeset equation <c>lhs = rhs ∈ ℝ^shape</c>: for instance
/// <c>\frac{\partial L}{\partial w} = …</c>. Made by <see cref="Notebook.Equation"/>.
/// </summary>
public sealed class Equation
{
    /// <summary>An equation with the LaTeX <paramref name="lhs"/> on the left and <paramref name="rhs"/> on the right.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public Equation(string lhs, Expr rhs)
    {
        ArgumentNullException.ThrowIfNull(lhs);
        ArgumentNullException.ThrowIfNull(rhs);
        Lhs = lhs;
        Rhs = rhs;
    }

    /// <summary>The left side, as LaTeX.</summary>
    public string Lhs { get; }

    /// <summary>The expression on the right.</summary>
    public Expr Rhs { get; }

    /// <summary>Display math for MathJax or KaTeX, between $$.</summary>
    public string ToLatex() => ExprMath.Latex(Lhs, Rhs);

    /// <summary>The left side, then the expression as text with its shape and dtype.</summary>
    public override string ToString() => $"{Lhs} = {ExprMath.Plain(Rhs)}";
}
