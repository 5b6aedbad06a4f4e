namespace FunctionalAD;

public static partial class Losses
{
    /// <summary>
    /// Per sample: the mean over the last axis of ½e² where |e| ≤ δ and δ|e| − ½δ² elsewhere, with
    /// e = y_pred − y_true, as <c>tf.keras.losses.Huber</c>. Quadratic near zero, linear in the tails.
    /// </summary>
    public static Expr Huber(Expr yTrue, Expr yPred, double delta = 1.0, LossReduction reduction = LossReduction.None, Expr? sampleWeight = null)
    {
        const string name = "Huber";
        var y = LossInputs.Targets(yTrue, yPred, name);
        if (!(delta > 0) || !double.IsFinite(delta)) throw new FunctionalADException($"{name}: delta must be a positive number, got {delta}");
        var e = yPred - y;
        var abs = Ex.Abs(e);
        var d = Ex.Literal(delta, e.DType);
        var quadratic = Ex.Literal(0.5, e.DType) * Ex.Square(e);
        var linear = d * abs - Ex.Literal(0.5 * delta * delta, e.DType);
        return LossInputs.Reduce(Ex.Mean(Ex.Where(Ex.LessEqual(abs, d), quadratic, linear), -1), reduction, sampleWeight, name);
    }
}
