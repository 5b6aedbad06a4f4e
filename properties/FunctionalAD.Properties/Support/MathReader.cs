using System.Text.RegularExpressions;
using FunctionalAD;

namespace FunctionalAD.Properties.Support;

/// <summary>
/// The shape of an expression as a tree of heads (an operator symbol, a function name, "neg", "ᵀ", "slice",
/// a variable or "const") without parameters such as axes or shapes; printed canonically for comparison.
/// </summary>
public sealed record Term(string Head, Term[] Args)
{
    /// <inheritdoc/>
    public override string ToString() => Args.Length == 0 ? Head : $"{Head}({string.Join(", ", Args.Select(a => a.ToString()))})";

    /// <summary>
    /// The form in which equal math compares equal: a negated number is a number (the printer writes -1.5 for
    /// both), and chains of + and - (of * and /) are flat lists of signed terms (factors), since the printer
    /// rightly writes a + (b - c) as a + b - c and a * (b / c) as a * b / c.
    /// </summary>
    public Term Normal()
    {
        if (Head is "+" or "-") return new("Σ", Chain(this, true, "+", "-").ToArray());
        if (Head is "*" or "/") return new("Π", Chain(this, true, "*", "/").ToArray());
        var args = Args.Select(a => a.Normal()).ToArray();
        return Head == "neg" && args is [{ Head: "const" }] ? args[0] : this with { Args = args };
    }

    private static IEnumerable<Term> Chain(Term t, bool positive, string plus, string minus)
    {
        if (t.Head == plus || t.Head == minus)
            return Chain(t.Args[0], positive, plus, minus).Concat(Chain(t.Args[1], t.Head == plus ? positive : !positive, plus, minus));
        // Signed members get heads of their own, so normalising twice changes nothing.
        return new[] { new Term((positive ? "⊕" : "⊖") + plus, new[] { t.Normal() }) };
    }

    /// <summary>The tree of an expression, as its printed form should read.</summary>
    public static Term Of(Expr e) => Raw(e).Normal();

    private static Term Raw(Expr e) => e switch
    {
        Var v => new Term("var:" + v.Name, Array.Empty<Term>()),
        Const => new Term("const", Array.Empty<Term>()),
        Apply a => RawApply(a),
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };

    private static Term RawApply(Apply a)
    {
        var args = a.Args.Select(Raw).ToArray();
        static Term T(Term x) => new("ᵀ", new[] { x });
        return a.Op switch
        {
            NegateOp => new("neg", args),
            AddOp or SubtractOp or MultiplyOp or DivideOp or PowOp or CompareOp => new(((BinaryElementwise)a.Op).Symbol, args),
            MatMulOp m => new("@", new[] { m.TransA ? T(args[0]) : args[0], m.TransB ? T(args[1]) : args[1] }),
            TransposeOp t when a.Arg(0).Rank == 2 && t.Perm[0] == 1 => T(args[0]),
            SliceOp => new("slice", args),
            // α is a literal argument the op also holds; it prints as the parameter alpha=….
            LeakyReluOp or EluOp => new(a.Op.Name, new[] { args[0] }),
            _ => new(a.Op.Name, args),
        };
    }
}

/// <summary>
/// Reads the printer's math back into a <see cref="Term"/>: infix operators by precedence (relations, + -, * / @,
/// prefix -, right-associative ^, postfix ᵀ and [slices]), calls whose first argument (or every argument, for
/// where, maximum, minimum, tie_share, and concat's list) is an expression and whose other arguments are parameters.
/// If printing dropped a needed parenthesis, the tree read back differs from the expression's.
/// </summary>
public sealed class MathReader
{
    private static readonly Regex Token = new(@"\s*(\d+(?:\.\d+)?(?:E[+-]?\d+)?|(?!ᵀ)[\p{L}_](?:(?!ᵀ)[\p{L}\p{N}_])*|>=|<=|==|!=|ᵀ|\S)");
    private static readonly HashSet<string> AllArgsAreExpressions = new() { "where", "maximum", "minimum", "tie_share" };
    // Calls whose first two arguments are expressions, followed by parameters.
    private static readonly HashSet<string> TwoExpressionArgs = new() { "atan2", "linear_scan", "permute_rows" };
    private static readonly string[] Relations = { ">", ">=", "<", "<=", "==", "!=" };

