using ScottPlot;

namespace Digits;

/// <summary>Draws loss (left axis) and accuracies (right axis) per epoch into a PNG.</summary>
public static class TrainingPlot
{
    /// <summary>Writes the plot of <paramref name="history"/> to <paramref name="path"/>.</summary>
    public static void Save(IReadOnlyList<EpochReport> history, string path)
    {
        var plot = new Plot();
        double[] epochs = history.Select(h => (double)h.Epoch).ToArray();
        var loss = plot.Add.Scatter(epochs, history.Select(h => h.Loss).ToArray());
        loss.LegendText = "training loss";
        var train = plot.Add.Scatter(epochs, history.Select(h => h.TrainAccuracy).ToArray());
        train.LegendText = "train accuracy";
        train.Axes.YAxis = plot.Axes.Right;
        var test = plot.Add.Scatter(epochs, history.Select(h => h.TestAccuracy).ToArray());
        test.LegendText = "test accuracy";
        test.Axes.YAxis = plot.Axes.Right;
        plot.Title("FunctionalAD: MLP 64-64-10 on the UCI digits");
        plot.XLabel("epoch");
        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Right.Label.Text = "accuracy";
        plot.ShowLegend(Alignment.MiddleRight);
        plot.SavePng(path, 800, 500);
    }
}
