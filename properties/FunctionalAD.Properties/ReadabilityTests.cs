using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using FunctionalAD.Properties.Support;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>Derivatives print as a person would write them.</summary>
public class ReadabilityTests
{
    // Top-level terms of a sum, each with its factors sorted, so "x * cos(x) + sin(x)" equals "sin(x) + cos(x) * x".
    private static string[] Terms(string math)
    {
        var terms = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < math.Length; i++)
        {
            depth += math[i] == '(' ? 1 : math[i] == ')' ? -1 : 0;
            if (depth == 0 && string.CompareOrdinal(math, i, " + ", 0, 3) == 0) { terms.Add(math[start..i]); start = i + 3; }
        }
        terms.Add(math[start..]);
        return terms.Select(t => string.Join(" * ", t.Split(" * ").OrderBy(f => f, StringComparer.Ordinal))).OrderBy(t => t, StringComparer.Ordinal).ToArray();
    }

    [Theory]
    [InlineData("sin(x) * x", "sin(x) + x * cos(x)")]
    [InlineData("exp(2x) + 3x", "2 * exp(2 * x) + 3")]
    [InlineData("log(x)", "1 / x")]
    [InlineData("tanh(x)", "1 - tanh(x) * tanh(x)")]
    public void Derivatives_read_like_the_textbook(string function, string expected)
    {
        var x = Ex.Var64("x");
        Expr f = function switch
        {
            "sin(x) * x" => Ex.Sin(x) * x,
            "exp(2x) + 3x" => Ex.Exp(2.0 * x) + 3.0 * x,
            "log(x)" => Ex.Log(x),
            _ => Ex.Tanh(x),
        };
        var printed = Ad.Grad(f, x)[0].ToString();
        Assert.Equal(Terms(expected), Terms(printed));
    }

    [Fact]
    public void Postfix_transpose_and_slice_parenthesise_compound_operands()
    {
        Expr a = Ex.Var64("a", 2, 2), b = Ex.Var64("b", 2, 2), x = Ex.Var64("x", 3);
        Assert.Equal("aᵀ", Ex.Transpose(a).ToString());
        Assert.Equal("(a + b)ᵀ", Ex.Transpose(a + b).ToString());
        Assert.Equal("sin(a)ᵀ", Ex.Transpose(Ex.Sin(a)).ToString());
        Assert.Equal("x[0:1]", Ex.Slice(x, new[] { 0 }, new[] { 1 }).ToString());
        Assert.Equal("(x * x)[1:3]", Ex.Slice(x * x, new[] { 1 }, new[] { 2 }).ToString());
        Assert.Equal("-(-x)[0:1]", (-Ex.Slice(-x, new[] { 0 }, new[] { 1 })).ToString());
        Assert.Equal("(a * b)ᵀ @ a", Ex.MatMul(a * b, a, transposeA: true).ToString());
        Assert.Equal("a @ (-b)ᵀ", Ex.MatMul(a, -b, transposeB: true).ToString());
        Assert.Equal("a @ b @ a", Ex.MatMul(Ex.MatMul(a, b), a).ToString());
        Assert.Equal("a @ (b @ a)", Ex.MatMul(a, Ex.MatMul(b, a)).ToString());
        Assert.Equal("a * (b @ a)", (a * Ex.MatMul(b, a)).ToString());
        Assert.Equal("(a * b) @ a", Ex.MatMul(a * b, a).ToString());
        Assert.Equal("(a @ b) * a", (Ex.MatMul(a, b) * a).ToString());
        Assert.Equal("a / (b @ a)", (a / Ex.MatMul(b, a)).ToString());
    }

    // "1 *", "* 1", "+ 0", "0 +", "- 0", "0 *", "* 0" as whole numbers, and "--". "* 1 / b" is not noise: it is
    // a * (1 / b) with the user's own reciprocal, printed left to right (the printer keeps the tree).
    internal static readonly Regex Noise = new(@"(?<![\w.\]])(1|0) \*|\* (1|0)(?![\w.(\[^]| /)|\+ 0(?![\w.(\[])|(?<![\w.\]])0 \+|- 0(?![\w.(\[])|--");

    [Theory]
    [InlineData("a * 1", true)]
    [InlineData("1 * a", true)]
    [InlineData("a + 0", true)]
    [InlineData("a * 1 / (1 + x * x)", false)]   // a * (1 / (1 + x * x)): the reciprocal is the user's
    [InlineData("a * 10", false)]
    [InlineData("a * 1.5", false)]
    public void Noise_pattern_tells_noise_from_numbers(string text, bool noise) => Assert.Equal(noise, Noise.IsMatch(text));

    [Property(MaxTest = 100)]
    public Property Derivatives_carry_no_arithmetic_noise() => Prop.ForAll(ExprCase.Arbitrary(depth: 4), c =>
    {
        foreach (var g in Ad.Grad(Ex.Sum(c.Expr), c.Vars).Concat(new[] { Ad.Jvp(c.Expr, c.Vars, c.Vars.Select(v => (Expr)Ex.OnesLike(v)).ToArray()) }))
        {
            var text = g.ToString();
            var m = Noise.Match(text);
            if (m.Success) throw new PropertyFailure($"the derivative prints \"{m.Value}\" at {m.Index}: {text}");
        }
    });

    [Property(MaxTest = 100)]
    public Property Printed_math_reads_back_as_the_same_tree() => Prop.ForAll(ExprCase.Arbitrary(depth: 4), c =>
    {
        var exprs = Ad.Grad(Ex.Sum(c.Expr), c.Vars)
            .Append(Ad.Jvp(c.Expr, c.Vars, c.Vars.Select(v => (Expr)Ex.OnesLike(v)).ToArray()))
            .Append(c.Expr);
        foreach (var e in exprs)
        {
            var text = e.ToString();
            var expected = Term.Of(e).ToString();
            var read = MathReader.Read(text).ToString();
            if (read != expected)
                throw new PropertyFailure($"printed: {text}\n  reads as: {read}\n  but is:   {expected}");
        }
    });
}
