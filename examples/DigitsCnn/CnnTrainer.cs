using Digits;
using FunctionalAD;

namespace DigitsCnn;

/// <summary>Training of the <see cref="Cnn"/>: the digits example's loop (Adam, one compiled loss-and-gradient step) on this model.</summary>
public static class CnnTrainer
{
    /// <summary>Trains from <see cref="Cnn.Initial"/>; reports after each epoch; returns the final parameters.</summary>
    public static Tensor[] Train(DigitsSet train, DigitsSet test, TrainingOptions options, Action<EpochReport> report) =>
        Trainer.Train(new Cnn(), Cnn.Initial(options.Seed), train, test, options, report);
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
