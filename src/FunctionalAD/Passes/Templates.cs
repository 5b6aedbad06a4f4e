using System.Text;

namespace FunctionalAD;

/// <summary>
/// One printed node: its text with slot markers standing for its printed arguments, how tightly it binds, and
/// whether its expansion starts with a minus sign. A leaf's text is taken literally.
/// </summary>
internal readonly record struct Printed(string Text, int Prec, Expr[]? Args, bool Minus, long Length);

/// <summary>
/// Printing without recursion and without copying: each node is printed once as a template over its arguments'
/// templates, and the whole text is written out in one pass at the end. A chain of 100,000 nodes therefore prints
/// in time linear in its text, where formatting each node from its arguments' full strings copies every prefix.
/// </summary>
internal static class Templates
{
    private const char Open = '\u0001', Close = '\u0002';

    /// <summary>Longest text printed; sharing in a DAG can make the tree form exponentially long.</summary>
    public const long MaxLength = 256L * 1024 * 1024;

    /// <summary>The marker for argument <paramref name="i"/> inside a template.</summary>
    public static string Slot(int i) => $"{Open}{i}{Close}";

    /// <summary>
    /// Prints every node reachable from <paramref name="roots"/> bottom-up (in creation order, a topological order)
    /// with <paramref name="print"/>, which gets the node and its arguments' printed forms (their Text a slot marker).
    /// </summary>
    public static Dictionary<Expr, Printed> PrintAll(IEnumerable<Expr> roots, Func<Expr, Printed[], Printed> print)
    {
        var memo = new Dictionary<Expr, Printed>(ReferenceEqualityComparer.Instance);
        foreach (var n in Graph.Reachable(roots))
        {
            var args = new Printed[n.Args.Count];
            for (int i = 0; i < args.Length; i++)
            {
                var a = memo[n.Args[i]];
                args[i] = a with { Text = Slot(i) };
            }
            memo[n] = Complete(print(n, args), n.Args, memo);
        }
        return memo;
    }

    /// <summary>A leaf: literal text.</summary>
    public static Printed Leaf(string text, int prec) => new(text, prec, null, text.StartsWith('-'), text.Length);

    /// <summary>A template over the arguments; its minus flag and length are filled in by <see cref="Complete"/>.</summary>
    public static Printed Node(string template, int prec) => new(template, prec, Array.Empty<Expr>(), false, 0);

    /// <summary>Fills in the arguments, the leading minus and the expanded length of a template.</summary>
    public static Printed Complete(Printed p, IReadOnlyList<Expr> args, Dictionary<Expr, Printed> memo)
    {
        if (p.Args is null) return p;
        var text = p.Text;
        long length = 0;
        int pos = 0;
        while (true)
        {
            int at = text.IndexOf(Open, pos);
            if (at < 0) { length += text.Length - pos; break; }
            int end = text.IndexOf(Close, at);
            length = Math.Min(MaxLength + 1, length + (at - pos) + memo[args[SlotIndex(text, at, end)]].Length);
            pos = end + 1;
        }
        bool minus = text.Length > 0 && (text[0] == '-' || (text[0] == Open && memo[args[SlotIndex(text, 0, text.IndexOf(Close))]].Minus));
        return p with { Args = args.ToArray(), Minus = minus, Length = length };
    }

    private static int SlotIndex(string text, int open, int close) =>
        int.Parse(text.AsSpan(open + 1, close - open - 1), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes out the text of <paramref name="root"/>, expanding slots with an explicit stack; with a
    /// <paramref name="limit"/>, the text is cut there and ends with an ellipsis.
    /// </summary>
    public static string Expand(Printed root, Dictionary<Expr, Printed> memo, string what, int limit = 0)
    {
        if (limit > 0 && root.Length > limit) return ExpandPrefix(root, memo, limit) + "…";
        if (root.Length > MaxLength)
            throw new FunctionalADException($"{what}: the expression prints to more than {MaxLength} characters, because shared " +
                "subexpressions are written out at each use; draw it with ToDot, which shows each subexpression once");
        return ExpandPrefix(root, memo, (int)root.Length);
    }

    private static string ExpandPrefix(Printed root, Dictionary<Expr, Printed> memo, int limit)
    {
        var b = new StringBuilder(limit);
        var stack = new Stack<(Printed P, int Pos)>();
        stack.Push((root, 0));
        while (stack.Count > 0 && b.Length < limit)
        {
            var (p, pos) = stack.Pop();
            if (p.Args is null) { b.Append(p.Text); continue; }
            int at = p.Text.IndexOf(Open, pos);
            if (at < 0) { b.Append(p.Text, pos, p.Text.Length - pos); continue; }
            b.Append(p.Text, pos, at - pos);
            int end = p.Text.IndexOf(Close, at);
            stack.Push((p, end + 1));
            stack.Push((memo[p.Args[SlotIndex(p.Text, at, end)]], 0));
        }
        return b.Length > limit ? b.ToString(0, limit) : b.ToString();
    }
}
