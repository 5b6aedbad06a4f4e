namespace FunctionalAD;

/// <summary>Input handling the Keras losses share: dtype, shapes, clipping, weighting and reduction.</summary>
internal static class LossInputs
{
    /// <summary>Keras's fuzz factor <c>backend.epsilon()</c>: probabilities are kept inside [ε, 1 − ε].</summary>
    public const double Epsilon = 1e-7;

    /// <summary>
    /// y_true cast to y_pred's float dtype, as Keras does, after checking both exist and have the same shape,
    /// so a mismatch is reported where the loss is built.
    /// </summary>
    public static Expr Targets(Expr yTrue, Expr yPred, string loss)
    {
        if (yTrue is null) throw new FunctionalADException($"{loss}: yTrue is null");
        if (yPred is null) throw new FunctionalADException($"{loss}: yPred is null");
        if (!yPred.DType.IsFloat()) throw new DTypeException($"{loss}: yPred is {yPred.DType.Name()}; predictions must be float32 or float64 (use Cast)");
        if (yTrue.Shape != yPred.Shape)
            throw new ShapeException($"{loss}: yTrue has shape {yTrue.Shape} and yPred has shape {yPred.Shape}; they must have the same shape");
        if (yPred.Rank == 0)
            throw new ShapeException($"{loss}: the inputs are scalars; a loss needs at least one axis to average over (reshape to (1,))");
        return Ex.Cast(yTrue, yPred.DType);
    }

    /// <summary>x limited to [lo, hi]; the derivative passes inside the interval (ends included) and is 0 outside, as tf.clip_by_value.</summary>
    public static Expr Clip(Expr x, double lo, double hi) =>
        Ex.Where(Ex.Less(x, Ex.Literal(lo, x.DType)), Ex.Fill(lo, x.Shape, x.DType),
            Ex.Where(Ex.Greater(x, Ex.Literal(hi, x.DType)), Ex.Fill(hi, x.Shape, x.DType), x));

    /// <summary>Checks a label-smoothing factor lies in [0, 1].</summary>
    public static void SmoothingInRange(double labelSmoothing, string loss)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new FunctionalADException($"{loss}: labelSmoothing must be in [0, 1], got {labelSmoothing}");
    }

    /// <summary>
    /// Weights the per-sample <paramref name="losses"/> by <paramref name="sampleWeight"/> (broadcast; a trailing
    /// axis of 1 is dropped, as Keras squeezes it) and reduces them.
    /// </summary>
    public static Expr Reduce(Expr losses, LossReduction reduction, Expr? sampleWeight, string loss)
    {
        if (sampleWeight is not null)
        {
            var w = sampleWeight.DType.IsFloat() ? sampleWeight : Ex.Cast(sampleWeight, losses.DType);
            (w, _) = Ex.Coerce(w, losses);
            if (w.DType != losses.DType)
                throw new DTypeException($"{loss}: sampleWeight is {w.DType.Name()} but the losses are {losses.DType.Name()} (use Cast)");
            if (w.Rank == losses.Rank + 1 && w.Shape[-1] == 1) w = Ex.Reshape(w, losses.Shape);
            if (!w.Shape.BroadcastsTo(losses.Shape))
                throw new ShapeException($"{loss}: sampleWeight has shape {w.Shape}, which does not broadcast to the per-sample losses of shape {losses.Shape}");
            losses = losses * w;
        }
        return reduction switch
        {
            LossReduction.None => losses,
            LossReduction.Sum => Ex.Sum(losses),
            // Keras divides with divide_no_nan, so an empty batch gives 0.
            LossReduction.SumOverBatchSize => losses.Shape.Size == 0 ? Ex.Zeros(Shape.Scalar, losses.DType) : Ex.Sum(losses) / Ex.Literal(losses.Shape.Size, losses.DType),
            _ => throw new FunctionalADException($"{loss}: unknown reduction {reduction}"),
        };
    }
}
