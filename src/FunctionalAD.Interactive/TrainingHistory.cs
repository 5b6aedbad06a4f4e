using System.Text;

namespace FunctionalAD.Interactive;

/// <summary>One recorded value of a <see cref="TrainingHistory"/> series.</summary>
/// <param name="Epoch">When it was recorded: an epoch, or a fraction of one for values logged per batch.</param>
/// <param name="Value">The value; NaN or an infinity (a diverged loss) is kept, and left out of the chart's line.</param>
public readonly record struct HistoryPoint(double Epoch, double Value);

/// <summary>
/// Named series of numbers per epoch, as Keras's <c>History</c> holds them (loss, accuracy, validation
/// loss...): record values as training goes, and display the history in a notebook as an SVG line chart.
/// Safe to record into from a training thread while a cell displays it.
/// </summary>
/// <example>
/// <code>
/// var history = new TrainingHistory("digits MLP").OnRightAxis("accuracy");
/// for (int epoch = 1; epoch &lt;= 20; epoch++)
/// {
///     // ... one epoch of training ...
///     history.Record(epoch, ("loss", loss), ("accuracy", accuracy));
/// }
/// history   // the chart: loss against the left axis, accuracy against the right one
/// </code>
/// </example>
public sealed class TrainingHistory
{
    private readonly object _gate = new();
    private readonly List<string> _names = new();
    private readonly Dictionary<string, List<HistoryPoint>> _series = new(StringComparer.Ordinal);
    private readonly HashSet<string> _right = new(StringComparer.Ordinal);
    private bool _log;

    /// <summary>An empty history, with an optional title for its chart.</summary>
    public TrainingHistory(string? title = null) => Title = title;

    /// <summary>The chart's title, if any.</summary>
    public string? Title { get; }

    /// <summary>The series' names, in the order they were first recorded.</summary>
    public IReadOnlyList<string> Names
    {
        get { lock (_gate) return _names.ToArray(); }
    }

