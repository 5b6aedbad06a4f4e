using System.Globalization;
using Digits;
using DigitsCnn;

// Trains a small CNN on the UCI 8×8 digits, compares it with the 64-64-10 MLP, plots the run, saves a checkpoint.
//   dotnet run -c Release --project examples/DigitsCnn [-- --epochs N --seed S --plot p.png --checkpoint c.safetensors --no-mlp]
//   dotnet run -c Release --project examples/DigitsCnn -- --evaluate c.safetensors     (test accuracy of a saved model)
var inv = CultureInfo.InvariantCulture;
string Arg(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
int seed = int.Parse(Arg("--seed", "1"), inv);
var data = DigitsSet.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv"));
var (train, test) = data.Split(0.2, seed);

if (Arg("--evaluate", "") is { Length: > 0 } saved)
{
    var parameters = CnnCheckpoint.Load(saved);
    Console.WriteLine(string.Create(inv, $"test accuracy {new Accuracy(new Cnn(), test).Of(parameters):F6} ({test.Count} images, seed {seed}, from {saved})"));
    return;
}

var options = new TrainingOptions(Epochs: int.Parse(Arg("--epochs", "15"), inv), BatchSize: 32, LearningRate: 0.003, Seed: seed);
var plotPath = Path.GetFullPath(Arg("--plot", "digits-cnn-training.png"));
var checkpointPath = Path.GetFullPath(Arg("--checkpoint", "digits-cnn.safetensors"));
Console.WriteLine($"UCI digits: {train.Count} to train, {test.Count} to test; CNN conv3x3(16)-relu-conv3x3(32)-relu-maxpool2-dense(10), Adam lr {options.LearningRate.ToString(inv)}, batch {options.BatchSize}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}");

var cnn = new List<EpochReport>();
var final = CnnTrainer.Train(train, test, options, r =>
{
    cnn.Add(r);
    Console.WriteLine(string.Create(inv,
        $"epoch {r.Epoch,2}/{options.Epochs}  loss {r.Loss:F4}  train acc {r.TrainAccuracy:P1}  test acc {r.TestAccuracy:P1}  elapsed {r.Elapsed.TotalSeconds:F1} s"));
});
var last = cnn[^1];
Console.WriteLine(string.Create(inv, $"CNN final test accuracy {last.TestAccuracy:F6} in {last.Elapsed.TotalSeconds:F1} s"));
CnnCheckpoint.Save(checkpointPath, final, seed, last.TestAccuracy);
Console.WriteLine($"checkpoint: {checkpointPath}");

var mlp = new List<EpochReport>();
if (!args.Contains("--no-mlp"))
{
    Trainer.Train(train, test, new TrainingOptions(Epochs: 20, Seed: seed), mlp.Add);
    Console.WriteLine(string.Create(inv,
        $"MLP 64-64-10, 20 epochs: test accuracy {mlp[^1].TestAccuracy:P2} in {mlp[^1].Elapsed.TotalSeconds:F1} s  (CNN: {last.TestAccuracy:P2} in {last.Elapsed.TotalSeconds:F1} s)"));
}
TrainingPlot.Save(cnn, plotPath, "FunctionalAD: CNN (conv-conv-pool-dense) on the UCI digits", "CNN", mlp, "MLP test accuracy");
Console.WriteLine($"plot: {plotPath}");

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
