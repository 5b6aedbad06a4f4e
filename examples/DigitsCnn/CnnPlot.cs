using Digits;
using ScottPlot;

namespace DigitsCnn;

/// <summary>Draws the CNN's loss and accuracies per epoch, with the MLP's test accuracy for comparison, into a PNG.</summary>
public static class CnnPlot
{
    /// <summary>Writes the plot to <paramref name="path"/>; <paramref name="mlp"/> may be empty.</summary>
    public static void Save(IReadOnlyList<EpochReport> cnn, IReadOnlyList<EpochReport> mlp, string path)
    {
        var plot = new Plot();
        double[] Epochs(IReadOnlyList<EpochReport> h) => h.Select(r => (double)r.Epoch).ToArray();
        var loss = plot.Add.Scatter(Epochs(cnn), cnn.Select(h => h.Loss).ToArray());
        loss.LegendText = "CNN training loss";
        var train = plot.Add.Scatter(Epochs(cnn), cnn.Select(h => h.TrainAccuracy).ToArray());
        train.LegendText = "CNN train accuracy";
        train.Axes.YAxis = plot.Axes.Right;
        var test = plot.Add.Scatter(Epochs(cnn), cnn.Select(h => h.TestAccuracy).ToArray());
        test.LegendText = "CNN test accuracy";
        test.Axes.YAxis = plot.Axes.Right;
        if (mlp.Count > 0)
        {
            var m = plot.Add.Scatter(Epochs(mlp), mlp.Select(h => h.TestAccuracy).ToArray());
            m.LegendText = "MLP test accuracy";
            m.Axes.YAxis = plot.Axes.Right;
        }
        plot.Title("FunctionalAD: CNN (conv-conv-pool-dense) on the UCI digits");
        plot.XLabel("epoch");
        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Right.Label.Text = "accuracy";
        plot.ShowLegend(Alignment.MiddleRight);
        plot.SavePng(path, 800, 500);
    }
}
