using System.Globalization;

namespace FunctionalAD;

/// <summary>
/// Prints an expression as math: infix operators with the fewest parentheses that keep the meaning,
/// functions as calls, small constants as numbers.
/// </summary>
internal static class Printer
{
    public const int Relation = 0, Sum = 1, Product = 2, Prefix = 3, Power = 4, Atom = 5;

    public static string Print(Expr e)
    {
        e = InlineCustom.Composites(new[] { e })[0];
        var memo = Templates.PrintAll(new[] { e }, PrintNode);
        return Templates.Expand(memo[e], memo, "ToString");
    }

    /// <summary>The application as an error message shows it: cut after <see cref="ErrorLimit"/> characters.</summary>
    public static string PrintApplication(Primitive op, Expr[] args)
    {
        var memo = Templates.PrintAll(args, PrintNode);
        var slots = args.Select((a, i) => memo[a] with { Text = Templates.Slot(i) }).ToArray();
        var top = Templates.Complete(Templates.Node(Apply(op, args, slots), op.Precedence), args, memo);
        return Templates.Expand(top, memo, "ToString", ErrorLimit);
    }

    /// <summary>Longest expression printed inside an error message.</summary>
    public const int ErrorLimit = 10_000;

    private static Printed ConstantLeaf(Tensor t)
    {
        var (text, prec) = Constant(t);
        return Templates.Leaf(text, prec);
    }

    private static Printed PrintNode(Expr e, Printed[] args) => e switch
    {
        Var v => Templates.Leaf(v.Name, Atom),
        Const c => ConstantLeaf(c.Value),
        Apply a => Templates.Node(Apply(a.Op, a.Args.ToArray(), args), a.Op.Precedence),
        _ => Templates.Leaf("?", Atom),
    };

    private static string Apply(Primitive op, Expr[] args, Printed[] visited)
    {
        int p = op.Precedence;
        var printed = new string[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            var (text, prec) = (visited[i].Text, visited[i].Prec);
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
