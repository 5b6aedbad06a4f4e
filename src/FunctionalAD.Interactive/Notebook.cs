namespace FunctionalAD.Interactive;

/// <summary>
/// Views to display in a notebook cell, beyond the default rendering of each type. Each takes the value last,
/// so from F# they pipe (<c>w |&gt; Notebook.Heatmap</c>); the tensor views are also extension methods (<c>w.Heatmap()</c>).
/// </summary>
public static class Notebook
{
    /// <summary>A vector or matrix as an HTML table (rank 1 is one row), uncoloured.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ShapeException">The tensor is not of rank 1 or 2.</exception>
    public static TensorTable Table(this Tensor tensor) => new(tensor, heatmap: false);

    /// <summary>
    /// A vector or matrix as an HTML table whose cells are coloured by value: blue below zero, white at zero,
    /// red above when the data has both signs; white to dark blue from minimum to maximum otherwise; NaN grey.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ShapeException">The tensor is not of rank 1 or 2.</exception>
    public static TensorTable Heatmap(this Tensor tensor) => new(tensor, heatmap: true);

    /// <summary>The typeset equation <c>lhs = expr</c>, with the LaTeX <paramref name="lhs"/> as the name.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Equation Equation(string lhs, Expr expr) => new(lhs, expr);
}
