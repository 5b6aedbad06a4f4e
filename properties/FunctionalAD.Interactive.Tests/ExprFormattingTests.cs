using FunctionalAD.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Interactive.Tests;

public class ExprFormattingTests
{
    public ExprFormattingTests() => Render.Reset();

    [Fact]
    public void An_expression_is_display_math_with_its_shape_as_a_set_and_its_dtype()
    {
        var x = Var("x", 2, 4);
        var w = Var("w", 4, 3);
        var e = Tanh(MatMul(x, w));
        var latex = Render.Latex(e);
        Assert.StartsWith("$$", latex);
        Assert.EndsWith("$$", latex);
        Assert.Contains("\\tanh", latex);
        Assert.Contains(e.ToLatex(), latex);
        Assert.Contains("\\in\\; \\mathbb{R}^{2 \\times 3}", latex);
        Assert.Contains("\\text{float32}", latex);
    }

    [Fact]
    public void Scalars_are_in_R_and_integer_tensors_in_Z()
    {
        var s = Sum(Var64("v", 3));
        Assert.Contains("\\in\\; \\mathbb{R} \\quad \\text{float64}", Render.Latex(s));
        var labels = Const(Tensor.From(new[] { 2, 0, 1 }));
        Assert.Contains("\\mathbb{Z}^{3}", Render.Latex(labels));
        Assert.Contains("\\text{int32}", Render.Latex(labels));
    }

    [Fact]
    public void Every_concrete_expression_type_prefers_LaTeX_then_text()
    {
        var v = Var("a", 2);
        Expr[] values = { v, Const(1f), v + v };
        foreach (var e in values)
        {
            var preferred = Formatter.GetPreferredMimeTypesFor(e.GetType()).ToArray();
            Assert.Equal(new[] { "text/latex", "text/plain" }, preferred);
            var many = FormattedValue.CreateManyFromObject(e);
            Assert.Equal(2, many.Count);
            Assert.StartsWith("$$", many[0].Value);
        }
    }

    [Fact]
    public void Text_and_HTML_carry_the_printed_form_shape_and_dtype_and_HTML_escapes_it()
    {
        var x = Var("x", 3);
        var y = Var("y", 3);
        var mask = Less(x, y);
        var plain = Render.Plain(mask);
        Assert.Contains(mask.ToString(), plain);
        Assert.Contains("shape=(3,), dtype=", plain);
        var html = Render.Html(mask);
        Assert.Contains("x &lt; y", html);
        Assert.DoesNotContain("x < y", html);
        Render.Xml(html);
    }

    [Fact]
    public void Markdown_is_the_same_display_math_for_frontends_that_typeset_only_Markdown()
    {
        var e = Exp(Var("z", 2));
        Assert.Equal(Render.Latex(e), Render.As(e, "text/markdown"));
    }

    [Fact]
    public void LaTeX_past_the_length_limit_shows_the_expression_size_instead()
    {
        var z = Var("z", 2);
        Expr e = z;
        for (int i = 0; i < 12; i++) e = Sin(e) * Cos(e);
        NotebookSettings.MaxLatexLength = 200;
        var latex = Render.Latex(e);
        Assert.DoesNotContain("\\sin", latex);
        Assert.Contains("nodes", latex);
        Assert.Contains("MaxLatexLength", latex);
        Assert.Contains("\\mathbb{R}^{2}", latex);
        // The text form keeps all of it.
        Assert.Contains(e.ToString(), Render.Plain(e));
        NotebookSettings.MaxLatexLength = 1_000_000;
        Assert.Contains("\\sin", Render.Latex(e));
    }

    [Fact]
    public void An_equation_names_the_expression_on_its_left()
    {
        var w = Var("w", 3);
        var loss = Sum(w * w);
        var g = Ad.Grad(loss, w)[0];
        var eq = Notebook.Equation("\\frac{\\partial L}{\\partial w}", g);
        var latex = Render.Latex(eq);
        Assert.StartsWith("$$\\frac{\\partial L}{\\partial w} = " + g.ToLatex(), latex);
        Assert.Contains("\\mathbb{R}^{3}", latex);
        Assert.Equal(new[] { "text/latex", "text/plain" }, Formatter.GetPreferredMimeTypesFor(typeof(Equation)).ToArray());
        Assert.Throws<ArgumentNullException>(() => Notebook.Equation(null!, g));
        Assert.Throws<ArgumentNullException>(() => Notebook.Equation("y", null!));
    }
}
