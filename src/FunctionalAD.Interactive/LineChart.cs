using System.Globalization;
using System.Text;

namespace FunctionalAD.Interactive;

/// <summary>
/// A line chart as self-contained SVG: one polyline per series (dashed against the right axis), markers
/// where there are few points, "nice" ticks (1, 2 or 5 times a power of ten) with grid lines, a legend and a
/// title. Non-finite values are left out of their line and counted in the legend.
/// </summary>
internal static class LineChart
{
    private static readonly string[] Palette = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac" };
    private const int MaxMarkers = 60;

    public static string Svg(IReadOnlyList<ChartSeries> series, string? title, int width, int height)
    {
        bool anyRight = series.Any(s => s.Right);
        double left = 64, right = width - (anyRight ? 64 : 20), bottom = height - 44;
        // The legend is a row (wrapping when it must) between the title and the plot, so it never hides a line.
        var labels = series.Select(Label).ToArray();
        var slots = new (double X, int Row)[labels.Length];
        double lx = left;
        int row = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double w = 30 + labels[i].Length * 6.2;
            if (lx > left && lx + w > right) { row++; lx = left; }
            slots[i] = (lx, row);
            lx += w + 14;
        }
        double legendTop = title is null ? 10 : 34;
        double top = legendTop + (labels.Length == 0 ? 6 : 16 * (row + 1) + 8);
        var xs = Axis(series.SelectMany(s => s.Points.Select(p => p.Epoch)), extend: false);
        var yl = Axis(series.Where(s => !s.Right).SelectMany(Finite), extend: true);
        var yr = Axis(series.Where(s => s.Right).SelectMany(Finite), extend: true);
        double X(double v) => left + (v - xs.Lo) / (xs.Hi - xs.Lo) * (right - left);
        double Y((double Lo, double Hi, double[] Ticks, int Decimals) a, double v) => bottom - (v - a.Lo) / (a.Hi - a.Lo) * (bottom - top);

        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"fad-chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">");
        sb.Append($"<title>{Markup.Escape(title ?? "training history")}</title>");
        sb.Append($"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#fff\"/>");
        if (title is not null)
            sb.Append($"<text x=\"{Markup.Coord(width / 2.0)}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{Markup.Escape(title)}</text>");

