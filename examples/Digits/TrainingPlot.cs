using ScottPlot;

namespace Digits;

/// <summary>Draws loss (left axis) and accuracies (right axis) per epoch into a PNG.</summary>
public static class TrainingPlot
{
    /// <summary>
    /// Writes the plot of <paramref name="history"/> to <paramref name="path"/>, its legend entries prefixed by
    /// <paramref name="model"/>; a non-empty <paramref name="baseline"/> adds its test accuracy as <paramref name="baselineLabel"/>.
    /// </summary>
    public static void Save(IReadOnlyList<EpochReport> history, string path, string title = "FunctionalAD: MLP 64-64-10 on the UCI digits",
        string model = "", IReadOnlyList<EpochReport>? baseline = null, string baselineLabel = "baseline test accuracy")
    {
        var plot = new Plot();
        double[] Epochs(IReadOnlyList<EpochReport> h) => h.Select(r => (double)r.Epoch).ToArray();
        void Line(IReadOnlyList<EpochReport> h, Func<EpochReport, double> value, string label, bool right)
        {
            var s = plot.Add.Scatter(Epochs(h), h.Select(value).ToArray());
            s.LegendText = label;
            if (right) s.Axes.YAxis = plot.Axes.Right;
        }
        string prefix = model.Length > 0 ? model + " " : "";
        Line(history, h => h.Loss, prefix + "training loss", right: false);
        Line(history, h => h.TrainAccuracy, prefix + "train accuracy", right: true);
        Line(history, h => h.TestAccuracy, prefix + "test accuracy", right: true);
        if (baseline is { Count: > 0 }) Line(baseline, h => h.TestAccuracy, baselineLabel, right: true);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Right.Label.Text = "accuracy";
        plot.ShowLegend(Alignment.MiddleRight);
        plot.SavePng(path, 800, 500);
    }
}
