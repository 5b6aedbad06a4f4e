using System.Globalization;
using System.Net;

namespace FunctionalAD.Interactive;

/// <summary>Escaping and number text shared by the HTML, SVG and LaTeX renderers.</summary>
internal static class Markup
{
    /// <summary>Text made safe inside HTML or SVG elements and quoted attributes: &amp;, &lt;, &gt;, quotes.</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A number in invariant culture, short: what a chart tick or a legend shows.</summary>
    public static string Short(double v) =>
        double.IsNaN(v) ? "nan" : double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf") : v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A coordinate for SVG: two decimals, invariant culture, whatever the thread's culture is.</summary>
    public static string Coord(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Shape and dtype as TensorFlow prints them: <c>shape=(2, 3), dtype=float32</c>.</summary>
    public static string ShapeAndDType(Shape shape, DType dtype) => $"shape={shape}, dtype={dtype.Name()}";
}