        // Grid and ticks: horizontal lines from the left axis, vertical ones from the epochs.
        foreach (var t in yl.Ticks)
        {
            var y = Markup.Coord(Y(yl, t));
            sb.Append($"<line x1=\"{Markup.Coord(left)}\" y1=\"{y}\" x2=\"{Markup.Coord(right)}\" y2=\"{y}\" stroke=\"#e5e5e5\"/>");
            sb.Append($"<text x=\"{Markup.Coord(left - 6)}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{Tick(t, yl.Decimals)}</text>");
        }
        if (anyRight)
            foreach (var t in yr.Ticks)
                sb.Append($"<text x=\"{Markup.Coord(right + 6)}\" y=\"{Markup.Coord(Y(yr, t))}\" dominant-baseline=\"middle\">{Tick(t, yr.Decimals)}</text>");
        foreach (var t in xs.Ticks)
        {
            var x = Markup.Coord(X(t));
            sb.Append($"<line x1=\"{x}\" y1=\"{Markup.Coord(top)}\" x2=\"{x}\" y2=\"{Markup.Coord(bottom)}\" stroke=\"#f0f0f0\"/>");
            sb.Append($"<text x=\"{x}\" y=\"{Markup.Coord(bottom + 16)}\" text-anchor=\"middle\">{Tick(t, xs.Decimals)}</text>");
        }
        sb.Append($"<rect x=\"{Markup.Coord(left)}\" y=\"{Markup.Coord(top)}\" width=\"{Markup.Coord(right - left)}\" height=\"{Markup.Coord(bottom - top)}\" fill=\"none\" stroke=\"#999\"/>");
        sb.Append($"<text x=\"{Markup.Coord((left + right) / 2)}\" y=\"{height - 8}\" text-anchor=\"middle\" fill=\"#555\">epoch</text>");
        if (series.Count == 0)
            sb.Append($"<text x=\"{Markup.Coord((left + right) / 2)}\" y=\"{Markup.Coord((top + bottom) / 2)}\" text-anchor=\"middle\" fill=\"#888\">nothing recorded yet</text>");

        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var axis = s.Right ? yr : yl;
            var colour = Palette[i % Palette.Length];
            var pts = s.Points.Where(p => double.IsFinite(p.Value)).Select(p => $"{Markup.Coord(X(p.Epoch))},{Markup.Coord(Y(axis, p.Value))}").ToArray();
            sb.Append($"<polyline class=\"fad-series\" data-series=\"{Markup.Escape(s.Name)}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(s.Right ? " stroke-dasharray=\"6 3\"" : "")} stroke-linejoin=\"round\" points=\"{string.Join(" ", pts)}\"><title>{Markup.Escape(s.Name)}</title></polyline>");
            if (pts.Length <= MaxMarkers)
                foreach (var p in pts)
                {
                    var xy = p.Split(',');
                    sb.Append($"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"2.5\" fill=\"{colour}\"/>");
                }
        }

        for (int i = 0; i < labels.Length; i++)
        {
            double y = legendTop + 8 + 16 * slots[i].Row, x = slots[i].X;
            var colour = Palette[i % Palette.Length];
            sb.Append($"<line x1=\"{Markup.Coord(x)}\" y1=\"{Markup.Coord(y)}\" x2=\"{Markup.Coord(x + 22)}\" y2=\"{Markup.Coord(y)}\" stroke=\"{colour}\" stroke-width=\"2\"{(series[i].Right ? " stroke-dasharray=\"6 3\"" : "")}/>");
            sb.Append($"<text x=\"{Markup.Coord(x + 27)}\" y=\"{Markup.Coord(y)}\" dominant-baseline=\"middle\">{Markup.Escape(labels[i])}</text>");
        }
        return sb.Append("</svg>").ToString();
    }

    private static IEnumerable<double> Finite(ChartSeries s) => s.Points.Select(p => p.Value).Where(double.IsFinite);

    private static string Label(ChartSeries s)
    {
        int bad = s.Points.Count(p => !double.IsFinite(p.Value));
        var last = s.Points.LastOrDefault(p => double.IsFinite(p.Value));
        var text = s.Name + (s.Right ? " (right axis)" : "");
        if (s.Points.Any(p => double.IsFinite(p.Value))) text += $": {Markup.Short(last.Value)}";
        return bad > 0 ? $"{text} ({bad} non-finite)" : text;
    }

    /// <summary>
    /// A data range with ticks at 1, 2 or 5 times a power of ten, about five of them; extended outward to
    /// whole ticks for a value axis, kept to the data for the epoch axis.
    /// </summary>
    private static (double Lo, double Hi, double[] Ticks, int Decimals) Axis(IEnumerable<double> data, bool extend)
    {
        var v = data.Where(double.IsFinite).ToArray();
        double lo = v.Length > 0 ? v.Min() : 0, hi = v.Length > 0 ? v.Max() : 1;
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi))) { lo -= Math.Max(0.5, Math.Abs(lo) * 0.1); hi += Math.Max(0.5, Math.Abs(hi) * 0.1); }
        double raw = (hi - lo) / 5, mag = Math.Pow(10, Math.Floor(Math.Log10(raw))), f = raw / mag;
        double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
        if (extend) { lo = Math.Floor(lo / step) * step; hi = Math.Ceiling(hi / step) * step; }
        var ticks = new List<double>();
        for (double t = Math.Ceiling(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        int decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(step) + 1e-9));
        return (lo, hi, ticks.ToArray(), decimals);
    }

    private static string Tick(double t, int decimals) =>
        Math.Abs(t) >= 1e6 || (decimals > 6) ? t.ToString("G3", CultureInfo.InvariantCulture) : t.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
