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
        var logits = fromLogits ? yPred : Ex.Log(LossInputs.Clip(yPred, LossInputs.Epsilon, 1 - LossInputs.Epsilon));
        // One node until compiled or differentiated (see SparseLabelLossOp), so a training step builds and keys less.
        var perSample = Primitive.Build(SparseLabelLossOp.Instance, Ex.Cast(labels, DType.Int32), logits);
        return LossInputs.Reduce(perSample, reduction, sampleWeight, name);
    }
}
