using System.Globalization;

namespace FunctionalAD;

/// <summary>
/// Prints an expression as math: infix operators with the fewest parentheses that keep the meaning,
/// functions as calls, small constants as numbers.
/// </summary>
internal static class Printer
{
    /// <summary>Binding strengths, weakest first. A primitive's <see cref="Primitive.Precedence"/> is one of them.</summary>
    public const int Relation = 0, Sum = 10, Product = 20, Prefix = 30, NegatedAtom = 35, Power = 40, Atom = 50;
    // NegatedAtom is no primitive's: it marks a minus printed right before an atom or a parenthesis (-x, -(a + b),
    // -3), which a transpose or slice may follow without parentheses, since (-x)ᵀ = -(xᵀ).

    public static string Print(Expr e) => Visit(e, new Dictionary<Expr, (string, int)>()).Text;

    public static string PrintApplication(Primitive op, Expr[] args)
    {
        var memo = new Dictionary<Expr, (string, int)>();
        return Apply(op, args, a => Visit(a, memo)).Text;
    }

    private static (string Text, int Prec) Visit(Expr e, Dictionary<Expr, (string, int)> memo)
    {
        if (memo.TryGetValue(e, out var done)) return done;
        (string, int) r = e switch
        {
            Var v => (v.Name, Atom),
            Const c => Constant(c.Value),
            Apply a => Apply(a.Op, a.Args.ToArray(), x => Visit(x, memo)),
            _ => ("?", Atom),
        };
        memo[e] = r;
        return r;
    }

    /// <summary>The printed application and how tightly it binds, which for a prefix minus is that of what it negates.</summary>
    private static (string Text, int Prec) Apply(Primitive op, Expr[] args, Func<Expr, (string Text, int Prec)> visit)
    {
        int p = op.Precedence, result = p;
        var printed = new string[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            var (text, prec) = visit(args[i]);
            bool postfix = op.PostfixOn(i, args);
            bool paren = postfix ? prec < Atom && prec != NegatedAtom : p switch
            {
                Atom => false,
                Prefix => MinusNeedsParentheses(prec),
                // An exponent may start with a minus (x^-1); -b * c as an exponent still needs (x^(-b * c)).
                Power => i == 0 ? prec <= Power : prec < Prefix,
                _ => i == 0 ? prec < p : prec < p || (prec == p && !Regroups(op, args[i], visit)),
            };
            if (p == Prefix)
                // -(a * b) = -a * b in value, so the minus takes the level of what it negates, up to that of -x itself.
                result = paren || prec == Atom ? NegatedAtom : Math.Min(prec, Prefix);
            else if (postfix && prec == NegatedAtom)
                result = Math.Min(result, NegatedAtom);
            printed[i] = paren ? $"({text})" : text;
        }
        return (op.Format(printed, args), result);
    }

    /// <summary>A minus needs parentheses around a sum and around another minus ("--a" reads as a decrement).</summary>
    private static bool MinusNeedsParentheses(int prec) => prec < Product || prec == Prefix || prec == NegatedAtom;

    /// <summary>
    /// Whether a op (b r c) may print as a op b r c. That reads (a op b) r c, which is equal for an associative op
    /// when r is op itself, and for + and * when r is an element-wise operator of the same level ({+, -} or {*, /});
    /// a * (b @ c) keeps its parentheses. When b prints as a chain of its own (b = x s y), a joins that chain too,
    /// so s must regroup with op as well: a * (x @ y / c) is not a * x @ y / c.
    /// </summary>
    private static bool Regroups(Primitive op, Expr right, Func<Expr, (string Text, int Prec)> visit)
    {
        // A minus before a chain (-b * c) moves to the chain's first operand: a * -b * c = a * (-b * c).
        if (right is Apply { Op: NegateOp } minus && visit(right).Prec == op.Precedence) return Regroups(op, minus[0], visit);
        if (!op.Associative || right is not Apply { Op: var r } apply || r.Precedence != op.Precedence) return false;
        if (r.GetType() != op.GetType() && !(op is BinaryElementwise && r is BinaryElementwise)) return false;
        var left = apply[0];
        // A left operand marked by a postfix (xᵀ @ y) prints as an atom, so the chain stops there.
        return r.PostfixOn(0, apply.Args.ToArray()) || visit(left).Prec != op.Precedence || Regroups(op, left, visit);
    }

    private static (string, int) Constant(Tensor t)
    {
        var inv = CultureInfo.InvariantCulture;
        // -0 is 0 to a reader; printing "-0" only raises the question.
        string Num(double v) => v == 0 ? "0" : t.DType == DType.Float32 ? ((float)v).ToString("G7", inv) : v.ToString("G15", inv);
        if (t.Size == 1 && t.Rank == 0)
        {
            double v = t.At(0);
            return (Num(v), v < 0 ? NegatedAtom : Atom);
        }
        if (t.Rank == 1 && t.Size <= 6)
            return ("[" + string.Join(", ", Enumerable.Range(0, t.Size).Select(i => Num(t.At(i)))) + "]", Atom);
        return ($"const{t.Shape}", Atom);
    }
}
