using Microsoft.DotNet.Interactive.Formatting;

namespace FunctionalAD.Interactive;

/// <summary>
/// Registers FunctionalAD's formatters with .NET Interactive (Polyglot Notebooks, Jupyter with the .NET
/// kernel). A notebook that loads the package with <c>#r "nuget: FunctionalAD.Interactive"</c> runs
/// <see cref="Register"/> by itself, through the package's <c>interactive-extensions/dotnet/extension.dib</c>;
/// call it yourself when you reference the assembly by path instead.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>type</term><description>shown as (preferred MIME types first)</description></listheader>
/// <item><term><see cref="Expr"/>, <see cref="Equation"/></term><description>text/latex: display math with the shape as a set, <c>x w + b ∈ ℝ^{2×3}</c>; text/plain; text/html where it sits in a table</description></item>
/// <item><term><see cref="Tensor"/></term><description>text/html: a table for a vector or matrix (a heatmap when <see cref="NotebookSettings.Heatmap"/> is set), NumPy-like text otherwise; text/plain: NumPy-like text, summarised past <see cref="NotebookSettings.SummaryThreshold"/> elements</description></item>
/// <item><term><see cref="TensorTable"/></term><description>text/html: the table or heatmap; text/plain</description></item>
/// <item><term><see cref="CompiledFunction"/></term><description>text/html: inputs, outputs and the numbered step listing; text/plain: <see cref="CompiledFunction.Describe"/></description></item>
/// <item><term><see cref="GradientTape"/>, <see cref="Variable"/>, <see cref="EagerTensor"/>, <see cref="GradientList"/></term><description>text/html and text/plain: mode and watched variables; name, type and value; the value</description></item>
/// <item><term><see cref="TrainingHistory"/></term><description>text/html: an inline SVG line chart; image/svg+xml: the chart alone; text/plain: a table per epoch</description></item>
/// </list>
/// </remarks>
public static class NotebookFormatters
{
    /// <summary>MIME type of LaTeX output, which Jupyter and Polyglot Notebooks typeset.</summary>
    public const string LatexMimeType = "text/latex";

    /// <summary>MIME type of Markdown output (the same display math as text/latex, for frontends that typeset Markdown only).</summary>
    public const string MarkdownMimeType = "text/markdown";

    /// <summary>MIME type of an SVG image.</summary>
    public const string SvgMimeType = "image/svg+xml";

    /// <summary>
    /// Registers the formatters for every FunctionalAD type and sets their preferred MIME types. Calling it
    /// again registers them again (after <c>Formatter.ResetToDefault()</c>, for instance) and changes nothing else.
    /// </summary>
    public static void Register()
    {
        const string html = HtmlFormatter.MimeType, plain = PlainTextFormatter.MimeType;

        // Var, Const and Apply are the concrete types a value has; each gets the rendering of Expr.
        foreach (var type in new[] { typeof(Expr), typeof(Var), typeof(Const), typeof(Apply) })
        {
            Formatter.Register(type, (o, w) => w.Write(ExprMath.Latex((Expr)o)), LatexMimeType);
            Formatter.Register(type, (o, w) => w.Write(ExprMath.Latex((Expr)o)), MarkdownMimeType);
            Formatter.Register(type, (o, w) => w.Write(ExprMath.Plain((Expr)o)), plain);
            Formatter.Register(type, (o, w) => w.Write(ExprMath.Html((Expr)o)), html);
            // Typeset math first; a frontend that cannot typeset falls back to the text.
            Formatter.SetPreferredMimeTypesFor(type, LatexMimeType, plain);
        }

        Formatter.Register<Equation>((e, w) => w.Write(e.ToLatex()), LatexMimeType);
        Formatter.Register<Equation>((e, w) => w.Write(e.ToLatex()), MarkdownMimeType);
        Formatter.Register<Equation>((e, w) => w.Write(e.ToString()), plain);
        Formatter.Register<Equation>((e, w) => w.Write($"<div><code>{Markup.Escape(e.Lhs)}</code> = {ExprMath.Html(e.Rhs)}</div>"), html);
        Formatter.SetPreferredMimeTypesFor(typeof(Equation), LatexMimeType, plain);

        Both<Tensor>(TensorHtml.Render, TensorText.Format);
        Both<TensorTable>(t => t.ToHtml(), t => t.ToString());
        Both<CompiledFunction>(CompiledFunctionHtml.Render, f => f.Describe().TrimEnd());
        Both<GradientTape>(TapeHtml.Html, TapeHtml.Plain);
        Both<Variable>(TapeHtml.Html, v => v.ToString());
        Both<EagerTensor>(TapeHtml.Html, t => t.ToString());
        Both<GradientList>(TapeHtml.Html, g => g.ToString());
        Both<Shape>(s => Markup.Escape(s.ToString()), s => s.ToString());

        Both<TrainingHistory>(h => $"<div class=\"fad-history\">{h.ToSvg()}</div>", h => h.ToString());
        Formatter.Register<TrainingHistory>((h, w) => w.Write(h.ToSvg()), SvgMimeType);
    }

    /// <summary>An HTML and a text rendering, HTML preferred (frontends pick the richest they can show).</summary>
    private static void Both<T>(Func<T, string> html, Func<T, string> plain)
    {
        Formatter.Register<T>((v, w) => w.Write(html(v)), HtmlFormatter.MimeType);
        Formatter.Register<T>((v, w) => w.Write(plain(v)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
    }
}
