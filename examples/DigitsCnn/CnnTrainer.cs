using System.Diagnostics;
using Digits;
using FunctionalAD;
using static FunctionalAD.Ex;

namespace DigitsCnn;

/// <summary>Mini-batch training of the <see cref="Cnn"/> with Adam, on one compiled loss-and-gradient step.</summary>
public static class CnnTrainer
{
    /// <summary>Trains and reports after each epoch; returns the final parameters.</summary>
    public static Tensor[] Train(DigitsSet train, DigitsSet test, TrainingOptions options, Action<EpochReport> report)
    {
        var clock = Stopwatch.StartNew();
        var model = new Cnn();
        var x = Var("x", options.BatchSize, DigitsSet.Features);
        var labels = Var("labels", new Shape(options.BatchSize), DType.Int32);
        var loss = model.Loss(x, labels);
        var step = Ad.Compile([loss, .. Ad.Grad(loss, model.Parameters)], [x, labels, .. model.Parameters]);
        var trainAccuracy = new CnnAccuracy(model, train);
        var testAccuracy = new CnnAccuracy(model, test);
        var optimizer = new Adam(options.LearningRate);
        var parameters = Cnn.Initial(options.Seed);
        var state = optimizer.Init(parameters);
        var rng = new Random(options.Seed);
        int batches = train.Count / options.BatchSize;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var order = DigitsSet.Shuffled(train.Count, rng);
            double total = 0;
            for (int b = 0; b < batches; b++)
            {
                var batch = train.Take(order.AsSpan(b * options.BatchSize, options.BatchSize).ToArray());
                // Fresh outputs each step: the optimizer keeps the gradients it is given inside its own expressions.
                var outputs = step.Run([batch.PixelTensor(), batch.LabelTensor(), .. parameters]);
                (parameters, state) = optimizer.Update(parameters, outputs[1..], state);
                total += outputs[0].ToScalar();
            }
            report(new EpochReport(epoch, total / batches, trainAccuracy.Of(parameters), testAccuracy.Of(parameters), clock.Elapsed));
        }
        return parameters;
    }
}

/// <summary>The fraction of a data set the CNN classifies right, its logits compiled once for the whole set.</summary>
public sealed class CnnAccuracy
{
    private readonly DigitsSet _data;
    private readonly CompiledFunction _logits;
    private readonly Tensor _pixels;

    /// <summary>Compiles the logits of <paramref name="data"/>.</summary>
    public CnnAccuracy(Cnn model, DigitsSet data)
    {
        _data = data;
        var x = Var($"x{data.Count}", data.Count, DigitsSet.Features);
        _logits = Ad.Compile([model.Logits(x)], [x, .. model.Parameters]);
        _pixels = data.PixelTensor();
    }

    /// <summary>Accuracy with the given parameter values.</summary>
    public double Of(IReadOnlyList<Tensor> parameters)
    {
        var logits = _logits.Run([_pixels, .. parameters])[0].ToFloatArray();
        int right = 0;
        for (int n = 0; n < _data.Count; n++)
        {
            int best = 0;
            for (int k = 1; k < DigitsSet.Classes; k++)
                if (logits[n * DigitsSet.Classes + k] > logits[n * DigitsSet.Classes + best]) best = k;
            if (best == _data.Labels[n]) right++;
        }
        return (double)right / _data.Count;
    }
}

/// <summary>The CNN's parameters in a safetensors checkpoint, by the names of <see cref="Cnn.Names"/>.</summary>
public static class CnnCheckpoint
{
    /// <summary>Saves <paramref name="parameters"/> with the run's seed and test accuracy as metadata.</summary>
    public static void Save(string path, IReadOnlyList<Tensor> parameters, int seed, double testAccuracy) =>
        Checkpoint.Save(path, Cnn.Names.Select((n, i) => (n, parameters[i])).ToDictionary(p => p.n, p => p.Item2),
            new Dictionary<string, string>
            {
                ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["test_accuracy"] = testAccuracy.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            });

    /// <summary>The parameters saved at <paramref name="path"/>, in model order.</summary>
    public static Tensor[] Load(string path)
    {
        var saved = Checkpoint.Load(path, Cnn.Names);
        return Cnn.Names.Select(n => saved[n]).ToArray();
    }
}
