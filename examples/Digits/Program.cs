using System.Globalization;
using Digits;

// Trains a 64-64-10 MLP on the UCI handwritten digits and plots the run.
//   dotnet run -c Release --project examples/Digits [-- --epochs N --seed S --plot path.png]
var inv = CultureInfo.InvariantCulture;
string Arg(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var options = new TrainingOptions(
    Epochs: int.Parse(Arg("--epochs", "20"), inv),
    Seed: int.Parse(Arg("--seed", "1"), inv));
var plotPath = Path.GetFullPath(Arg("--plot", "digits-training.png"));

var data = DigitsSet.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv"));
var (train, test) = data.Split(0.2, options.Seed);
Console.WriteLine($"UCI digits: {data.Count} images, {train.Count} to train, {test.Count} to test; MLP 64-64-10, Adam lr {options.LearningRate.ToString(inv)}, batch {options.BatchSize}");

var history = new List<EpochReport>();
Trainer.Train(train, test, options, r =>
{
    history.Add(r);
    Console.WriteLine(string.Create(inv,
        $"epoch {r.Epoch,2}/{options.Epochs}  loss {r.Loss:F4}  train acc {r.TrainAccuracy:P1}  test acc {r.TestAccuracy:P1}  elapsed {r.Elapsed.TotalSeconds:F1} s"));
});
var last = history[^1];
Console.WriteLine(string.Create(inv, $"final test accuracy {last.TestAccuracy:P2} in {last.Elapsed.TotalSeconds:F1} s"));
TrainingPlot.Save(history, plotPath);
Console.WriteLine($"plot: {plotPath}");
