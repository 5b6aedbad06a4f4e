using static FunctionalAD.Ex;

namespace FunctionalAD;

/// <summary>
/// Adam, as Keras computes it (defaults η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-7). At step t:
/// m ← m + (g − m)(1 − β₁), v ← v + (g² − v)(1 − β₂), α = η √(1 − β₂ᵗ) / (1 − β₁ᵗ), w ← w − α m / (√v + ε).
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Adam with Keras's defaults unless given.</summary>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7) : base(learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new FunctionalADException($"Adam: beta1 must be in [0, 1), got {beta1}");
        if (!(beta2 >= 0 && beta2 < 1)) throw new FunctionalADException($"Adam: beta2 must be in [0, 1), got {beta2}");
        if (!(epsilon >= 0)) throw new FunctionalADException($"Adam: epsilon must be non-negative, got {epsilon}");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Added to √v so the step stays bounded where v is tiny.</summary>
    public double Epsilon { get; }

    private protected override int SlotCount => 2;

    private protected override Expr[] Rule(long step, Expr w, Expr g, Expr[] slots, Func<double, Expr> scalar)
    {
        double alpha = LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step));
        var m = slots[0] + (g - slots[0]) * scalar(1 - Beta1);
        var v = slots[1] + (g * g - slots[1]) * scalar(1 - Beta2);
        return [w - scalar(alpha) * m / (Sqrt(v) + scalar(Epsilon)), m, v];
    }
}
