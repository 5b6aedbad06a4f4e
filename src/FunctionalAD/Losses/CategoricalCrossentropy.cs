namespace FunctionalAD;

public static partial class Losses
{
    /// <summary>
    /// Per sample: −Σ y · log p along <paramref name="axis"/>, as <c>tf.keras.losses.categorical_crossentropy</c>.
    /// With label smoothing s over C classes the targets become y(1 − s) + s/C. From probabilities, each row is
    /// first divided by its sum, then clipped to [1e-7, 1 − 1e-7] (Keras's order). From logits
    /// (<paramref name="fromLogits"/>), p = softmax(z) is never formed: the fused
    /// <see cref="Ex.SoftmaxCrossEntropyWithLogits"/> computes Σ y (lse(z) − z) stably, so huge logits give a
    /// finite loss and gradient.
    /// </summary>
    public static Expr CategoricalCrossentropy(Expr yTrue, Expr yPred, bool fromLogits = false, double labelSmoothing = 0, int axis = -1,
        LossReduction reduction = LossReduction.None, Expr? sampleWeight = null)
    {
        const string name = "CategoricalCrossentropy";
        var y = LossInputs.Targets(yTrue, yPred, name);
        LossInputs.SmoothingInRange(labelSmoothing, name);
        int ax = Shape.NormalizeAxis(axis, yPred.Rank, name);
        if (labelSmoothing > 0)
        {
            double classes = yPred.Shape[ax];
            y = y * Ex.Literal(1 - labelSmoothing, y.DType) + Ex.Literal(labelSmoothing / classes, y.DType);
        }
        Expr perSample;
        if (fromLogits) perSample = Ex.SoftmaxCrossEntropyWithLogits(y, yPred, ax);
        else
        {
            var p = LossInputs.Clip(yPred / Ex.Sum(yPred, ax, keepDims: true), LossInputs.Epsilon, 1 - LossInputs.Epsilon);
            perSample = -Ex.Sum(y * Ex.Log(p), ax);
        }
        return LossInputs.Reduce(perSample, reduction, sampleWeight, name);
    }
}
