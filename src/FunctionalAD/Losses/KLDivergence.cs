namespace FunctionalAD;

public static partial class Losses
{
    /// <summary>
    /// Per sample: Σ y log(y / p) over the last axis, with y and p clipped to [1e-7, 1], as
    /// <c>tf.keras.losses.KLDivergence</c>: the Kullback-Leibler divergence of y_pred from y_true.
    /// </summary>
    public static Expr KLDivergence(Expr yTrue, Expr yPred, LossReduction reduction = LossReduction.None, Expr? sampleWeight = null)
    {
        const string name = "KLDivergence";
        var y = LossInputs.Clip(LossInputs.Targets(yTrue, yPred, name), LossInputs.Epsilon, 1);
        var p = LossInputs.Clip(yPred, LossInputs.Epsilon, 1);
        return LossInputs.Reduce(Ex.Sum(y * Ex.Log(y / p), -1), reduction, sampleWeight, name);
    }
}
