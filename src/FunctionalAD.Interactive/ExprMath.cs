namespace FunctionalAD.Interactive;

/// <summary>
/// An expression as typeset math for MathJax or KaTeX (display math between $$), followed by its type as a
/// set: <c>x w + b \in \mathbb{R}^{2 \times 3}</c> with the dtype beside it; and as text and HTML for the
/// places that cannot typeset (plain consoles, tables of values).
/// </summary>
internal static class ExprMath
{
    /// <summary>The LaTeX body (no $$), or a note of its size when it is longer than <see cref="NotebookSettings.MaxLatexLength"/>.</summary>
    public static string Body(Expr e)
    {
        var latex = e.ToLatex();
        if (latex.Length <= NotebookSettings.MaxLatexLength) return latex;
        int nodes = Nodes(e);
        return $"\\text{{[an expression of {nodes} nodes: its {latex.Length} characters of LaTeX are past NotebookSettings.MaxLatexLength]}}";
    }

    /// <summary>The set the value lies in: ℝ or ℤ to the power of the shape.</summary>
    public static string TypeSet(Shape shape, DType dtype)
    {
        var field = dtype.IsFloat() ? "\\mathbb{R}" : "\\mathbb{Z}";
        return shape.Rank == 0 ? field : $"{field}^{{{string.Join(" \\times ", shape.ToArray())}}}";
    }

    public static string Latex(Expr e) =>
        $"$${Body(e)} \\;\\in\\; {TypeSet(e.Shape, e.DType)} \\quad \\text{{{e.DType.Name()}}}$$";

    public static string Latex(string lhs, Expr e) =>
        $"$${lhs} = {Body(e)} \\;\\in\\; {TypeSet(e.Shape, e.DType)} \\quad \\text{{{e.DType.Name()}}}$$";

    public static string Plain(Expr e) => $"{e}    ({Markup.ShapeAndDType(e.Shape, e.DType)})";

    public static string Html(Expr e) =>
        $"<div class=\"fad-expr\"><code>{Markup.Escape(e.ToString())}</code> <span style=\"color:#888\">{Markup.Escape(Markup.ShapeAndDType(e.Shape, e.DType))}</span></div>";

    private static int Nodes(Expr root)
    {
        var seen = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Expr>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (!seen.Add(e)) continue;
            foreach (var a in e.Args) stack.Push(a);
        }
        return seen.Count;
    }
}
