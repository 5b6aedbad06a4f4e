using System.Globalization;

namespace FunctionalAD.Interactive;

/// <summary>
/// Cell colours for a heatmap. Data of both signs uses a diverging scale centred on zero (blue below, white at
/// zero, red above, scaled by the largest magnitude), so the sign reads at a glance; data of one sign uses a
/// sequential scale from white at the minimum to dark blue at the maximum. NaN cells are grey.
/// </summary>
internal sealed class Heatmap
{
    private static readonly (double R, double G, double B) White = (255, 255, 255), Blue = (59, 76, 192), Red = (180, 4, 38), Navy = (8, 48, 107);
    private readonly double _min, _max;
    private readonly bool _diverging;

    public Heatmap(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        _min = finite.Length > 0 ? finite.Min() : 0;
        _max = finite.Length > 0 ? finite.Max() : 0;
        _diverging = _min < 0 && _max > 0;
    }

    /// <summary>The inline style of a cell holding <paramref name="v"/>: background, and a text colour that stays legible on it.</summary>
    public string Style(double v)
    {
        if (double.IsNaN(v)) return "background-color:#d0d0d0;color:#000";
        var c = Colour(v);
        // Relative luminance (sRGB weights): white text on the dark end of either scale.
        double lum = (0.2126 * c.R + 0.7152 * c.G + 0.0722 * c.B) / 255;
        return $"background-color:{Hex(c)};color:{(lum < 0.5 ? "#fff" : "#000")}";
    }

    private (double R, double G, double B) Colour(double v)
    {
        if (_diverging)
        {
            double m = Math.Max(-_min, _max);
            double t = Math.Clamp(v / m, -1, 1);
            return t < 0 ? Mix(White, Blue, -t) : Mix(White, Red, t);
        }
        double span = _max - _min;
        double s = span > 0 ? Math.Clamp((v - _min) / span, 0, 1) : 0.5;
        return Mix(White, Navy, s);
    }

    private static (double R, double G, double B) Mix((double R, double G, double B) a, (double R, double G, double B) b, double t) =>
        (a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);

    private static string Hex((double R, double G, double B) c) =>
        string.Create(CultureInfo.InvariantCulture, $"#{(int)Math.Round(c.R):x2}{(int)Math.Round(c.G):x2}{(int)Math.Round(c.B):x2}");
}
