namespace FunctionalAD;

/// <summary>
/// Stochastic gradient descent, Keras's <c>SGD</c>. Without momentum: w ← w − η g. With momentum μ, a velocity
/// v ← μ v − η g, then w ← w + v, or with Nesterov w ← w + μ v − η g (the new v).
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>SGD with Keras's defaults: η = 0.01, no momentum.</summary>
    public Sgd(double learningRate = 0.01, double momentum = 0, bool nesterov = false) : base(learningRate)
    {
        if (!(momentum >= 0 && momentum <= 1)) throw new FunctionalADException($"Sgd: momentum must be in [0, 1], got {momentum}");
        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>The momentum μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the step looks ahead along the velocity.</summary>
    public bool Nesterov { get; }

    private protected override int SlotCount => Momentum == 0 ? 0 : 1;

    private protected override Expr[] Rule(long step, Expr w, Expr g, Expr[] slots, Func<double, Expr> scalar)
    {
        var lr = scalar(LearningRate);
        if (Momentum == 0) return [w - lr * g];
        var mu = scalar(Momentum);
        var v = mu * slots[0] - lr * g;
        return [Nesterov ? w + (mu * v - lr * g) : w + v, v];
    }
}
