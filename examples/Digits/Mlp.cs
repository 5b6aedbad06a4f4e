using FunctionalAD;
using static FunctionalAD.Ex;

namespace Digits;

/// <summary>
/// A 64 → 64 → 10 perceptron: logits = relu(x W1 + b1) W2 + b2. The parameters are variables of the
/// expression; their values travel separately (functional style), so one expression serves every step.
/// </summary>
public sealed class Mlp : IDigitsModel
{
    /// <summary>Hidden units.</summary>
    public const int Hidden = 64;

    /// <summary>The parameter variables, in the order of <see cref="Initial"/>: W1, b1, W2, b2.</summary>
    public Expr[] Parameters { get; } =
    {
        Var("W1", DigitsSet.Features, Hidden), Var("b1", Hidden),
        Var("W2", Hidden, DigitsSet.Classes), Var("b2", DigitsSet.Classes),
    };

    /// <summary>The logits for a batch <paramref name="x"/> of shape (n, 64).</summary>
    public Expr Logits(Expr x)
    {
        var p = Parameters;
        return MatMul(Relu(MatMul(x, p[0]) + p[1]), p[2]) + p[3];
    }

    /// <summary>Mean softmax cross-entropy from logits against int32 class labels.</summary>
    public Expr Loss(Expr x, Expr labels) =>
        Losses.SparseCategoricalCrossentropy(labels, Logits(x), fromLogits: true, reduction: LossReduction.SumOverBatchSize);

    /// <summary>Seeded starting values: He uniform for W1 (relu follows), Glorot uniform for W2, zero biases.</summary>
    public static Tensor[] Initial(int seed) =>
    [
        Initializers.HeUniform(new Shape(DigitsSet.Features, Hidden), seed),
        Tensor.Zeros(Hidden),
        Initializers.GlorotUniform(new Shape(Hidden, DigitsSet.Classes), seed + 1L),
        Tensor.Zeros(DigitsSet.Classes),
    ];
}
