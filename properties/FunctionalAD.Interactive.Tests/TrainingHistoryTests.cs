using System.Globalization;
using System.Xml.Linq;
using FunctionalAD.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Xunit;

namespace FunctionalAD.Interactive.Tests;

public class TrainingHistoryTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public TrainingHistoryTests() => Render.Reset();

    private static TrainingHistory Sample()
    {
        var h = new TrainingHistory("digits <MLP>").OnRightAxis("accuracy");
        for (int epoch = 1; epoch <= 5; epoch++)
            h.Record(epoch, ("loss", 2.0 / epoch), ("accuracy", 0.5 + 0.08 * epoch));
        h.Record(6, ("loss", double.NaN));
        return h;
    }

    private static (double X, double Y)[] Points(XElement polyline) =>
        ((string)polyline.Attribute("points")!).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToArray();

    [Fact]
    public void The_chart_is_valid_SVG_with_one_polyline_per_series_and_a_point_per_finite_value()
    {
        var h = Sample();
        var svg = XElement.Parse(h.ToSvg());
        Assert.Equal(Svg + "svg", svg.Name);
        var lines = svg.Descendants(Svg + "polyline").ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Equal(new[] { "loss", "accuracy" }, lines.Select(l => (string)l.Attribute("data-series")!));
        Assert.Equal(5, Points(lines[0]).Length);      // the NaN at epoch 6 is left out of the line
        Assert.Equal(5, Points(lines[1]).Length);
        Assert.Empty(svg.Descendants(Svg + "script"));
    }

    [Fact]
    public void Lines_follow_the_data_left_to_right_and_larger_values_higher()
    {
        var svg = XElement.Parse(Sample().ToSvg());
        var loss = Points(svg.Descendants(Svg + "polyline").First());
        Assert.True(loss.Zip(loss.Skip(1)).All(p => p.Item2.X > p.Item1.X), "epochs increase to the right");
        Assert.True(loss.Zip(loss.Skip(1)).All(p => p.Item2.Y > p.Item1.Y), "a falling loss goes down the chart (SVG y grows downward)");
        var accuracy = Points(svg.Descendants(Svg + "polyline").Last());
        Assert.True(accuracy.Zip(accuracy.Skip(1)).All(p => p.Item2.Y < p.Item1.Y), "a rising accuracy goes up");
        // Both axes span the plot: each series reaches from near the bottom to near the top of its own axis.
        Assert.True(Math.Abs(loss[0].X - accuracy[0].X) < 1e-9);
    }

    [Fact]
    public void The_right_axis_series_is_dashed_and_the_legend_names_escape_and_count_non_finite_values()
    {
        var h = Sample();
        var svg = XElement.Parse(h.ToSvg());
        var lines = svg.Descendants(Svg + "polyline").ToArray();
        Assert.Null(lines[0].Attribute("stroke-dasharray"));
        Assert.NotNull(lines[1].Attribute("stroke-dasharray"));
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToArray();
        Assert.Contains("digits <MLP>", texts);
        Assert.Contains(texts, t => t.StartsWith("loss: 0.4", StringComparison.Ordinal) && t.EndsWith("(1 non-finite)", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("accuracy (right axis): 0.9", StringComparison.Ordinal));
        Assert.Contains("digits &lt;MLP&gt;", h.ToSvg());
    }

    [Fact]
    public void A_log_scale_spaces_decades_evenly_and_counts_what_it_cannot_place()
    {
        var h = new TrainingHistory().UseLogScale();
        double[] losses = { 100, 10, 1, 0.1, 0 };
        for (int i = 0; i < losses.Length; i++) h.Record(i + 1, ("loss", losses[i]));
        Assert.True(h.IsLogScale);
        var svg = XElement.Parse(h.ToSvg());
        var y = Points(svg.Descendants(Svg + "polyline").Single()).Select(p => p.Y).ToArray();
        Assert.Equal(4, y.Length);                                  // 0 has no place on a log axis
        var gaps = y.Zip(y.Skip(1), (a, b) => b - a).ToArray();
        Assert.All(gaps, g => Assert.Equal(gaps[0], g, 6));         // one decade, one step down
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToArray();
        foreach (var tick in new[] { "0.1", "1", "10", "100" }) Assert.Contains(tick, texts);
        Assert.Contains(texts, t => t.Contains("(1 not above 0, off the log axis)", StringComparison.Ordinal));
        var linear = Points(XElement.Parse(h.UseLogScale(false).ToSvg()).Descendants(Svg + "polyline").Single()).Select(p => p.Y).ToArray();
        Assert.Equal(5, linear.Length);
        Assert.True(linear[1] - linear[0] > 10 * (linear[2] - linear[1]), "linear again: the first drop dwarfs the next");
    }

    [Fact]
    public void The_formatter_gives_HTML_with_the_inline_SVG_an_SVG_image_and_a_text_table()
    {
        var h = Sample();
        Assert.Equal(new[] { "text/html", "text/plain" }, Formatter.GetPreferredMimeTypesFor(typeof(TrainingHistory)).ToArray());
        var html = Render.Html(h);
        Assert.Contains(h.ToSvg(), html);
        Assert.Equal(h.ToSvg(), Render.As(h, "image/svg+xml"));
        var text = Render.Plain(h).Split('\n');
        Assert.Equal("digits <MLP>", text[0]);
        Assert.Equal(new[] { "epoch", "loss", "accuracy" }, text[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(new[] { "1", "2", "0.58" }, text[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(new[] { "6", "nan", "-" }, text[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void An_empty_history_draws_empty_axes()
    {
        var svg = XElement.Parse(new TrainingHistory().ToSvg());
        Assert.Empty(svg.Descendants(Svg + "polyline"));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "nothing recorded yet");
    }

    [Fact]
    public void Series_read_back_in_order_and_an_unknown_name_lists_the_known_ones()
    {
        var h = Sample();
        Assert.Equal(new[] { "loss", "accuracy" }, h.Names);
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5, 6 }, h["loss"].Select(p => p.Epoch));
        Assert.Equal(0.5 + 0.08 * 3, h.Values("accuracy")[2], 12);
        Assert.True(h.IsOnRightAxis("accuracy"));
        var e = Assert.Throws<KeyNotFoundException>(() => h["val_loss"]);
        Assert.Contains("'loss', 'accuracy'", e.Message);
    }

    [Fact]
    public void Bad_records_are_refused_and_leave_the_history_as_it_was()
    {
        var h = Sample();
        var e = Assert.Throws<FunctionalADException>(() => h.Record(6, ("accuracy", 0.99), ("loss", 0.1)));
        Assert.Contains("'loss' already has epoch 6", e.Message);
        Assert.Equal(5, h["accuracy"].Count);                      // nothing half-done
        Assert.Throws<ArgumentException>(() => h.Record(7, ("loss", 1), ("loss", 2)));
        Assert.Throws<ArgumentException>(() => h.Record(7, (" ", 1)));
        Assert.Throws<ArgumentNullException>(() => h.Record(7, (null!, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Record(double.NaN, ("loss", 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.ToSvg(width: 10));
        Assert.Equal(6, h["loss"].Count);
        h.Record("loss", 7, 0.2);
        Assert.Equal(7, h["loss"].Count);
    }

    [Fact]
    public void Reference_tuples_record_as_value_tuples_do_for_FSharp_lists()
    {
        var a = new TrainingHistory().Record(1, new[] { Tuple.Create("loss", 0.5), Tuple.Create("accuracy", 0.9) });
        var b = new TrainingHistory().Record(1, ("loss", 0.5), ("accuracy", 0.9));
        Assert.Equal(b.ToString(), a.ToString());
        Assert.Throws<ArgumentNullException>(() => a.Record(2, (IEnumerable<Tuple<string, double>>)null!));
        Assert.Throws<ArgumentNullException>(() => a.Record(2, new Tuple<string, double>[] { null! }));
        Assert.Throws<ArgumentException>(() => a.Record(2, new[] { Tuple.Create("loss", 1.0), Tuple.Create("loss", 2.0) }));
        Assert.Single(a["loss"]);
    }

    [Fact]
    public async Task Recording_from_another_thread_while_displaying_is_safe()
    {
        var h = new TrainingHistory();
        var writer = Task.Run(() => { for (int i = 0; i < 2000; i++) h.Record(i, ("loss", 1.0 / (i + 1))); });
        while (!writer.IsCompleted) XElement.Parse(h.ToSvg());
        await writer;
        Assert.Equal(2000, h["loss"].Count);
        Assert.Single(XElement.Parse(h.ToSvg()).Descendants(Svg + "polyline"));
    }
}
