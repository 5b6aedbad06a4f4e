using System.Xml.Linq;
using FunctionalAD.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace FunctionalAD.Interactive.Tests;

/// <summary>Renders values the way a .NET Interactive kernel does: through the Formatter, by MIME type.</summary>
internal static class Render
{
    static Render() => Reset();

    /// <summary>Default formatters and settings, then ours registered, as after loading the package in a fresh kernel.</summary>
    public static void Reset()
    {
        Formatter.ResetToDefault();
        NotebookSettings.Reset();
        NotebookFormatters.Register();
    }

    public static string As(object value, string mimeType) => value.ToDisplayString(mimeType);

    public static string Html(object value) => As(value, "text/html");

    public static string Plain(object value) => As(value, "text/plain");

    public static string Latex(object value) => As(value, "text/latex");

    /// <summary>HTML fragments we emit are well-formed XML too (no void tags left open), so they parse for inspection.</summary>
    public static XElement Xml(string html) => XElement.Parse(html.Replace("&nbsp;", "&#160;"));
}
