using System.Globalization;

namespace FunctionalAD;

/// <summary>
/// Prints an expression as math: infix operators with the fewest parentheses that keep the meaning,
/// functions as calls, small constants as numbers.
/// </summary>
internal static class Printer
{
    public const int Relation = 0, Sum = 1, Product = 2, Prefix = 3, Power = 4, Atom = 5;

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
            bool paren = op.PostfixOn(i, args) ? prec < Atom : p switch
            {
                Atom => false,
                // -(a * b) = -a * b in value, so a minus needs parentheses only around a sum or another minus.
                Prefix => prec < Product || prec == Prefix,
                // An exponent may start with a minus (x^-1); -b * c as an exponent still needs (x^(-b * c)).
                Power => i == 0 ? prec <= Power : prec < Prefix,
                _ => i == 0 ? prec < p : prec < p || (prec == p && !Regroups(op, args[i])),
            };
            if (p == Prefix && !paren) result = Math.Min(prec, Prefix);
            printed[i] = paren ? $"({text})" : text;
        }
        return (op.Format(printed, args), result);
    }

    /// <summary>
    /// a op (b r c) = (a op b) r c holds for an associative op when r is op itself, and for + and * when r is
    /// an element-wise operator of the same level ({+, -} or {*, /}); a * (b @ c) keeps its parentheses.
    /// </summary>
    private static bool Regroups(Primitive op, Expr right) =>
        op.Associative && right is Apply { Op: var r } && r.Precedence == op.Precedence
        && (r.GetType() == op.GetType() || (op is BinaryElementwise && r is BinaryElementwise));

    private static (string, int) Constant(Tensor t)
    {
        var inv = CultureInfo.InvariantCulture;
        // -0 is 0 to a reader; printing "-0" only raises the question.
        string Num(double v) => v == 0 ? "0" : t.DType == DType.Float32 ? ((float)v).ToString("G7", inv) : v.ToString("G15", inv);
        if (t.Size == 1 && t.Rank == 0)
        {
            double v = t.At(0);
            return (Num(v), v < 0 ? Prefix : Atom);
        }
        if (t.Rank == 1 && t.Size <= 6)
            return ("[" + string.Join(", ", Enumerable.Range(0, t.Size).Select(i => Num(t.At(i)))) + "]", Atom);
        return ($"const{t.Shape}", Atom);
    }
}
