using System.Globalization;
using System.Text;

namespace FunctionalAD;

/// <summary>
/// Draws expressions as a Graphviz digraph: one node per distinct subterm (interning makes shared subterms
/// one object, so they are drawn once), edges from each argument up to its use, outputs with a double border.
/// </summary>
internal static class Dot
{
    /// <summary>Argument names in node labels and on edges: "x + y" with edges x and y says which is which.</summary>
    private static readonly string[] Slots = { "x", "y", "z", "w", "v", "u" };

    public static string Print(IReadOnlyList<Expr> outputs, IReadOnlyList<string>? names = null)
    {
        Ex.NotNull(outputs, nameof(outputs), "ToDot");
        if (outputs.Count == 0) throw new FunctionalADException("ToDot: give at least one expression to draw");
        for (int i = 0; i < outputs.Count; i++)
            if (outputs[i] is null) throw new ArgumentNullException(nameof(outputs), $"ToDot: outputs[{i}] is null");
        for (int i = 0; names is not null && i < names.Count; i++)
            if (names[i] is null) throw new ArgumentNullException(nameof(names), $"ToDot: names[{i}] is null");
        if (names is not null && names.Count != outputs.Count)
            throw new FunctionalADException($"ToDot: {outputs.Count} expressions but {names.Count} names; give one name per expression");
        var drawn = InlineCustom.Composites(outputs.ToArray());
        var nodes = Graph.Reachable(drawn);
        var id = new Dictionary<Expr, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < nodes.Count; i++) id[nodes[i]] = "n" + i.ToString(CultureInfo.InvariantCulture);
        var roots = new HashSet<Expr>(drawn, ReferenceEqualityComparer.Instance);

        var b = new StringBuilder();
        b.Append("digraph expr {\n  rankdir=BT;\n  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
        foreach (var n in nodes)
        {
            var attrs = n switch
            {
                Var => "shape=box, style=filled, fillcolor=\"#dbe8f7\"",
                Const => "shape=box, style=rounded",
                _ => "shape=ellipse",
            };
            if (roots.Contains(n)) attrs += ", peripheries=2";
            b.Append($"  {id[n]} [label=\"{Escape(Label(n))}\", {attrs}];\n");
        }
        foreach (var n in nodes)
        {
            for (int i = 0; i < n.Args.Count; i++)
            {
                var edgeLabel = n.Args.Count > 1 ? $" [label=\"{Slot(i)}\"]" : "";
                b.Append($"  {id[n.Args[i]]} -> {id[n]}{edgeLabel};\n");
            }
        }
        for (int i = 0; i < outputs.Count && names is not null; i++)
        {
            b.Append($"  out{i} [label=\"{Escape(names[i])}\", shape=plaintext];\n");
            b.Append($"  {id[drawn[i]]} -> out{i} [style=dashed, arrowhead=none];\n");
        }
        b.Append("}\n");
        return b.ToString();
    }

    private static string Slot(int i) => i < Slots.Length ? Slots[i] : "x" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>What the node computes, then its shape, and its dtype unless float32.</summary>
    private static string Label(Expr n)
    {
        var what = n switch
        {
            Var v => v.Name,
            Const c => c.Value.Size <= 6 && c.Value.Rank <= 1 ? Printer.Print(c) : "const",
            Apply a => a.Op.Format(Enumerable.Range(0, a.Args.Count).Select(Slot).ToArray(), a.Args.ToArray()),
            _ => n.GetType().Name,
        };
        var type = n.DType == DType.Float32 ? "" : " " + n.DType.Name();
        return $"{what}\n{n.Shape}{type}";
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
