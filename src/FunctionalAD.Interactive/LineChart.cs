using System.Globalization;
using System.Text;

namespace FunctionalAD.Interactive;

/// <summary>
/// A line chart as self-contained SVG: one polyline per series (dashed against the right axis), markers
/// where there are few points, "nice" ticks (1, 2 or 5 times a power of ten) with grid lines, a legend and a
/// title. Values an axis cannot place (non-finite ones; zero or negative ones on a logarithmic axis) are left
/// out of their line and counted in the legend.
/// </summary>
internal static class LineChart
{
    private static readonly string[] Palette = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac" };
    private const int MaxMarkers = 60;

    public static string Svg(IReadOnlyList<ChartSeries> series, string? title, int width, int height, bool logLeft)
    {
        bool anyRight = series.Any(s => s.Right);
        double left = 64, right = width - (anyRight ? 64 : 20), bottom = height - 44;
        // The legend is a row (wrapping when it must) between the title and the plot, so it never hides a line.
        var labels = series.Select(s => Label(s, logLeft && !s.Right)).ToArray();
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
        var xs = ValueAxis.Linear(series.SelectMany(s => s.Points.Select(p => p.Epoch)), extend: false);
        var yl = logLeft
            ? ValueAxis.Logarithmic(series.Where(s => !s.Right).SelectMany(s => s.Points.Select(p => p.Value)))
            : ValueAxis.Linear(series.Where(s => !s.Right).SelectMany(s => s.Points.Select(p => p.Value)), extend: true);
        var yr = ValueAxis.Linear(series.Where(s => s.Right).SelectMany(s => s.Points.Select(p => p.Value)), extend: true);
        double X(double v) => left + xs.Fraction(v) * (right - left);
        double Y(ValueAxis a, double v) => bottom - a.Fraction(v) * (bottom - top);

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
            sb.Append($"<text x=\"{Markup.Coord(left - 6)}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{yl.Label(t)}</text>");
        }
        if (anyRight)
            foreach (var t in yr.Ticks)
                sb.Append($"<text x=\"{Markup.Coord(right + 6)}\" y=\"{Markup.Coord(Y(yr, t))}\" dominant-baseline=\"middle\">{yr.Label(t)}</text>");
        foreach (var t in xs.Ticks)
        {
            var x = Markup.Coord(X(t));
            sb.Append($"<line x1=\"{x}\" y1=\"{Markup.Coord(top)}\" x2=\"{x}\" y2=\"{Markup.Coord(bottom)}\" stroke=\"#f0f0f0\"/>");
            sb.Append($"<text x=\"{x}\" y=\"{Markup.Coord(bottom + 16)}\" text-anchor=\"middle\">{xs.Label(t)}</text>");
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
            var pts = s.Points.Where(p => axis.Places(p.Value)).Select(p => $"{Markup.Coord(X(p.Epoch))},{Markup.Coord(Y(axis, p.Value))}").ToArray();
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

    private static string Label(ChartSeries s, bool log)
    {
        int nonFinite = s.Points.Count(p => !double.IsFinite(p.Value));
        int nonPositive = log ? s.Points.Count(p => double.IsFinite(p.Value) && p.Value <= 0) : 0;
        var text = s.Name + (s.Right ? " (right axis)" : "");
        if (s.Points.Any(p => double.IsFinite(p.Value))) text += $": {Markup.Short(s.Points.Last(p => double.IsFinite(p.Value)).Value)}";
        if (nonFinite > 0) text += $" ({nonFinite} non-finite)";
        if (nonPositive > 0) text += $" ({nonPositive} not above 0, off the log axis)";
        return text;
    }
}

/// <summary>
/// An axis: the range it spans, its ticks and their labels, and where a value falls along it (0 at the low
/// end, 1 at the high end). Linear ticks sit at 1, 2 or 5 times a power of ten, about six of them; logarithmic
/// ones at powers of ten.
/// </summary>
internal sealed class ValueAxis
{
    private readonly double _lo, _hi;
    private readonly bool _log;
    private readonly int _decimals;

    private ValueAxis(double lo, double hi, double[] ticks, bool log, int decimals) =>
        (_lo, _hi, Ticks, _log, _decimals) = (lo, hi, ticks, log, decimals);

    /// <summary>The values to label, in data units.</summary>
    public double[] Ticks { get; }

    /// <summary>True when the axis can place <paramref name="v"/>: finite, and above zero on a log axis.</summary>
    public bool Places(double v) => double.IsFinite(v) && (!_log || v > 0);

    public double Fraction(double v) => ((_log ? Math.Log10(v) : v) - _lo) / (_hi - _lo);

    public string Label(double t) =>
        _log || Math.Abs(t) >= 1e6 || _decimals > 6 ? Markup.Short(t) : t.ToString("F" + _decimals, CultureInfo.InvariantCulture);

    /// <summary>A linear axis over the finite values, extended outward to whole ticks for a value axis, kept to the data for the epoch axis.</summary>
    public static ValueAxis Linear(IEnumerable<double> data, bool extend)
    {
        var v = data.Where(double.IsFinite).ToArray();
        double lo = v.Length > 0 ? v.Min() : 0, hi = v.Length > 0 ? v.Max() : 1;
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi))) { lo -= Math.Max(0.5, Math.Abs(lo) * 0.1); hi += Math.Max(0.5, Math.Abs(hi) * 0.1); }
        double raw = (hi - lo) / 6, mag = Math.Pow(10, Math.Floor(Math.Log10(raw))), f = raw / mag;
        double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
        if (extend) { lo = Math.Floor(lo / step) * step; hi = Math.Ceiling(hi / step) * step; }
        var ticks = new List<double>();
        for (double t = Math.Ceiling(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        int decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(step) + 1e-9));
        return new ValueAxis(lo, hi, ticks.ToArray(), log: false, decimals);
    }

    /// <summary>A logarithmic axis over the finite values above zero, from the decade below the smallest to the decade above the largest.</summary>
    public static ValueAxis Logarithmic(IEnumerable<double> data)
    {
        var v = data.Where(x => double.IsFinite(x) && x > 0).Select(Math.Log10).ToArray();
        double lo = v.Length > 0 ? Math.Floor(v.Min()) : 0, hi = v.Length > 0 ? Math.Ceiling(v.Max()) : 1;
        if (hi <= lo) hi = lo + 1;
        // At most about eight labelled decades; a wider range labels every second or third one.
        int every = (int)Math.Ceiling((hi - lo) / 8);
        var ticks = new List<double>();
        for (double d = lo; d <= hi; d += every) ticks.Add(Math.Pow(10, d));
        return new ValueAxis(lo, hi, ticks.ToArray(), log: true, 0);
    }
}
