namespace FunctionalAD;

public static partial class Losses
{
    /// <summary>
    /// Categorical cross-entropy with integer class labels, as <c>tf.keras.losses.sparse_categorical_crossentropy</c>:
    /// per sample −log p[label]. <paramref name="yTrue"/> holds class indices shaped like y_pred without its last
    /// axis (a trailing axis of 1 is allowed); float labels are truncated to int32. From probabilities, Keras
    /// clips to [1e-7, 1 − 1e-7], takes the log and renormalises with a log-softmax, and so does this. A label
    /// outside 0..C−1 is an error when the loss is evaluated, naming the label and its position (Keras raises too).
    /// </summary>
    public static Expr SparseCategoricalCrossentropy(Expr yTrue, Expr yPred, bool fromLogits = false,
        LossReduction reduction = LossReduction.None, Expr? sampleWeight = null)
    {
        const string name = "SparseCategoricalCrossentropy";
        if (yTrue is null) throw new FunctionalADException($"{name}: yTrue is null");
        if (yPred is null) throw new FunctionalADException($"{name}: yPred is null");
        if (!yPred.DType.IsFloat()) throw new DTypeException($"{name}: yPred is {yPred.DType.Name()}; predictions must be float32 or float64 (use Cast)");
        if (yPred.Rank == 0) throw new ShapeException($"{name}: yPred is a scalar; it needs a class axis");
        var rows = yPred.Shape.Leading(yPred.Rank - 1);
        var labels = yTrue;
        if (labels.Rank == rows.Rank + 1 && labels.Shape[-1] == 1) labels = Ex.Reshape(labels, rows);
        if (labels.Shape != rows)
            throw new ShapeException($"{name}: yTrue has shape {yTrue.Shape} but yPred {yPred.Shape} needs class indices of shape {rows}; " +
                "they must have the same shape apart from the class axis (use CategoricalCrossentropy for one-hot targets)");
        var oneHot = Ex.OneHot(Ex.CheckLabels(Ex.Cast(labels, DType.Int32), yPred.Shape[-1]), yPred.Shape[-1], yPred.DType);
        var logits = fromLogits ? yPred : Ex.Log(LossInputs.Clip(yPred, LossInputs.Epsilon, 1 - LossInputs.Epsilon));
        return LossInputs.Reduce(LabelLogLoss(oneHot, logits), reduction, sampleWeight, name);
    }

    /// <summary>
    /// −log softmax(z)[label] = lse(s) − s[label] per row for one-hot rows, with s = z − max(z) so neither term is
    /// large and their difference does not cancel (float32 logits near 1000 would otherwise lose four digits).
    /// Written with a row maximum, a row log-sum-exp, a select and a row sum: element-wise work the compiler fuses
    /// into one pass over the logits together with the gradient (softmax(z) − onehot), where the softmax
    /// cross-entropy primitive would be a step of its own. The loss does not depend on the shift, so no gradient
    /// flows through it; the select, not onehot·s, keeps a logit of −∞ outside the label from making 0·∞ = NaN.
    /// </summary>
    private static Expr LabelLogLoss(Expr oneHot, Expr logits)
    {
        // A row of −∞ shifts by the lowest finite number instead, so s stays −∞ rather than NaN.
        var lowest = Ex.Literal(logits.DType == DType.Float32 ? float.MinValue : double.MinValue, logits.DType);
        var shifted = logits - Ex.StopGradient(Ex.Maximum(Ex.Max(logits, -1, keepDims: true), lowest));
        // Where broadcasts, so a scalar zero does what a tensor of zeros would, with one node fewer to build each step.
        var picked = Ex.Where(Ex.Greater(oneHot, Ex.Literal(0, oneHot.DType)), shifted, Ex.Literal(0, shifted.DType));
        return Ex.LogSumExp(shifted, -1) - Ex.Sum(picked, -1);
    }
}