    /// <summary>The points of series <paramref name="name"/>, in epoch order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No series has that name; the message lists the names there are.</exception>
    public IReadOnlyList<HistoryPoint> this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            lock (_gate)
            {
                return _series.TryGetValue(name, out var s)
                    ? s.ToArray()
                    : throw new KeyNotFoundException($"TrainingHistory: no series named '{name}'; it has {(_names.Count == 0 ? "none yet" : string.Join(", ", _names.Select(n => $"'{n}'")))}");
            }
        }
    }

    /// <summary>The values of series <paramref name="name"/> alone, in epoch order (Keras's <c>history.history[name]</c>).</summary>
    /// <exception cref="KeyNotFoundException">No series has that name.</exception>
    public double[] Values(string name) => this[name].Select(p => p.Value).ToArray();

    /// <summary>Records one epoch's values, one per named series; all are checked before any is recorded.</summary>
    /// <param name="epoch">The epoch; it must be finite and later than the last one recorded in each of these series.</param>
    /// <param name="values">Pairs of series name and value, e.g. <c>("loss", 0.31), ("accuracy", 0.92)</c>.</param>
    /// <returns>This history, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or a name is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is NaN or infinite.</exception>
    /// <exception cref="ArgumentException">A name is blank or given twice.</exception>
    /// <exception cref="FunctionalADException">A series already has this epoch or a later one.</exception>
    public TrainingHistory Record(double epoch, params (string Name, double Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!double.IsFinite(epoch)) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "TrainingHistory.Record: the epoch must be a finite number");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in values)
        {
            if (name is null) throw new ArgumentNullException(nameof(values), "TrainingHistory.Record: a series name is null");
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("TrainingHistory.Record: a series name is blank", nameof(values));
            if (!seen.Add(name)) throw new ArgumentException($"TrainingHistory.Record: series '{name}' is given twice for epoch {Markup.Short(epoch)}", nameof(values));
        }
        lock (_gate)
        {
            foreach (var (name, _) in values)
                if (_series.TryGetValue(name, out var s) && s.Count > 0 && s[^1].Epoch >= epoch)
                    throw new FunctionalADException($"TrainingHistory.Record: series '{name}' already has epoch {Markup.Short(s[^1].Epoch)}, so epoch {Markup.Short(epoch)} cannot follow it; epochs must increase (start a new TrainingHistory to train again)");
            foreach (var (name, value) in values)
            {
                if (!_series.TryGetValue(name, out var s))
                {
                    _series[name] = s = new List<HistoryPoint>();
                    _names.Add(name);
                }
                s.Add(new HistoryPoint(epoch, value));
            }
        }
        return this;
    }

    /// <summary>
    /// Records one epoch's values given as reference tuples, the form an F# list takes:
    /// <c>history.Record(epoch, [ "loss", loss; "accuracy", accuracy ])</c>. Checked as the other overload is.
    /// </summary>
    /// <returns>This history, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or one of its pairs is null.</exception>
    public TrainingHistory Record(double epoch, IEnumerable<Tuple<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Record(epoch, values.Select(t => t is null
            ? throw new ArgumentNullException(nameof(values), "TrainingHistory.Record: a (name, value) pair is null")
            : (t.Item1, t.Item2)).ToArray());
    }

    /// <summary>Records one value of one series: <c>Record(epoch, (name, value))</c>.</summary>
    /// <returns>This history, so calls chain.</returns>
    public TrainingHistory Record(string name, double epoch, double value) => Record(epoch, (name, value));

    /// <summary>
    /// Draws these series against a second y-axis on the right, for quantities of another scale than the
    /// rest (accuracy from 0 to 1 beside a loss of 2.3). Names not recorded yet are remembered.
    /// </summary>
    /// <returns>This history, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="names"/> or one of them is null.</exception>
    public TrainingHistory OnRightAxis(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Any(n => n is null)) throw new ArgumentNullException(nameof(names), "TrainingHistory.OnRightAxis: a series name is null");
        lock (_gate) _right.UnionWith(names);
        return this;
    }

    /// <summary>True when series <paramref name="name"/> is drawn against the right axis.</summary>
    public bool IsOnRightAxis(string name)
    {
        lock (_gate) return _right.Contains(name);
    }

    /// <summary>
    /// Draws the left axis on a logarithmic scale (or back on a linear one), for losses that fall through
    /// several decades. Values at or below zero cannot be placed on it: they are left out of the line and
    /// counted in the legend. The right axis stays linear.
    /// </summary>
    /// <returns>This history, so calls chain.</returns>
    public TrainingHistory UseLogScale(bool logScale = true)
    {
        lock (_gate) _log = logScale;
        return this;
    }

    /// <summary>True when the left axis is logarithmic (see <see cref="UseLogScale"/>).</summary>
    public bool IsLogScale
    {
        get { lock (_gate) return _log; }
    }

    /// <summary>The chart: one line per series, with axes, ticks, a legend and the title; no script.</summary>
    /// <param name="width">Width in pixels, at least 200.</param>
    /// <param name="height">Height in pixels, at least 120.</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is below the minimum.</exception>
    public string ToSvg(int width = 640, int height = 360)
    {
        if (width < 200) throw new ArgumentOutOfRangeException(nameof(width), width, "TrainingHistory.ToSvg: the width must be at least 200 pixels");
        if (height < 120) throw new ArgumentOutOfRangeException(nameof(height), height, "TrainingHistory.ToSvg: the height must be at least 120 pixels");
        return LineChart.Svg(Snapshot(), Title, width, height, IsLogScale);
    }

    /// <summary>The values as a text table, one row per epoch and one column per series ("-" where a series has no value).</summary>
    public override string ToString()
    {
        var series = Snapshot();
        var epochs = series.SelectMany(s => s.Points.Select(p => p.Epoch)).Distinct().Order().ToArray();
        var header = new[] { "epoch" }.Concat(series.Select(s => s.Name)).ToArray();
        var lookup = series.Select(s => s.Points.ToDictionary(p => p.Epoch, p => p.Value)).ToArray();
        var rows = epochs.Select(e => new[] { Markup.Short(e) }
            .Concat(lookup.Select(d => d.TryGetValue(e, out var v) ? Markup.Short(v) : "-")).ToArray()).ToList();
        // Long trainings show their start and end, as a summarised tensor does.
        if (rows.Count > 12) rows = rows.Take(5).Append(header.Select(_ => "...").ToArray()).Concat(rows.TakeLast(5)).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        if (Title is not null) sb.AppendLine(Title);
        sb.AppendLine(string.Join("  ", header.Select((h, i) => h.PadLeft(widths[i]))).TrimEnd());
        foreach (var r in rows) sb.AppendLine(string.Join("  ", r.Select((c, i) => c.PadLeft(widths[i]))));
        if (series.Count == 0) sb.AppendLine("(nothing recorded yet)");
        return sb.ToString().TrimEnd('\n', '\r');
    }

    internal IReadOnlyList<ChartSeries> Snapshot()
    {
        lock (_gate) return _names.Select(n => new ChartSeries(n, _series[n].ToArray(), _right.Contains(n))).ToArray();
    }
}

/// <summary>A series as the chart draws it.</summary>
internal sealed record ChartSeries(string Name, HistoryPoint[] Points, bool Right);
