namespace FunctionalAD;

/// <summary>
/// −log softmax(z)[label] per row, from int32 class labels and logits z (the heart of
/// <see cref="Losses.SparseCategoricalCrossentropy"/>), as one node while the program is built and recorded.
/// Its body (<see cref="Expand"/>) is lse(s) − Σ where(onehot &gt; 0, s, 0) with s = z − max(z): the compiler
/// inlines it and fuses it with the gradient into one pass over the logits, and derivatives go through it.
/// </summary>
internal sealed class SparseLabelLossOp : CompositeOp
{
    /// <summary>The one instance: the labels' and logits' shapes and dtypes say everything about the body.</summary>
    public static readonly SparseLabelLossOp Instance = new();

    private SparseLabelLossOp() { }

    /// <inheritdoc/>
    public override string Name => "sparse_categorical_crossentropy";

    /// <summary>Labels shaped like the logits without their class axis; the Keras function checks and says so first.</summary>
    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        if (args.Length != 2) throw new FunctionalADException($"{Name}: takes labels and logits, got {args.Length} argument(s)");
        var (labels, logits) = (args[0], args[1]);
        if (labels.DType != DType.Int32) throw new DTypeException($"{Name}: labels are {labels.DType.Name()}; they must be int32 class indices");
        if (!logits.DType.IsFloat()) throw new DTypeException($"{Name}: logits are {logits.DType.Name()}; they must be float32 or float64");
        if (logits.Rank == 0 || labels.Shape != logits.Shape.Leading(logits.Rank - 1))
            throw new ShapeException($"{Name}: labels of shape {labels.Shape} do not index the rows of logits of shape {logits.Shape}");
        return (labels.Shape, logits.DType);
    }

    /// <summary>Labels carry no derivative.</summary>
    internal override bool Differentiable(int arg) => arg == 1;

    internal override Expr Expand(Expr[] args)
    {
        var (labels, logits) = (args[0], args[1]);
        int classes = logits.Shape[-1];
        return LabelLogLoss(Ex.OneHot(Ex.CheckLabels(labels, classes), classes, logits.DType), logits);
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
        // Where broadcasts, so a scalar zero does what a tensor of zeros would.
        var picked = Ex.Where(Ex.Greater(oneHot, Ex.Literal(0, oneHot.DType)), shifted, Ex.Literal(0, shifted.DType));
        return Ex.LogSumExp(shifted, -1) - Ex.Sum(picked, -1);
    }
}
