using System.Text;

namespace FunctionalAD.Interactive;

/// <summary>
/// The tape layer as text and HTML: a tape by its mode and watched variables, a variable by its name, type and
/// value, an eager tensor by its value (or its expression while a variable under it has no value).
/// </summary>
internal static class TapeHtml
{
    public static string Plain(GradientTape tape)
    {
        var watched = tape.WatchedVariables().Select(v => v.Name).ToArray();
        return $"GradientTape(persistent={tape.Persistent}, watch_accessed_variables={tape.WatchAccessedVariables}, " +
               $"{(tape.IsRecording ? "recording" : "not recording")}) watching variables: [{string.Join(", ", watched)}]";
    }

    public static string Html(GradientTape tape)
    {
        var watched = tape.WatchedVariables();
        var sb = new StringBuilder("<div class=\"fad-tape\"><b>GradientTape</b> ");
        sb.Append(tape.Persistent ? "persistent" : "one-use").Append(", ");
        sb.Append(tape.WatchAccessedVariables ? "watches trainable variables it reads" : "watches only what Watch names").Append(", ");
        sb.Append(tape.IsRecording ? "<span style=\"color:#c00\">● recording</span>" : "not recording");
        sb.Append("<div>watched variables: ");
        if (watched.Count == 0) sb.Append("<i>none</i>");
        else sb.Append(string.Join(", ", watched.Select(v => $"<code>{Markup.Escape(v.Name)}</code> <span style=\"color:#888\">{Markup.Escape(Markup.ShapeAndDType(v.Shape, v.DType))}</span>")));
        return sb.Append("</div></div>").ToString();
    }

    public static string Html(Variable v) =>
        $"<div class=\"fad-variable\"><b>Variable</b> <code>{Markup.Escape(v.Name)}</code> " +
        $"<span style=\"color:#888\">{Markup.Escape(Markup.ShapeAndDType(v.Shape, v.DType))}{(v.Trainable ? "" : ", not trainable")}</span>" +
        TensorHtml.Render(v.Value) + "</div>";

    public static string Html(EagerTensor t)
    {
        try
        {
            return TensorHtml.Render(t.Value);
        }
        catch (MissingBindingException e)
        {
            return "<div class=\"fad-eager\">" + ExprMath.Html(t.Expr) +
                   $"<div style=\"color:#888\">no value: variable <code>{Markup.Escape(e.Variable.Name)}</code> is unbound; use Eval(env)</div></div>";
        }
    }

    public static string Html(GradientList grads)
    {
        var sb = new StringBuilder("<table class=\"fad-gradients\" style=\"border-collapse:collapse\"><tbody>");
        for (int i = 0; i < grads.Count; i++)
        {
            sb.Append("<tr><td style=\"vertical-align:top;color:#888;padding:2px 8px 2px 0\">").Append(i).Append("</td><td>");
            sb.Append(grads[i] is { } g ? Html(g) : "<code>None</code> <span style=\"color:#888\">(not connected to the target)</span>");
            sb.Append("</td></tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }
}
