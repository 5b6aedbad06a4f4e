namespace FunctionalAD;

public static partial class Losses
{
    /// <summary>Per sample: mean(|y_pred − y_true|, axis = −1), as <c>tf.keras.losses.MeanAbsoluteError</c>; |x|'(0) = 0.</summary>
    public static Expr MeanAbsoluteError(Expr yTrue, Expr yPred, LossReduction reduction = LossReduction.None, Expr? sampleWeight = null)
    {
        var y = LossInputs.Targets(yTrue, yPred, "MeanAbsoluteError");
        return LossInputs.Reduce(Ex.Mean(Ex.Abs(yPred - y), -1), reduction, sampleWeight, "MeanAbsoluteError");
    }

    /// <summary>The TensorFlow spelling <c>tf.losses.MAE</c>: <see cref="MeanAbsoluteError"/>.</summary>
    public static Expr MAE(Expr yTrue, Expr yPred, LossReduction reduction = LossReduction.None, Expr? sampleWeight = null) =>
        MeanAbsoluteError(yTrue, yPred, reduction, sampleWeight);
}
