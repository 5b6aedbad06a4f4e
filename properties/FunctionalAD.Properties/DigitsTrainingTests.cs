using System.Security.Cryptography;
using Digits;
using FunctionalAD;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>The digits example: its data is the file its provenance names, and a short training run learns.</summary>
public class DigitsTrainingTests
{
    private static string DataPath => Path.Combine(AppContext.BaseDirectory, "data", "digits.csv");

    [Fact]
    public void Data_file_is_the_one_its_provenance_names()
    {
        var hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(DataPath))).ToLowerInvariant();
        Assert.Equal("6ebb3d2fee246a4e99363262ddf8a00a3c41bee6014c373ed9d9216ba7f651b8", hash);
        var data = DigitsSet.Load(DataPath);
        Assert.Equal(1797, data.Count);
        Assert.Equal(178, data.Labels.Count(l => l == 0));
        Assert.All(data.Pixels, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void Split_is_seeded_and_disjoint()
    {
        var data = DigitsSet.Load(DataPath);
        var (train, test) = data.Split(0.2, seed: 3);
        var (train2, _) = data.Split(0.2, seed: 3);
        Assert.Equal(1797, train.Count + test.Count);
        Assert.Equal(359, test.Count);
        Assert.Equal(train.Labels, train2.Labels);
        Assert.Equal(train.Pixels, train2.Pixels);
    }

    [Fact]
    public void A_short_training_run_lowers_the_loss_and_beats_chance_by_far()
    {
        var (train, test) = DigitsSet.Load(DataPath).Split(0.2, seed: 1);
        var reports = new List<EpochReport>();
        Trainer.Train(train, test, new TrainingOptions(Epochs: 3), reports.Add);
        Assert.Equal(3, reports.Count);
        Assert.True(reports[^1].Loss < 0.5 * reports[0].Loss, $"loss went from {reports[0].Loss} to {reports[^1].Loss}");
        // Chance is 10 %.
        Assert.True(reports[^1].TestAccuracy > 0.8, $"test accuracy {reports[^1].TestAccuracy}");
    }

    [Fact]
    public void The_training_step_compiles_every_node_no_step_is_interpreted()
    {
        var step = new TrainingStep(new Mlp(), 32);
        Assert.Empty(step.InterpretedSteps);
        Assert.DoesNotContain("interpret", step.Describe());
        Assert.Contains("gemm", step.Describe());
    }

    [Fact]
    public void Training_step_gradients_match_the_tape()
    {
        var data = DigitsSet.Load(DataPath).Take(Enumerable.Range(0, 8).ToArray());
        var model = new Mlp();
        var parameters = Mlp.Initial(seed: 5);
        var (loss, grads) = new TrainingStep(model, 8).Run(data.PixelTensor(), data.LabelTensor(), parameters);

        var variables = parameters.Select((p, i) => new Variable(p, $"p{i}")).ToArray();
        using var tape = new GradientTape();
        var logits = Ex.MatMul(Ex.Relu(Ex.MatMul(Ex.Const(data.PixelTensor()), variables[0]) + variables[1]), variables[2]) + variables[3];
        var tapeLoss = Ex.Mean(Losses.SparseCategoricalCrossentropy(Ex.Const(data.LabelTensor()), logits, fromLogits: true));
        var tapeGrads = tape.Gradient(tapeLoss, variables);
        Assert.Equal(tapeLoss.Eval().ToScalar(), loss, 5);
        for (int i = 0; i < grads.Length; i++) Assert.True(grads[i].AllClose(tapeGrads[i]!.Value, 1e-4, 1e-6), $"gradient {i} differs");
    }
}
