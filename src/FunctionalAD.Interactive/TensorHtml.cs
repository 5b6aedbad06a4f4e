using System.Text;

namespace FunctionalAD.Interactive;

/// <summary>
/// A tensor as HTML: a table for a vector or matrix (optionally a heatmap), the NumPy-like text in a
/// &lt;pre&gt; block for any other rank. Styles are inline, so the output needs no stylesheet or script.
/// </summary>
internal static class TensorHtml
{
    private const string Mono = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";

    public static string Render(Tensor t) =>
        t.Rank is 1 or 2 ? Table(t, NotebookSettings.Heatmap, null) : Pre(t);

    public static string Pre(Tensor t) =>
        $"<div class=\"fad-tensor\"><pre style=\"{Mono};margin:0\">{Markup.Escape(TensorText.Format(t))}</pre></div>";

    public static string Table(Tensor t, bool heatmap, string? title)
    {
        int rows = t.Rank == 2 ? t.Shape[0] : 1, cols = t.Shape[t.Rank - 1];
        var rowIdx = Shown(rows, NotebookSettings.MaxTableRows);
        var colIdx = Shown(cols, NotebookSettings.MaxTableColumns);
        var kept = t.Rank == 2 ? new[] { rowIdx, colIdx } : new[] { colIdx };
        var cells = TensorText.Cells(t, kept);
        var all = t.ToDoubleArray();
        var values = TensorText.Offsets(t.Shape, kept).Select(o => all[o]).ToArray();
        var colours = heatmap ? new Heatmap(all) : null;

        var sb = new StringBuilder();
        sb.Append("<div class=\"fad-tensor\">");
        sb.Append("<table class=\"fad-tensor-table\" style=\"border-collapse:collapse;").Append(Mono).Append(";font-size:0.85em\">");
        sb.Append("<caption style=\"caption-side:top;text-align:left;font-family:inherit\">");
        if (title is not null) sb.Append("<b>").Append(Markup.Escape(title)).Append("</b> ");
        sb.Append(Markup.Escape(Markup.ShapeAndDType(t.Shape, t.DType))).Append("</caption>");
        sb.Append("<thead><tr><th></th>");
        foreach (var j in colIdx) sb.Append(Header(j));
        sb.Append("</tr></thead><tbody>");
        int pos = 0;
        foreach (var i in rowIdx)
        {
            sb.Append("<tr>").Append(Header(t.Rank == 2 ? i : 0));
            foreach (var j in colIdx)
            {
                if (i < 0 || j < 0) { sb.Append("<td style=\"text-align:center;padding:2px 6px\">…</td>"); continue; }
                var style = "text-align:right;padding:2px 6px" + (colours is null ? "" : ";" + colours.Style(values[pos]));
                sb.Append("<td style=\"").Append(style).Append("\">").Append(Markup.Escape(cells[pos].Trim())).Append("</td>");
                pos++;
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table></div>");
        return sb.ToString();
    }

    private static string Header(int index) =>
        index < 0 ? "<th style=\"padding:2px 6px;color:#888\">…</th>" : $"<th style=\"padding:2px 6px;color:#888;font-weight:normal\">{index}</th>";

    /// <summary>All indices of an axis, or its first and last ones around a gap (-1) when it is longer than <paramref name="max"/>.</summary>
    private static int[] Shown(int n, int max)
    {
        if (n <= max) return Enumerable.Range(0, n).ToArray();
        int head = (max + 1) / 2, tail = max / 2;
        return Enumerable.Range(0, head).Append(-1).Concat(Enumerable.Range(n - tail, tail)).ToArray();
    }
}
