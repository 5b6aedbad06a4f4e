namespace FunctionalAD;

public static partial class Losses
{
    /// <summary>
    /// Per sample: mean over <paramref name="axis"/> of −[y log p + (1 − y) log(1 − p)], as
    /// <c>tf.keras.losses.binary_crossentropy</c>. Label smoothing s makes the targets y(1 − s) + s/2.
    /// From probabilities, p is clipped to [1e-7, 1 − 1e-7]. From logits z it is
    /// max(z, 0) − z·y + log1p(exp(−|z|)), which never overflows and keeps its accuracy where softplus(z) − z·y would
    /// cancel (y = 1, z = 20 gives 2.06e-9, not 0); its derivative is σ(z) − y, at z = 0 too (max's tie share is ½).
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
        if (fromLogits) elementwise = Ex.Maximum(yPred, Ex.ZerosLike(yPred)) - yPred * y + Log1p(Ex.Exp(-Ex.Abs(yPred)));
        else
        {
            var p = LossInputs.Clip(yPred, LossInputs.Epsilon, 1 - LossInputs.Epsilon);
            elementwise = -(y * Ex.Log(p) + (1f - y) * Ex.Log(1f - p));
        }
        return LossInputs.Reduce(Ex.Mean(elementwise, ax), reduction, sampleWeight, name);
    }

    /// <summary>
    /// log(1 + t) for t in [0, 1], accurate for tiny t: there 1 + t rounds to 1, so t − t²/2 (relative error below
    /// t²/3, under 4e-9 at the switch) takes over. Both sides have derivative ≈ 1/(1 + t), so gradients agree too.
    /// </summary>
    private static Expr Log1p(Expr t)
    {
        var small = Ex.Less(t, Ex.Literal(1e-4, t.DType));
        return Ex.Where(small, t - Ex.Literal(0.5, t.DType) * t * t, Ex.Log(Ex.Literal(1, t.DType) + t));
    }
}
