using System.Text;
using System.Text.RegularExpressions;

namespace FunctionalAD.Interactive;

/// <summary>
/// A compiled function as HTML: its summary line, its inputs and outputs with their shapes, and its steps
/// (from <see cref="CompiledFunction.Describe"/>) as a numbered list, each step in code type.
/// </summary>
internal static partial class CompiledFunctionHtml
{
    public static string Render(CompiledFunction f)
    {
        var lines = f.Describe().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sb = new StringBuilder("<div class=\"fad-compiled\">");
        sb.Append("<div><b>CompiledFunction</b> ").Append(Markup.Escape(lines.Length > 0 ? lines[0] : "")).Append("</div>");
        sb.Append("<table style=\"border-collapse:collapse;margin:4px 0;text-align:left\"><tbody>");
        foreach (var v in f.Inputs)
            Row(sb, "input", Markup.Escape(v.Name), v.Shape, v.DType);
        for (int i = 0; i < f.Outputs.Count; i++)
            Row(sb, $"output {i}", Markup.Escape(Abbreviate(f.Outputs[i].ToString())), f.Outputs[i].Shape, f.Outputs[i].DType);
        sb.Append("</tbody></table>");
        var steps = lines.Skip(1).Select(l => StepLine().Match(l)).ToArray();
        if (steps.All(m => m.Success))
        {
            sb.Append("<ol start=\"0\" style=\"margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:0.85em\">");
            foreach (var m in steps) sb.Append("<li><code>").Append(Markup.Escape(m.Groups[2].Value)).Append("</code></li>");
            sb.Append("</ol>");
        }
        else
        {
            // A listing in another layout than "N: step" still shows, as it is.
            sb.Append("<pre style=\"margin:0\">").Append(Markup.Escape(string.Join("\n", lines.Skip(1)))).Append("</pre>");
        }
        return sb.Append("</div>").ToString();
    }

    private static void Row(StringBuilder sb, string role, string what, Shape shape, DType dtype) =>
        sb.Append("<tr><td style=\"color:#888;padding:1px 8px 1px 0;white-space:nowrap\">").Append(role)
          .Append("</td><td style=\"padding:1px 8px 1px 0\"><code>").Append(what)
          .Append("</code></td><td style=\"color:#888;white-space:nowrap\">").Append(Markup.Escape(Markup.ShapeAndDType(shape, dtype))).Append("</td></tr>");

    /// <summary>A long printed expression cut to its start: the listing below is the detail.</summary>
    private static string Abbreviate(string s) => s.Length <= 80 ? s : s[..77] + "...";

    [GeneratedRegex(@"^(\d+):\s(.*)$")]
    private static partial Regex StepLine();
}
