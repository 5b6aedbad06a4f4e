namespace FunctionalAD;

public abstract partial class Expr
{
    /// <summary>
    /// The expression as LaTeX math (no surrounding $…$): \frac for quotients, juxtaposition for matrix
    /// products, ⊙ for element-wise products of tensors, [a &gt; b] for comparison masks.
    /// </summary>
    public string ToLatex() => Latex.Print(this);

    /// <summary>The expression as a Graphviz digraph; a subterm used several times is drawn once.</summary>
    public string ToDot() => Dot.Print(new[] { this });

    /// <summary>
    /// Several expressions in one Graphviz digraph, such as a loss and its gradients, so the subterms they
    /// share are drawn once. <paramref name="names"/>, if given, labels each output.
    /// </summary>
    public static string ToDot(IReadOnlyList<Expr> outputs, IReadOnlyList<string>? names = null) => Dot.Print(outputs, names);
}
