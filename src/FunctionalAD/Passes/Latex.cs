using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FunctionalAD;

/// <summary>
/// Prints an expression as LaTeX math: fractions for quotients, juxtaposition for matrix products, ⊙ for
/// element-wise products of tensors, Iverson brackets for comparison masks, and parentheses only where
/// the meaning needs them. Each primitive gives its own form (<see cref="Primitive.ToLatex"/>) with the helpers here;
/// the others print as \operatorname calls with their parameters.
/// </summary>
internal static partial class Latex
{
    // Juxtaposition (a matrix product) binds tighter than ⊙ and ·, looser than a power or a superscript.
    internal const int Sum = 1, Product = 2, Prefix = 3, Juxtapose = 4, Power = 5, Atom = 6;

    public static string Print(Expr e)
    {
        e = InlineCustom.Composites(new[] { e })[0];
        var memo = Templates.PrintAll(new[] { e }, PrintNode);
        return Templates.Expand(memo[e], memo, "ToLatex");
    }

    private static Printed PrintNode(Expr e, Printed[] args)
    {
        switch (e)
        {
            case Var v: return Templates.Leaf(Name(v.Name), Atom);
            case Const c:
                {
                    var (text, prec) = Constant(c.Value);
                    return Templates.Leaf(text, prec);
                }
            case Apply a:
                {
                    var (text, prec) = Application(a, args);
                    return Templates.Node(text, prec);
                }
            default: throw new FunctionalADException($"ToLatex: unknown node {e.GetType().Name}");
        }
    }

    internal static string Paren(string s) => $"\\left({s}\\right)";

    internal static string Wrap(Printed a, bool paren) => paren ? Paren(a.Text) : a.Text;

    /// <summary>A right operand; one that starts with a minus is parenthesised, as a + (-b) is written.</summary>
    internal static string Right(Printed a, bool paren) => Wrap(a, paren || a.Minus);

    /// <summary>The argument as the operand of a postfix superscript or subscript, which binds tightest.</summary>
    internal static string Tight(Printed a) => Wrap(a, a.Prec < Atom);

    internal static (string, int) Call(string fn, params Printed[] a) =>
        ($"{fn}{Paren(string.Join(", ", a.Select(x => x.Text)))}", Atom);

    // Each primitive writes its own LaTeX (Primitive.ToLatex); the rest print generically.
    private static (string, int) Application(Apply e, Printed[] a) => e.Op.ToLatex(e, a) ?? Generic(e, a);

    internal static string Relation(Comparison c) => c switch
    {
        Comparison.Greater => ">",
        Comparison.GreaterEqual => "\\geq",
        Comparison.Less => "<",
        Comparison.LessEqual => "\\leq",
        Comparison.Equal => "=",
        _ => "\\neq",
    };

    /// <summary>The subscript naming the reduced axes, empty when every axis is reduced.</summary>
    internal static string Over(Reduction r, Apply e) =>
        r.Axes.Length == e.Arg(0).Rank ? "" : $"_{{\\text{{axis }} {string.Join(", ", r.Axes)}}}";

