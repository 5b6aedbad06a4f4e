using Digits;
using FunctionalAD;
using static FunctionalAD.Ex;

namespace DigitsCnn;

/// <summary>
/// A small CNN for the 8×8 digits: conv 3×3 (1→16, SAME) → relu → conv 3×3 (16→32, SAME) → relu → max-pool 2×2 →
/// dense (4·4·32 → 10). Parameters are variables; their values travel separately, so one expression serves every step.
/// </summary>
public sealed class Cnn : IDigitsModel
{
    /// <summary>Channels of the first and second convolution.</summary>
    public const int C1 = 16, C2 = 32;

    /// <summary>Features after pooling: 4 × 4 × <see cref="C2"/>.</summary>
    public const int Flat = 4 * 4 * C2;

    /// <summary>The parameter names, in the order of <see cref="Parameters"/>, as saved in a checkpoint.</summary>
    public static readonly string[] Names = ["conv1/kernel", "conv1/bias", "conv2/kernel", "conv2/bias", "dense/kernel", "dense/bias"];

    /// <summary>The parameter variables: K1 (3,3,1,16), b1, K2 (3,3,16,32), b2, W (512,10), b.</summary>
    public Expr[] Parameters { get; } =
    [
        Var("K1", 3, 3, 1, C1), Var("cb1", C1),
        Var("K2", 3, 3, C1, C2), Var("cb2", C2),
        Var("Wd", Flat, DigitsSet.Classes), Var("bd", DigitsSet.Classes),
    ];

    /// <summary>The logits for a batch <paramref name="pixels"/> of shape (n, 64).</summary>
    public Expr Logits(Expr pixels)
    {
        var p = Parameters;
        int n = pixels.Shape[0];
        var x = Reshape(pixels, new Shape(n, 8, 8, 1));
        var h = Relu(Conv2D(x, p[0], 1, "SAME") + p[1]);
        h = Relu(Conv2D(h, p[2], 1, "SAME") + p[3]);
        h = MaxPool2D(h, 2);
        return MatMul(Reshape(h, new Shape(n, Flat)), p[4]) + p[5];
    }

    /// <summary>Mean softmax cross-entropy from logits against int32 class labels.</summary>
    public Expr Loss(Expr pixels, Expr labels) =>
        Losses.SparseCategoricalCrossentropy(labels, Logits(pixels), fromLogits: true, reduction: LossReduction.SumOverBatchSize);

    /// <summary>Seeded starting values: He uniform over each kernel's fan-in (kh·kw·c), Glorot for the dense layer, zero biases.</summary>
    public static Tensor[] Initial(int seed) =>
    [
        Kernel(3, 3, 1, C1, seed), Tensor.Zeros(C1),
        Kernel(3, 3, C1, C2, seed + 1), Tensor.Zeros(C2),
        Initializers.GlorotUniform(new Shape(Flat, DigitsSet.Classes), seed + 2L), Tensor.Zeros(DigitsSet.Classes),
    ];

    private static Tensor Kernel(int kh, int kw, int c, int o, int seed) =>
        Tensor.From(Initializers.HeUniform(new Shape(kh * kw * c, o), seed).ToArray<float>(), new Shape(kh, kw, c, o));
}
