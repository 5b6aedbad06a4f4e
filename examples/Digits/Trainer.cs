using System.Diagnostics;
using FunctionalAD;
using static FunctionalAD.Ex;

namespace Digits;

/// <summary>One epoch's numbers: mean training loss, accuracies, and time since training began.</summary>
public sealed record EpochReport(int Epoch, double Loss, double TrainAccuracy, double TestAccuracy, TimeSpan Elapsed);

/// <summary>Settings of a training run.</summary>
public sealed record TrainingOptions(int Epochs = 20, int BatchSize = 32, double LearningRate = 0.005, int Seed = 1);

/// <summary>Mini-batch training of a digits model with Adam, reshuffling the training set every epoch.</summary>
public static class Trainer
{
    /// <summary>Trains the <see cref="Mlp"/> from <see cref="Mlp.Initial"/>; reports after each epoch; returns the final parameters.</summary>
    public static Tensor[] Train(DigitsSet train, DigitsSet test, TrainingOptions options, Action<EpochReport> report) =>
        Train(new Mlp(), Mlp.Initial(options.Seed), train, test, options, report);

    /// <summary>Trains <paramref name="model"/> from <paramref name="initial"/>, on one compiled loss-and-gradient step; reports after each epoch; returns the final parameters.</summary>
    public static Tensor[] Train(IDigitsModel model, Tensor[] initial, DigitsSet train, DigitsSet test, TrainingOptions options, Action<EpochReport> report)
    {
        var clock = Stopwatch.StartNew();
        var step = new TrainingStep(model, options.BatchSize);
        var trainAccuracy = new Accuracy(model, train);
        var testAccuracy = new Accuracy(model, test);
        var optimizer = new Adam(options.LearningRate);
        var parameters = initial;
        var state = optimizer.Init(parameters);
        var rng = new Random(options.Seed);
        int batches = train.Count / options.BatchSize;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            // The last partial batch is left out; with a fresh shuffle each epoch every image still takes part.
            var order = DigitsSet.Shuffled(train.Count, rng);
            double total = 0;
            for (int b = 0; b < batches; b++)
            {
                var batch = train.Take(order.AsSpan(b * options.BatchSize, options.BatchSize).ToArray());
                var (loss, grads) = step.Run(batch.PixelTensor(), batch.LabelTensor(), parameters);
                (parameters, state) = optimizer.Update(parameters, grads, state);
                total += loss;
            }
            report(new EpochReport(epoch, total / batches, trainAccuracy.Of(parameters), testAccuracy.Of(parameters), clock.Elapsed));
        }
        return parameters;
    }
}

/// <summary>The fraction of a data set the model classifies right, with its predicted classes (argmax of the logits) lowered once.</summary>
public sealed class Accuracy
{
    private readonly DigitsSet _data;
    private readonly Expr[] _parameters;
    private readonly Plan _plan;
    private readonly Env _inputs;

    /// <summary>Prepares the predicted classes of <paramref name="data"/> as a plan.</summary>
    public Accuracy(IDigitsModel model, DigitsSet data)
    {
        _data = data;
        _parameters = model.Parameters;
        var x = Var($"x{data.Count}", data.Count, DigitsSet.Features);
        _plan = Ad.Lower(ArgMax(model.Logits(x), axis: 1));
        _inputs = Env.Of((x, data.PixelTensor()));
    }

    /// <summary>Accuracy with the given parameter values.</summary>
    public double Of(IReadOnlyList<Tensor> parameters)
    {
        var env = _inputs;
        for (int i = 0; i < _parameters.Length; i++) env = env.Bind(_parameters[i], parameters[i]);
        var predicted = _plan.Run(env)[0].ToArray<int>();
        int right = 0;
        for (int n = 0; n < _data.Count; n++)
            if (predicted[n] == _data.Labels[n]) right++;
        return (double)right / _data.Count;
    }
}