    /// <summary>
    /// Any other primitive: its plain-text form (which carries its parameters) with LaTeX escapes, the function
    /// name upright, and the LaTeX of each argument put where the text form had it.
    /// </summary>
    private static (string, int) Generic(Apply e, Printed[] a)
    {
        var op = e.Op;
        var args = e.Args.ToArray();
        var slots = Enumerable.Range(0, a.Length).Select(i => $"\u0001{i}\u0002").ToArray();
        var text = Escape(op.Format(slots, args));
        // A call's parentheses grow with what they hold (a \frac inside, say): \left( … \right).
        if (LeadingName().IsMatch(text) && text.EndsWith(')'))
            text = LeadingName().Replace(text[..^1], m => $"\\operatorname{{{m.Groups[1].Value}}}\\left(", 1) + "\\right)";
        for (int i = 0; i < a.Length; i++)
        {
            bool paren = op.IsPostfix(i, args) ? a[i].Prec < Atom : op.Precedence != Printer.Atom && a[i].Prec < Atom;
            text = text.Replace(slots[i], Wrap(a[i], paren));
        }
        return (text, op.Precedence switch
        {
            Printer.Atom => Atom,
            Printer.Power => Power,
            Printer.Prefix => Prefix,
            Printer.Product => Product,
            Printer.Sum => Sum,
            _ => 0,
        });
    }

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9]*(?:\\_[A-Za-z0-9]+)*)\(")]
    private static partial Regex LeadingName();

    private static string Escape(string s)
    {
        var b = new StringBuilder();
        foreach (var ch in s)
        {
            b.Append(ch switch
            {
                '_' => "\\_",
                '{' => "\\{",
                '}' => "\\}",
                '#' => "\\#",
                '%' => "\\%",
                '&' => "\\&",
                '$' => "\\$",
                '^' => "\\hat{}",
                '~' => "\\sim ",
                '\\' => "\\backslash ",
                'ᵀ' => "^{\\top}",
                _ => Greek.TryGetValue(ch, out var g) ? g + " " : ch.ToString(),
            });
        }
        return b.ToString();
    }

    private static readonly Dictionary<char, string> Greek = new()
    {
        ['α'] = "\\alpha", ['β'] = "\\beta", ['γ'] = "\\gamma", ['δ'] = "\\delta", ['ε'] = "\\epsilon",
        ['ζ'] = "\\zeta", ['η'] = "\\eta", ['θ'] = "\\theta", ['ι'] = "\\iota", ['κ'] = "\\kappa",
        ['λ'] = "\\lambda", ['μ'] = "\\mu", ['ν'] = "\\nu", ['ξ'] = "\\xi", ['π'] = "\\pi", ['ρ'] = "\\rho",
        ['σ'] = "\\sigma", ['τ'] = "\\tau", ['υ'] = "\\upsilon", ['φ'] = "\\phi", ['χ'] = "\\chi",
        ['ψ'] = "\\psi", ['ω'] = "\\omega", ['Γ'] = "\\Gamma", ['Δ'] = "\\Delta", ['Θ'] = "\\Theta",
        ['Λ'] = "\\Lambda", ['Ξ'] = "\\Xi", ['Π'] = "\\Pi", ['Σ'] = "\\Sigma", ['Φ'] = "\\Phi",
        ['Ψ'] = "\\Psi", ['Ω'] = "\\Omega",
    };

    /// <summary>
    /// A variable name as math: one letter stays italic, a Greek letter becomes its command, trailing digits
    /// or a part after '_' become a subscript, and longer names are set upright.
    /// </summary>
    internal static string Name(string name)
    {
        var m = NameParts().Match(name);
        string stem = m.Success ? m.Groups[1].Value : name;
        string sub = !m.Success ? "" : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value;
        string Word(string w) => w.Length == 1 && char.IsAsciiLetter(w[0]) ? w
            : w.Length == 1 && Greek.TryGetValue(w[0], out var g) ? g
            : $"\\mathrm{{{Escape(w)}}}";
        var body = Word(stem);
        return sub.Length == 0 ? body : $"{body}_{{{(sub.All(char.IsAsciiDigit) ? sub : Word(sub))}}}";
    }

    [GeneratedRegex(@"^([^_\d]+?)(?:_?(\d+)|_(.+))?$")]
    private static partial Regex NameParts();

    private static (string, int) Constant(Tensor t)
    {
        if (t.Rank == 0 && t.Size == 1)
        {
            double v = t.At(0);
            return (Number(v, t.DType), v < 0 ? Prefix : Atom);
        }
        if (t.Rank == 1 && t.Size <= 6)
            return ($"\\left[{string.Join(", ", Enumerable.Range(0, t.Size).Select(i => Number(t.At(i), t.DType)))}\\right]", Atom);
        return ($"\\mathrm{{const}}_{{{string.Join(" \\times ", t.Shape.ToArray())}}}", Atom);
    }

    /// <summary>A number as LaTeX: 1E-07 becomes 1 \cdot 10^{-7}.</summary>
    internal static string Number(double v, DType dtype)
    {
        if (v == 0) return "0";
        if (double.IsNaN(v)) return "\\mathrm{NaN}";
        if (double.IsInfinity(v)) return v > 0 ? "\\infty" : "-\\infty";
        var inv = CultureInfo.InvariantCulture;
        var s = dtype == DType.Float32 ? ((float)v).ToString("G7", inv) : v.ToString("G15", inv);
        int e = s.IndexOf('E');
        if (e < 0) return s;
        var mantissa = s[..e];
        var exponent = int.Parse(s[(e + 1)..], inv);
        return mantissa is "1" or "-1" ? $"{(mantissa == "-1" ? "-" : "")}10^{{{exponent}}}" : $"{mantissa} \\cdot 10^{{{exponent}}}";
    }
}