    private readonly List<string> _tokens;
    private int _pos;

    private MathReader(string text)
    {
        _tokens = Token.Matches(text).Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>The tree of <paramref name="text"/>; throws <see cref="FormatException"/> where it cannot be read.</summary>
    public static Term Read(string text)
    {
        var r = new MathReader(text);
        var t = r.Relation();
        if (r._pos != r._tokens.Count) throw new FormatException($"unread input from token {r._pos} ('{r.Peek}') in: {text}");
        return t.Normal();
    }

    private string Peek => _pos < _tokens.Count ? _tokens[_pos] : "";
    private string Next() => _pos < _tokens.Count ? _tokens[_pos++] : throw new FormatException("unexpected end");
    private void Expect(string t)
    {
        if (Next() != t) throw new FormatException($"expected '{t}' at token {_pos - 1}");
    }

    private Term Relation()
    {
        var left = Sum();
        while (Relations.Contains(Peek)) left = new(Next(), new[] { left, Sum() });
        return left;
    }

    private Term Sum()
    {
        var left = Product();
        while (Peek is "+" or "-") left = new(Next(), new[] { left, Product() });
        return left;
    }

    private Term Product()
    {
        var left = Prefix();
        while (Peek is "*" or "/" or "@") left = new(Next(), new[] { left, Prefix() });
        return left;
    }

    private Term Prefix()
    {
        if (Peek != "-") return Power();
        Next();
        return new("neg", new[] { Power() });
    }

    private Term Power()
    {
        var b = Postfix();
        if (Peek != "^") return b;
        Next();
        return new("^", new[] { b, Power() });
    }

    private Term Postfix()
    {
        var a = Atom();
        while (true)
        {
            if (Peek == "ᵀ") { Next(); a = new("ᵀ", new[] { a }); }
            else if (Peek == "[") { SkipBalanced(); a = new("slice", new[] { a }); }
            else return a;
        }
    }

    private Term Atom()
    {
        var t = Next();
        if (t == "(")
        {
            var inner = Relation();
            Expect(")");
            return inner;
        }
        if (t == "[") { _pos--; SkipBalanced(); return new("const", Array.Empty<Term>()); }
        if (char.IsDigit(t[0]) || t is "NaN" or "Infinity" or "∞") return new("const", Array.Empty<Term>());
        if (!char.IsLetter(t[0]) && t[0] != '_') throw new FormatException($"unexpected '{t}' at token {_pos - 1}");
        if (Peek != "(") return new("var:" + t, Array.Empty<Term>());
        if (t == "const") { SkipBalanced(); return new("const", Array.Empty<Term>()); }
        return Call(t);
    }

    private Term Call(string name)
    {
        Expect("(");
        var args = new List<Term>();
        if (name == "concat")
        {
            Expect("[");
            args.Add(Relation());
            while (Peek == ",") { Next(); args.Add(Relation()); }
            Expect("]");
        }
        else
        {
            args.Add(Relation());
            if (TwoExpressionArgs.Contains(name)) { Expect(","); args.Add(Relation()); }
            while (AllArgsAreExpressions.Contains(name) && Peek == ",") { Next(); args.Add(Relation()); }
        }
        // The rest are parameters: axis=..., keepdims, shapes, permutations, paddings, dtypes, depths.
        while (Peek == ",") { Next(); SkipParameter(); }
        Expect(")");
        return new(name, args.ToArray());
    }

    private void SkipParameter()
    {
        while (Peek is not ("," or ")" or ""))
            if (Peek is "(" or "[") SkipBalanced(); else Next();
    }

    private void SkipBalanced()
    {
        int depth = 0;
        do
        {
            var t = Next();
            if (t is "(" or "[") depth++;
            else if (t is ")" or "]") depth--;
        } while (depth > 0);
    }
}
