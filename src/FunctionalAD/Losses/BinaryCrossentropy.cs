namespace FunctionalAD;

public static partial class Losses
{
    /// <summary>
    /// Per sample: mean over <paramref name="axis"/> of −[y log p + (1 − y) log(1 − p)], as
    /// <c>tf.keras.losses.binary_crossentropy</c>. Label smoothing s makes the targets y(1 − s) + s/2.
    /// From probabilities, p is clipped to [1e-7, 1 − 1e-7]. From logits z it is computed as
    /// max(z, 0) − z·y + log(1 + exp(−|z|)) = softplus(z) − z·y, which never overflows; its derivative is σ(z) − y.
    /// </summary>
    public static Expr BinaryCrossentropy(Expr yTrue, Expr yPred, bool fromLogits = false, double labelSmoothing = 0, int axis = -1,
        LossReduction reduction = LossReduction.None, Expr? sampleWeight = null)
    {
        const string name = "BinaryCrossentropy";
        var y = LossInputs.Targets(yTrue, yPred, name);
        LossInputs.SmoothingInRange(labelSmoothing, name);
        int ax = Shape.NormalizeAxis(axis, yPred.Rank, name);
        if (labelSmoothing > 0) y = y * Ex.Literal(1 - labelSmoothing, y.DType) + Ex.Literal(0.5 * labelSmoothing, y.DType);
        Expr elementwise;
        if (fromLogits) elementwise = Ex.Softplus(yPred) - yPred * y;
        else
        {
            var p = LossInputs.Clip(yPred, LossInputs.Epsilon, 1 - LossInputs.Epsilon);
            elementwise = -(y * Ex.Log(p) + (1f - y) * Ex.Log(1f - p));
        }
        return LossInputs.Reduce(Ex.Mean(elementwise, ax), reduction, sampleWeight, name);
    }
}
