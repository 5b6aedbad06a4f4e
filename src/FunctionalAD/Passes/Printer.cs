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
        return Apply(op, args, a => Visit(a, memo));
    }

    private static (string Text, int Prec) Visit(Expr e, Dictionary<Expr, (string, int)> memo)
    {
        if (memo.TryGetValue(e, out var done)) return done;
        (string, int) r = e switch
        {
            Var v => (v.Name, Atom),
            Const c => Constant(c.Value),
            Apply a => (Apply(a.Op, a.Args.ToArray(), x => Visit(x, memo)), a.Op.Precedence),
            _ => ("?", Atom),
        };
        memo[e] = r;
        return r;
    }

    private static string Apply(Primitive op, Expr[] args, Func<Expr, (string Text, int Prec)> visit)
    {
        int p = op.Precedence;
        var printed = new string[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            var (text, prec) = visit(args[i]);
            // @ shares the precedence of * and / but does not associate with them: (a * b) @ c, a * (b @ c).
            bool mixed = p == Product && prec == Product && (op is MatMulOp) != (args[i] is Apply { Op: MatMulOp });
            bool paren = mixed || (op.IsPostfix(i, args) ? prec < Atom : p switch
            {
                Atom => false,
                Prefix => prec < Power,
                Power => i == 0 ? prec <= Power : prec < Power,
                _ => i == 0 ? prec < p : (op.Associative ? prec < p : prec <= p),
            });
            printed[i] = paren ? $"({text})" : text;
        }
        return op.Format(printed, args);
    }

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
