namespace FunctionalAD;

/// <summary>
/// Losses with Keras semantics. Each takes y_true and y_pred of the same shape (checked when the expression is
/// built), computes one loss per sample by reducing the last axis, then weights and reduces as asked; the
/// default <see cref="LossReduction.None"/> returns the per-sample losses, like <c>tf.losses.*</c>.
/// </summary>
public static partial class Losses
{
    /// <summary>
    /// Per sample: mean((y_pred − y_true)², axis = −1), as <c>tf.losses.MSE</c> / <c>tf.keras.losses.MeanSquaredError</c>.
    /// </summary>
    public static Expr MeanSquaredError(Expr yTrue, Expr yPred, LossReduction reduction = LossReduction.None, Expr? sampleWeight = null)
    {
        var y = LossInputs.Targets(yTrue, yPred, "MeanSquaredError");
        return LossInputs.Reduce(Ex.Mean(Ex.Square(yPred - y), -1), reduction, sampleWeight, "MeanSquaredError");
    }

    /// <summary>The TensorFlow spelling <c>tf.losses.MSE</c>: <see cref="MeanSquaredError"/>.</summary>
    public static Expr MSE(Expr yTrue, Expr yPred, LossReduction reduction = LossReduction.None, Expr? sampleWeight = null) =>
        MeanSquaredError(yTrue, yPred, reduction, sampleWeight);
}
